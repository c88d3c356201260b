"""The quotes domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from arq import cron

from crm_graph.domains.quotes import events, jobs, models, policies, read, seed
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="quotes",
    description="Quotes on opportunities: lines, exact totals, approval of large discounts, documents.",
    tables=(models,),
    entities=(read.QUOTE, read.QUOTE_LINE),
    root_lists={"quotes": "Quote"},
    api=("crm_graph.domains.quotes.api",),
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
    seed=seed.seed_demo,
    # Idempotent: an expired quote is not selected again.
    cron_jobs=(cron(jobs.expire_quotes, minute=7, second=15, unique=True),),  # hourly
)
