"""Webhook endpoints, their deliveries (one per endpoint and event), each attempt's
log, and the fan-out cursor per tenant. Tables only."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlmodel import Field

from crm_graph.kernel.records import Record, now_column, text_array


def _ts() -> Any:
    return Field(default=None, sa_type=sa.DateTime(timezone=True))


class Webhook(Record, table=True):
    __tablename__ = "webhooks"

    id: uuid.UUID = Field(
        default_factory=uuid.uuid4, primary_key=True, sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")}
    )
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True, ondelete="CASCADE")
    url: str
    event_types: list[str] = text_array()
    description: str | None = None
    # A GraphQL document run as the webhook's creator for each event; its data is the
    # payload (Saleor's subscription payloads). Null: the payload is the event itself.
    payload_query: str | None = None
    # whsec_<base64>; readable by the owner engine and the API role (RLS-scoped), never
    # exposed by the Webhook type.
    secret: str
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = _ts()
    # Events with a seq at or below this (the tenant's head at creation) are not sent.
    start_seq: int = Field(default=0, sa_type=sa.BigInteger, sa_column_kwargs={"server_default": "0"})
    disabled_at: datetime | None = _ts()
    disabled_reason: str | None = None
    failing_since: datetime | None = _ts()
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True, ondelete="SET NULL")
    created_at: datetime | None = now_column()
    updated_at: datetime | None = now_column()
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class WebhookDelivery(Record, table=True):
    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        # One delivery per (endpoint, event), however many fan-outs run.
        sa.UniqueConstraint("webhook_id", "event_seq"),
        sa.CheckConstraint("status IN ('pending', 'succeeded', 'failed', 'dead')", name="ck_webhook_deliveries_status"),
        sa.Index("ix_webhook_deliveries_due", "next_attempt_at", postgresql_where=sa.text("status = 'pending'")),
        sa.Index("ix_webhook_deliveries_record", "webhook_id", "record_id", "created_at"),
        sa.Index("ix_webhook_deliveries_webhook_status", "webhook_id", "status", "created_at"),
        sa.Index("ix_webhook_deliveries_tenant_created", "tenant_id", "created_at"),
        sa.Index("ix_webhook_deliveries_tenant_status", "tenant_id", "status", "created_at"),
    )

    id: uuid.UUID = Field(
        default_factory=uuid.uuid4, primary_key=True, sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")}
    )
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", ondelete="CASCADE")
    webhook_id: uuid.UUID = Field(foreign_key="webhooks.id", ondelete="CASCADE")
    event_seq: int | None = Field(default=None, sa_type=sa.BigInteger)  # null for webhook.test
    event_id: str | None = None
    event_type: str
    record_id: uuid.UUID | None = None
    # The event as the relay stores it (streams.encode); kept so a retry or a
    # redelivery sends the same thing after the outbox row is pruned.
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=pg.JSONB(), sa_column_kwargs={"nullable": False})
    status: str = Field(default="pending", sa_column_kwargs={"server_default": "pending"})
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # attempts made before the last webhookRedeliver: the backoff restarts from there.
    retry_from: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    next_attempt_at: datetime | None = _ts()
    last_status_code: int | None = None
    last_error: str | None = None
    last_duration_ms: int | None = None
    response_excerpt: str | None = None
    created_at: datetime | None = now_column()
    updated_at: datetime | None = now_column()
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class WebhookAttempt(Record, table=True):
    __tablename__ = "webhook_attempts"

    id: uuid.UUID = Field(
        default_factory=uuid.uuid4, primary_key=True, sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")}
    )
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True, ondelete="CASCADE")
    delivery_id: uuid.UUID = Field(foreign_key="webhook_deliveries.id", index=True, ondelete="CASCADE")
    attempt: int
    status_code: int | None = None
    duration_ms: int | None = None
    error: str | None = None
    response_excerpt: str | None = None
    at: datetime = Field(sa_type=sa.DateTime(timezone=True))


class WebhookCursor(Record, table=True):
    """The last outbox seq of the tenant the fan-out has turned into deliveries."""

    __tablename__ = "webhook_cursors"

    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", primary_key=True, ondelete="CASCADE")
    seq: int = Field(default=0, sa_type=sa.BigInteger)
