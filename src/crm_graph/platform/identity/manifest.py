"""Identity as a composed part of the schema: users, teams, API keys, tenant settings."""

from __future__ import annotations

from crm_graph.kernel.domain import Domain
from crm_graph.platform.identity import api_key_models, api_keys, events, models, policies, queries

DOMAIN = Domain(
    name="identity",
    description="Tenants, teams (a tree), users, API keys and the tenant's own settings.",
    tables=(models, api_key_models),
    entities=(queries.USER, queries.TEAM, api_keys.API_KEY),
    root_lists={"users": "User", "teams": "Team"},
    api=(
        "crm_graph.platform.identity.api",
        "crm_graph.platform.identity.api_tenant_settings",
        "crm_graph.platform.identity.api_embed",
    ),
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
)
