"""Authorization as a composed part of the schema: roles, rules and role assignments."""

from __future__ import annotations

from crm_graph.kernel.domain import Domain
from crm_graph.platform.authz import events, models, policies, queries

DOMAIN = Domain(
    name="authz",
    description="Roles and the rules (Casbin policies) that say who may do what.",
    tables=(models,),
    entities=(queries.ROLE, queries.POLICY_RULE),
    root_lists={"roles": "Role", "policies": "PolicyRule"},
    api=("crm_graph.platform.authz.api",),
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
)
