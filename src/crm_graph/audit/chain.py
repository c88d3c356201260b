"""Appending to and verifying the per-tenant hash chain of audit entries.

Each entry's hash is sha256 over the previous entry's hash and a canonical JSON of
the entry, so editing, inserting or deleting an entry breaks every hash after it,
and deleting the newest ones no longer matches the chain's head.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_graph.audit.models import AuditEntry, AuditHead

LOG = AuditEntry.__table__
HEADS = AuditHead.__table__
SECRET_MARKERS = ("hash", "secret", "password", "token")
HASHED = ("tenant_id", "seq", "occurred_at", "actor_user_id", "actor_api_key_id", "action", "record_type",
          "record_id", "changes", "request_id", "client_address")


@dataclass(frozen=True)
class Entry:
    action: str
    record_type: str | None = None
    record_id: uuid.UUID | None = None
    changes: dict[str, Any] | None = None


def _json_safe(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    return value


def redact(changes: dict[str, Any]) -> dict[str, Any]:
    """Changed fields as {field: [before, after]}, never a secret or a hash."""
    return {
        k: _json_safe(list(v) if isinstance(v, tuple) else v)
        for k, v in changes.items()
        if not any(marker in k for marker in SECRET_MARKERS)
    }


def entry_hash(prev_hash: str, row: dict[str, Any]) -> str:
    body = orjson.dumps({k: _json_safe(row[k]) for k in HASHED}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode() + body).hexdigest()


async def append(
    conn: Any,
    tenant_id: uuid.UUID,
    entries: Sequence[Entry],
    *,
    actor_user_id: uuid.UUID | None,
    actor_api_key_id: uuid.UUID | None = None,
    request_id: str | None = None,
    client_address: str | None = None,
) -> None:
    """Append entries in the caller's transaction (two statements whatever their number)."""
    if not entries:
        return
    # Upsert-and-lock the head: concurrent writers of one tenant queue here.
    head = (
        await conn.execute(
            pg_insert(HEADS)
            .values(tenant_id=tenant_id, seq=0, hash="")
            .on_conflict_do_update(index_elements=["tenant_id"], set_={"tenant_id": HEADS.c.tenant_id})
            .returning(HEADS.c.seq, HEADS.c.hash)
        )
    ).one()
    seq, prev = head.seq, head.hash
    now = datetime.now(UTC)
    rows = []
    for entry in entries:
        seq += 1
        row = {
            "id": uuid.uuid4(),
            "tenant_id": tenant_id,
            "seq": seq,
            "occurred_at": now,
            "actor_user_id": actor_user_id,
            "actor_api_key_id": actor_api_key_id,
            "action": entry.action,
            "record_type": entry.record_type,
            "record_id": entry.record_id,
            "changes": redact(entry.changes or {}),
            "request_id": request_id,
            "client_address": client_address,
            "prev_hash": prev,
        }
        row["hash"] = prev = entry_hash(prev, row)
        rows.append(row)
    await conn.execute(
        sa.update(HEADS).where(HEADS.c.tenant_id == tenant_id).values(seq=seq, hash=prev)
    )
    await conn.execute(sa.insert(LOG), rows)


async def verify(conn: Any, tenant_id: uuid.UUID) -> list[str]:
    """Problems found in a tenant's chain; empty when it is intact."""
    problems: list[str] = []
    prev, expected_seq = "", 1
    result = await conn.stream(sa.select(LOG).where(LOG.c.tenant_id == tenant_id).order_by(LOG.c.seq))
    async for row in result:
        data = dict(row._mapping)
        if data["seq"] != expected_seq:
            problems.append(f"entry {expected_seq} is missing (next is {data['seq']})")
        if data["prev_hash"] != prev:
            problems.append(f"entry {data['seq']}: does not follow the entry before it")
        if entry_hash(data["prev_hash"], data) != data["hash"]:
            problems.append(f"entry {data['seq']}: its content was changed")
        prev, expected_seq = data["hash"], data["seq"] + 1
    head = (await conn.execute(sa.select(HEADS).where(HEADS.c.tenant_id == tenant_id))).first()
    if head is None and expected_seq > 1:
        problems.append("the chain's head is missing: entries may have been removed from its end")
    elif head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        problems.append(f"the chain ends at entry {expected_seq - 1} but its head says {head.seq}: entries were removed")
    return problems
