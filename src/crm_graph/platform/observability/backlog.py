"""What is waiting, read from PostgreSQL when /metrics is scraped: the outbox events
the relay has not yet put in Redis, and the webhook deliveries not yet done.

One statement, on the owner engine (row-level security would hide other tenants'
rows from the API's role), served by the partial indexes the relay and the delivery
jobs use themselves, under a short statement_timeout so a slow database cannot hang
a scrape. Ages are measured on the database's clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from crm_graph.platform.events.models import OutboxEvent
from crm_graph.platform.webhooks.models import Webhook, WebhookDelivery

OUTBOX: sa.Table = OutboxEvent.__table__
DELIVERIES: sa.Table = WebhookDelivery.__table__
WEBHOOKS: sa.Table = Webhook.__table__
TIMEOUT_MS = 2000


@dataclass(frozen=True)
class Backlog:
    outbox_unrelayed: int
    outbox_oldest_age_seconds: float
    webhook_pending: int  # not tried yet
    webhook_retrying: int  # failed at least once since created (or redelivered), will be tried again
    webhook_oldest_due_age_seconds: float
    webhooks_disabled: int


def _age(ts: Any) -> Any:
    return sa.func.coalesce(sa.extract("epoch", sa.func.clock_timestamp() - ts), 0)


def _statement() -> Any:
    unrelayed = OUTBOX.c.relayed_at.is_(None)
    pending = DELIVERIES.c.status == "pending"
    retried = DELIVERIES.c.attempts > DELIVERIES.c.retry_from
    due = DELIVERIES.c.next_attempt_at <= sa.func.clock_timestamp()
    return sa.select(
        sa.select(sa.func.count()).where(unrelayed).scalar_subquery(),
        sa.select(_age(sa.func.min(OUTBOX.c.occurred_at))).where(unrelayed).scalar_subquery(),
        sa.select(sa.func.count()).where(pending, sa.not_(retried)).scalar_subquery(),
        sa.select(sa.func.count()).where(pending, retried).scalar_subquery(),
        sa.select(_age(sa.func.min(DELIVERIES.c.next_attempt_at))).where(pending, due).scalar_subquery(),
        sa.select(sa.func.count()).select_from(WEBHOOKS).where(WEBHOOKS.c.disabled_at.is_not(None)).scalar_subquery(),
    )


async def collect(engine: Any) -> Backlog:
    """Read the backlog with `engine` (an owner engine); raises on a database error."""
    async with engine.begin() as conn:
        await conn.execute(sa.text(f"SET LOCAL statement_timeout = {TIMEOUT_MS}"))
        row = (await conn.execute(_statement())).one()
    return Backlog(int(row[0]), max(float(row[1]), 0.0), int(row[2]), int(row[3]), max(float(row[4]), 0.0), int(row[5]))
