"""Change events as a composed part of the schema and the worker."""

from __future__ import annotations

from arq import cron

from crm_graph.kernel.domain import Domain
from crm_graph.platform.events import jobs, models

DOMAIN = Domain(
    name="events",
    description="The transactional outbox, its relay to Redis Streams, catch-up and live subscriptions.",
    tables=(models,),
    api=("crm_graph.platform.events.api", "crm_graph.platform.events.api_subscriptions"),
    cron_jobs=(
        cron(jobs.sweep_outbox, second=0),  # every minute
        cron(jobs.prune_events, minute=17, second=0),  # hourly, off the top of the hour
    ),
)
