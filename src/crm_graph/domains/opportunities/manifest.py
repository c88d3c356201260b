"""The opportunities domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from crm_graph.domains.opportunities import defaults, events, models, policies, read
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="opportunities",
    description="Pipelines with ordered stages, opportunities and their stage history.",
    tables=(models,),
    entities=(
        read.PIPELINE,
        read.STAGE,
        read.OPPORTUNITY,
        read.STAGE_CHANGE,
    ),
    root_lists={"opportunities": "Opportunity", "pipelines": "Pipeline"},
    api=("crm_graph.domains.opportunities.api",),
    rules=policies.RULES,
    tenant_setup=defaults.create_default_pipeline,
    events=tuple(events.EVENT_TYPES),
)
