"""The interactions domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from crm_graph.domains.interactions import events, models, policies, read
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="interactions",
    description="Activities (calls, emails, meetings, notes, ...) and who took part.",
    tables=(models,),
    entities=(read.INTERACTION,),
    root_lists={"interactions": "Interaction"},
    api=("crm_graph.domains.interactions.api",),
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
)
