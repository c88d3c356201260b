"""Writing domain events to the outbox in the unit of work's transaction.

A rolled-back change leaves no event; a committed one leaves exactly one per domain
event, numbered in commit order per tenant (the head row's lock is held to commit,
so a later number is never visible before an earlier one).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_graph.audit.chain import redact
from crm_graph.events.models import OutboxEvent, OutboxHead

OUTBOX = OutboxEvent.__table__
HEADS = OutboxHead.__table__
NOTIFY_CHANNEL = "crm_outbox"


def event_id(seq: int) -> str:
    """The public id of an event: sortable as text, opaque enough to pass back as `after`."""
    return f"{seq:016d}"


def parse_event_id(value: str) -> int | None:
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    seq = int(value)
    return seq if seq < 2**63 else None


async def write(
    conn: Any,
    tenant_id: uuid.UUID,
    events: Sequence[Any],
    *,
    actor_user_id: uuid.UUID | None,
    actor_api_key_id: uuid.UUID | None,
) -> None:
    """Append `events` (crm_graph.db.DomainEvent) for the tenant: three statements."""
    if not events:
        return
    head = (
        await conn.execute(
            pg_insert(HEADS)
            .values(tenant_id=tenant_id, seq=len(events))
            .on_conflict_do_update(index_elements=["tenant_id"], set_={"seq": HEADS.c.seq + len(events)})
            .returning(HEADS.c.seq)
        )
    ).scalar_one()
    first = head - len(events) + 1
    now = datetime.now(UTC)
    rows = [
        {
            "tenant_id": tenant_id,
            "seq": first + i,
            "type": e.type,
            "record_type": e.record_type,
            "record_id": e.record_id,
            "record_version": e.version,
            "actor_user_id": actor_user_id,
            "actor_api_key_id": actor_api_key_id,
            "occurred_at": now,
            "changes": redact(dict(e.changes)),
        }
        for i, e in enumerate(events)
    ]
    await conn.execute(sa.insert(OUTBOX), rows)
    # Delivered at commit: wakes the relay at once instead of at its next poll.
    await conn.execute(sa.select(sa.func.pg_notify(NOTIFY_CHANNEL, str(tenant_id))))
