"""Create tenants, teams and users: used by the seed, the CLI and every test's fresh tenant.

Plain Core inserts on the caller's connection and no commit: the caller owns the
transaction, so a test can roll a whole tenant back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from crm_graph.platform.authz.defaults import DEFAULT_INHERITANCE, DEFAULT_ROLES, DEFAULT_RULES
from crm_graph.platform.authz.models import PolicyRule, Role
from crm_graph.platform.identity import models as identity
from crm_graph.domains.opportunities import models as opportunities
from crm_graph.domains.relationships import models as relationships
from crm_graph.domains.relationships.kinds import BUILT_IN_KINDS

IdFactory = Callable[[], uuid.UUID]

DEFAULT_PIPELINE = "Sales"
DEFAULT_STALE_AFTER_DAYS = 14
# (name, probability %, is_won, is_lost), in pipeline order.
DEFAULT_STAGES: tuple[tuple[str, int, bool, bool], ...] = (
    ("Qualification", 10, False, False),
    ("Discovery", 20, False, False),
    ("Proposal", 50, False, False),
    ("Negotiation", 75, False, False),
    ("Closed Won", 100, True, False),
    ("Closed Lost", 0, False, True),
)


def _table(model: Any) -> sa.Table:
    table: sa.Table = model.__table__
    return table


async def create_tenant(conn: AsyncConnection, slug: str, name: str, *, new_id: IdFactory = uuid.uuid4) -> uuid.UUID:
    """Insert a tenant with its built-in edge kinds and the default "Sales" pipeline.

    Six statements whatever the number of kinds, stages and rules, because tests call this
    once per test. `new_id` lets the demo seed make reproducible ids.
    """
    tenant_id = new_id()
    await conn.execute(sa.insert(_table(identity.Tenant)).values(id=tenant_id, slug=slug, name=name))
    await conn.execute(
        sa.insert(_table(relationships.RelationshipKind)),
        [
            {
                "id": new_id(),
                "tenant_id": tenant_id,
                "key": kind.key,
                "label": kind.label,
                "inverse_label": kind.inverse_label,
                "source_types": list(kind.source_types),
                "target_types": list(kind.target_types),
                "symmetric": kind.symmetric,
                "built_in": True,
            }
            for kind in BUILT_IN_KINDS
        ],
    )
    pipeline_id = new_id()
    await conn.execute(
        sa.insert(_table(opportunities.Pipeline)).values(
            id=pipeline_id,
            tenant_id=tenant_id,
            name=DEFAULT_PIPELINE,
            is_default=True,
            stale_after_days=DEFAULT_STALE_AFTER_DAYS,
        )
    )
    await conn.execute(
        sa.insert(_table(opportunities.Stage)),
        [
            {
                "id": new_id(),
                "tenant_id": tenant_id,
                "pipeline_id": pipeline_id,
                "name": stage_name,
                "position": position,
                "probability": probability,
                "is_won": is_won,
                "is_lost": is_lost,
            }
            for position, (stage_name, probability, is_won, is_lost) in enumerate(DEFAULT_STAGES, start=1)
        ],
    )
    await conn.execute(sa.insert(_table(PolicyRule)), default_policy_rows(tenant_id, new_id))
    await conn.execute(
        sa.insert(_table(Role)),
        [{"id": new_id(), "tenant_id": tenant_id, "name": name, "built_in": True} for name in DEFAULT_ROLES],
    )
    return tenant_id


def default_policy_rows(tenant_id: uuid.UUID, new_id: IdFactory = uuid.uuid4) -> list[dict[str, Any]]:
    """The default roles' rules (crm_graph.platform.authz.defaults) as rows of a tenant."""
    rules = [
        {"id": new_id(), "tenant_id": tenant_id, "ptype": "p", "subject": role, "object": obj,
         "action": action, "scope": scope, "effect": effect}
        for role, obj, action, scope, effect in DEFAULT_RULES
    ]
    rules += [
        {"id": new_id(), "tenant_id": tenant_id, "ptype": "g", "subject": child, "object": parent,
         "action": "", "scope": "", "effect": ""}
        for child, parent in DEFAULT_INHERITANCE
    ]
    return rules


async def create_team(
    conn: AsyncConnection,
    tenant_id: uuid.UUID,
    name: str,
    parent_id: uuid.UUID | None = None,
    *,
    new_id: IdFactory = uuid.uuid4,
) -> uuid.UUID:
    team_id = new_id()
    await conn.execute(
        sa.insert(_table(identity.Team)).values(id=team_id, tenant_id=tenant_id, name=name, parent_id=parent_id)
    )
    return team_id


async def create_user(
    conn: AsyncConnection,
    tenant_id: uuid.UUID,
    email: str,
    name: str,
    roles: list[str],
    team_id: uuid.UUID | None = None,
    *,
    new_id: IdFactory = uuid.uuid4,
) -> uuid.UUID:
    user_id = new_id()
    await conn.execute(
        sa.insert(_table(identity.User)).values(
            id=user_id, tenant_id=tenant_id, email=email, name=name, roles=roles, team_id=team_id
        )
    )
    return user_id
