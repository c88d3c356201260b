"""Reads of notifications: the Notification entity, a user's own list, and what is
new for a subscriber.

Every role reads and updates its `own` notifications (default rules); the lists
below also pin the recipient to the viewer, so an admin (tenant scope) sees only
their own inbox there too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.notifications import models
from crm_graph.kernel.actor import Actor
from crm_graph.readside.query import VIEWER, Executor, PageArgs
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Order, Owned, Ref

NOTIFICATION = Entity(
    name="Notification",
    record_type="notification",
    table=models.Notification.__table__,
    tag=70,
    fields=[
        Col("kind", str, description="task_due, opportunity_stale or webhook_disabled."),
        Col("title", str, description="One-line summary to show in a list."),
        Col("body", str | None, description="More detail, plain text."),
        Col("read_at", datetime | None, description="When the recipient marked it read; null while unread."),
        Col("emailed_at", datetime | None, description="When it was emailed (only with CRM_SMTP_URL set)."),
        Col("created_at", datetime, description="When it was raised (UTC, ISO 8601)."),
    ],
    refs=[
        Ref("user", "User", "user_id", description="The recipient."),
        Ref(
            "record",
            None,
            "record_id",
            type_column="record_type",
            description="What it is about (a task, an opportunity, a webhook), while visible to you.",
        ),
    ],
    filters=[
        Filter(
            "recipient",
            FilterOp.REF,
            ("user_id",),
            entity="User",
            description="Global IDs of users; notifications addressed to any of them.",
        ),
        Filter(
            "unread",
            FilterOp.IS_NULL,
            ("read_at",),
            bool,
            description="True: only unread notifications; false: only read ones.",
        ),
    ],
    orders=[Order("created_at", lambda t: [t.c.created_at], description="By when it was raised.")],
    default_order="created_at",
    default_descending=True,
    archivable=False,
    scope=Owned("user_id"),  # the recipient
    description="Something you are told about: a task coming due, a quiet opportunity, a disabled webhook.",
)

T: sa.Table = NOTIFICATION.table


def inbox_args(first: int | None, after: str | None, unread_only: bool) -> PageArgs:
    """Page arguments for the viewer's own notifications, newest first (whoever the
    viewer is: the same statement serves every user)."""
    filters: list[tuple[str, Any]] = [("recipient", VIEWER)]
    if unread_only:
        filters.append(("unread", True))
    return PageArgs(first=first, after=after, filters=tuple(filters))


async def database_now(db: Executor) -> datetime:
    now: datetime = (await db.execute(sa.select(sa.func.now()))).scalar_one()
    return now


async def created_since(
    db: Executor, actor: Actor, since: datetime, seen: Sequence[uuid.UUID]
) -> list[Mapping[str, Any]]:
    """The actor's notifications created at or after `since`, minus those `seen`,
    oldest first (a subscriber's poll)."""
    if actor.user_id is None:
        return []
    where = [row_scope(NOTIFICATION, T, actor), T.c.user_id == actor.user_id, T.c.created_at >= since]
    if seen:
        where.append(T.c.id.not_in(list(seen)))
    stmt = sa.select(T).where(*where).order_by(T.c.created_at, T.c.id).limit(100)
    return [r._mapping for r in (await db.execute(stmt)).all()]
