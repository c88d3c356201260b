"""The transactional outbox: one row per domain event, written with the change."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlmodel import Field

from crm_graph.kernel.records import Record


class OutboxEvent(Record, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "seq"),
        sa.Index("ix_outbox_tenant_type_seq", "tenant_id", "type", "seq"),
        sa.Index("ix_outbox_record", "record_id", "seq"),
        sa.Index("ix_outbox_unrelayed", "seq", postgresql_where=sa.text("relayed_at IS NULL")),
        sa.Index("ix_outbox_occurred", "occurred_at"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", ondelete="CASCADE")
    # Monotonic per tenant, gap-free, in commit order of the tenant's writes.
    seq: int = Field(sa_type=sa.BigInteger)
    type: str  # organization.created, opportunity.stage_changed, ...
    record_type: str
    record_id: uuid.UUID
    record_version: int | None = None
    actor_user_id: uuid.UUID | None = None
    actor_api_key_id: uuid.UUID | None = None
    occurred_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=pg.JSONB(), sa_column_kwargs={"nullable": False})
    relayed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class OutboxHead(Record, table=True):
    """The last event number of each tenant; its row lock orders the tenant's events."""

    __tablename__ = "outbox_heads"

    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", primary_key=True, ondelete="CASCADE")
    seq: int = Field(default=0, sa_type=sa.BigInteger)


class JournalPending(Record, table=True):
    """A unit of work's outbox events and audit entries, staged by its last statement
    and written by a trigger deferred to its COMMIT (crm_graph.kernel.journal), which
    deletes the row again: the table is empty outside a committing transaction, so
    it is UNLOGGED (nothing of it needs to survive a crash)."""

    __tablename__ = "journal_pending"
    __table_args__ = ({"prefixes": ["UNLOGGED"]},)

    id: uuid.UUID = Field(primary_key=True)
    tenant_id: uuid.UUID
    actor_user_id: uuid.UUID | None = None
    actor_api_key_id: uuid.UUID | None = None
    occurred_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    request_id: str | None = Field(default=None, sa_type=sa.Text())
    client_address: str | None = Field(default=None, sa_type=sa.Text())
    ev_type: list[str] = Field(sa_type=pg.ARRAY(sa.Text()), sa_column_kwargs={"nullable": False})
    ev_record_type: list[str] = Field(sa_type=pg.ARRAY(sa.Text()), sa_column_kwargs={"nullable": False})
    ev_record_id: list[uuid.UUID] = Field(sa_type=pg.ARRAY(sa.Uuid()), sa_column_kwargs={"nullable": False})
    ev_version: list[int | None] = Field(sa_type=pg.ARRAY(sa.Integer()), sa_column_kwargs={"nullable": False})
    ev_changes: list[str] = Field(sa_type=pg.ARRAY(sa.Text()), sa_column_kwargs={"nullable": False})
    en_action: list[str] = Field(sa_type=pg.ARRAY(sa.Text()), sa_column_kwargs={"nullable": False})
    en_record_type: list[str | None] = Field(sa_type=pg.ARRAY(sa.Text()), sa_column_kwargs={"nullable": False})
    en_record_id: list[uuid.UUID | None] = Field(sa_type=pg.ARRAY(sa.Uuid()), sa_column_kwargs={"nullable": False})
    en_changes: list[str] = Field(sa_type=pg.ARRAY(sa.Text()), sa_column_kwargs={"nullable": False})
    en_head: list[bytes] = Field(sa_type=pg.ARRAY(sa.LargeBinary()), sa_column_kwargs={"nullable": False})
    en_tail: list[bytes] = Field(sa_type=pg.ARRAY(sa.LargeBinary()), sa_column_kwargs={"nullable": False})
