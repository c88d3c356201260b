"""Notification use cases: create one (jobs and other domains), mark one read (its
recipient).

`notify` runs on the caller's connection, inside its transaction, so a notification
commits with the change that caused it or not at all. It is idempotent by
`dedupe_key`: the same reminder computed twice is stored once.

Notifications are personal: they raise no outbox event (an event would reach the
tenant's webhooks and subscribers, who must not read another user's inbox).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_graph.domains.notifications.models import Notification
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import NotFound
from crm_graph.kernel.notices import NOTICES
from crm_graph.kernel.records import row_fields
from crm_graph.platform.authz.guard import require

NOTIFICATIONS: sa.Table = Notification.__table__
RECORD_TYPE = "notification"


async def notify(
    conn: Any,
    *,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    kind: str,
    title: str,
    dedupe_key: str,
    body: str | None = None,
    record_type: str | None = None,
    record_id: uuid.UUID | None = None,
) -> Mapping[str, Any] | None:
    """Store a notification for `user_id`; returns it, or None if one with this
    dedupe key already exists. Emailed by the worker when CRM_SMTP_URL is set. Other
    domains and platform services call it through crm_graph.kernel.notices.NOTICES."""
    NOTICES.require(kind)
    stmt = (
        pg_insert(NOTIFICATIONS)
        .values(
            tenant_id=tenant_id,
            user_id=user_id,
            kind=kind,
            title=title[:500],
            body=body,
            record_type=record_type,
            record_id=record_id,
            dedupe_key=dedupe_key,
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "dedupe_key"])
        .returning(NOTIFICATIONS)
    )
    row = (await conn.execute(stmt)).first()
    return None if row is None else row_fields(row)


async def mark_read(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Mark one of the actor's own notifications read (again: a no-op). Another
    user's notification is not found, whatever the actor's scope."""
    require(actor, RECORD_TYPE, "update")
    t = NOTIFICATIONS
    if actor.user_id is None:
        raise NotFound(RECORD_TYPE, ("id",))
    stmt = (
        sa.update(t)
        .where(t.c.id == data["id"], t.c.tenant_id == uow.tenant_id, t.c.user_id == actor.user_id)
        .values(read_at=sa.func.coalesce(t.c.read_at, sa.func.now()))
        .returning(t)
    )
    row = (await uow.execute(stmt)).first()
    if row is None:
        raise NotFound(RECORD_TYPE, ("id",))
    return row_fields(row)
