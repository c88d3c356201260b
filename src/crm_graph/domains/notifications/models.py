"""Notifications: one row per thing a user is told about (a task coming due, an
opportunity gone quiet, a webhook disabled). Tables only."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import Record, now_column


class Notification(Record, table=True):
    __tablename__ = "notifications"
    __table_args__ = (
        # What a cron run computes for a notification: running it twice inserts nothing new.
        sa.UniqueConstraint("tenant_id", "dedupe_key"),
        # A user's list (newest first) and its unread part.
        sa.Index("ix_notifications_user_created", "user_id", "created_at", "id"),
        sa.Index("ix_notifications_user_unread", "user_id", "created_at", postgresql_where=sa.text("read_at IS NULL")),
        sa.Index("ix_notifications_unsent", "created_at", postgresql_where=sa.text("emailed_at IS NULL")),
    )

    # Made by the database: reminders are inserted by INSERT ... SELECT, many at once.
    id: uuid.UUID | None = Field(
        default=None, primary_key=True, sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")}
    )
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True, ondelete="CASCADE")
    user_id: uuid.UUID = Field(foreign_key="users.id", ondelete="CASCADE")  # the recipient
    kind: str  # one of the kinds the domains declare (crm_graph.kernel.notices), checked on write
    title: str
    body: str | None = None
    record_type: str | None = None
    record_id: uuid.UUID | None = None
    dedupe_key: str
    read_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    emailed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    created_at: datetime | None = now_column()
