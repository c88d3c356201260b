"""The audit log: append-only, hash-chained per tenant."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlmodel import Field

from crm_graph.kernel.records import Record


class AuditEntry(Record, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "seq"),
        sa.Index("ix_audit_log_tenant_occurred", "tenant_id", "occurred_at", "id"),
        sa.Index("ix_audit_log_tenant_action", "tenant_id", "action"),
        sa.Index("ix_audit_log_tenant_record_type", "tenant_id", "record_type"),
        sa.Index("ix_audit_log_record", "record_id"),
        sa.Index("ix_audit_log_actor", "actor_user_id"),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", ondelete="CASCADE")
    seq: int = Field(sa_type=sa.BigInteger)
    occurred_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    actor_user_id: uuid.UUID | None = None  # no foreign key: entries outlive users
    actor_api_key_id: uuid.UUID | None = None
    action: str
    record_type: str | None = None
    record_id: uuid.UUID | None = None
    changes: dict[str, Any] = Field(default_factory=dict, sa_type=pg.JSONB(), sa_column_kwargs={"nullable": False})
    request_id: str | None = None
    client_address: str | None = None
    prev_hash: str
    hash: str


class AuditHead(Record, table=True):
    """The last entry of each tenant's chain; its row lock serializes appends."""

    __tablename__ = "audit_heads"

    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", primary_key=True, ondelete="CASCADE")
    seq: int = Field(default=0, sa_type=sa.BigInteger)
    hash: str = ""
