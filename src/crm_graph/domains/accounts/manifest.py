"""The accounts domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from crm_graph.domains.accounts import events, models, policies, read
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="accounts",
    description="Organizations: customers, prospects, partners, competitors, suppliers.",
    tables=(models,),
    entities=(read.ORGANIZATION,),
    root_lists={"organizations": "Organization"},
    api=("crm_graph.domains.accounts.api",),
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
)
