"""The relationships domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from crm_graph.domains.relationships import events, kinds, models, policies, read
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="relationships",
    description="Typed edges between records, their kinds, and graph walks.",
    tables=(models,),
    entities=(
        read.RELATIONSHIP,
        read.RELATIONSHIP_KIND,
    ),
    root_lists={"relationships": "Relationship", "relationship_kinds": "RelationshipKind"},
    api=("crm_graph.domains.relationships.api",),
    type_fields="crm_graph.domains.relationships.api_graph",
    rules=policies.RULES,
    tenant_setup=kinds.create_built_in_kinds,
    events=tuple(events.EVENT_TYPES),
)
