"""Webhooks as a composed part of the schema and the worker."""

from __future__ import annotations

from arq import cron

from crm_graph.kernel.domain import Domain
from crm_graph.platform.webhooks import delivery, events, models, queries

DOMAIN = Domain(
    name="webhooks",
    description="Standard Webhooks endpoints, fan-out of change events to them, and signed deliveries.",
    tables=(models,),
    entities=(queries.WEBHOOK, queries.WEBHOOK_DELIVERY),
    api=("crm_graph.platform.webhooks.api",),
    jobs=(delivery.deliver_webhook,),
    cron_jobs=(
        # Every 2 s; unique: a round still running is not started twice.
        cron(delivery.webhook_fanout, second=set(range(0, 60, 2)), unique=True),
        cron(delivery.retry_due_deliveries, second=set(range(1, 60, 2)), unique=True),
    ),
    events=tuple(events.EVENT_TYPES),
    # An endpoint disabled after failing for days tells its creator.
    notification_kinds=(delivery.WEBHOOK_DISABLED,),
)
