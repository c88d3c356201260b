"""Create tenants, teams and users: used by the seed, the CLI and every test's fresh tenant.

Plain Core inserts on the caller's connection and no commit: the caller owns the
transaction, so a test can roll a whole tenant back. A composition root: a new
tenant gets what every domain in DOMAINS sets up.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from crm_graph.domains.enabled import DOMAINS, default_rules
from crm_graph.platform.authz.defaults import DEFAULT_INHERITANCE, DEFAULT_ROLES
from crm_graph.platform.authz.models import PolicyRule, Role
from crm_graph.platform.identity import models as identity

IdFactory = Callable[[], uuid.UUID]


def _table(model: Any) -> sa.Table:
    table: sa.Table = model.__table__
    return table


async def create_tenant(conn: AsyncConnection, slug: str, name: str, *, new_id: IdFactory = uuid.uuid4) -> uuid.UUID:
    """Insert a tenant with its default roles and rules, and what each domain sets up
    for a new tenant (built-in edge kinds, the default "Sales" pipeline).

    Six statements whatever the number of kinds, stages and rules, because tests call this
    once per test. `new_id` lets the demo seed make reproducible ids.
    """
    tenant_id = new_id()
    await conn.execute(sa.insert(_table(identity.Tenant)).values(id=tenant_id, slug=slug, name=name))
    for domain in DOMAINS:
        if domain.tenant_setup is not None:
            await domain.tenant_setup(conn, tenant_id, new_id)
    await conn.execute(sa.insert(_table(PolicyRule)), default_policy_rows(tenant_id, new_id))
    await conn.execute(
        sa.insert(_table(Role)),
        [{"id": new_id(), "tenant_id": tenant_id, "name": name, "built_in": True} for name in DEFAULT_ROLES],
    )
    return tenant_id


def default_policy_rows(tenant_id: uuid.UUID, new_id: IdFactory = uuid.uuid4) -> list[dict[str, Any]]:
    """The default roles' rules (each domain's policies, composed in crm_graph.domains.enabled) as rows of a tenant."""
    rules = [
        {
            "id": new_id(),
            "tenant_id": tenant_id,
            "ptype": "p",
            "subject": role,
            "object": obj,
            "action": action,
            "scope": scope,
            "effect": effect,
        }
        for role, obj, action, scope, effect in default_rules()
    ]
    rules += [
        {
            "id": new_id(),
            "tenant_id": tenant_id,
            "ptype": "g",
            "subject": child,
            "object": parent,
            "action": "",
            "scope": "",
            "effect": "",
        }
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
