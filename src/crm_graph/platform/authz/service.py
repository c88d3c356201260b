"""Use cases that change who may do what: roles, rules, role assignments.

Each bumps the tenant's policy_version in the same transaction (so every process
recompiles permissions on its next request) and emits an event that is audited
and, after commit, announced on Redis to drop cached enforcers at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.kernel import writes
from crm_graph.kernel.actor import SCOPES, Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Forbidden, Invalid
from crm_graph.kernel.records import row_fields
from crm_graph.platform.authz.guard import require
from crm_graph.platform.authz.models import PolicyRule, Role
from crm_graph.platform.authz.rules import object_problem, scope_problem
from crm_graph.platform.identity.models import Tenant, User

ROLES, RULES, USERS = Role.__table__, PolicyRule.__table__, User.__table__
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
_OBJECT = re.compile(r"^(\*|[a-z_]+(\.[a-z_]+)?)$")
ACTIONS = ("read", "create", "update", "archive", "delete", "*")
# user.deactivated/reactivated and team moves: open subscriptions re-check their reader at once.
POLICY_EVENTS = (
    "role.created",
    "policy.granted",
    "policy.revoked",
    "user.roles_changed",
    "user.deactivated",
    "user.reactivated",
    "user.team_changed",
    "team.moved",
)


async def _bump_version(uow: UnitOfWork) -> None:
    tenants = Tenant.__table__
    await uow.execute(
        sa.update(tenants).where(tenants.c.id == uow.tenant_id).values(policy_version=tenants.c.policy_version + 1)
    )


async def _existing_roles(uow: UnitOfWork, names: list[str]) -> set[str]:
    rows = await uow.execute(sa.select(ROLES.c.name).where(ROLES.c.tenant_id == uow.tenant_id, ROLES.c.name.in_(names)))
    return set(rows.scalars())


async def _require_roles(uow: UnitOfWork, names: list[str], field: str) -> None:
    known = await _existing_roles(uow, names)
    problems = [
        FieldProblem((field, str(i)), f"No role named {n!r}.", "NOT_FOUND")
        for i, n in enumerate(names)
        if n not in known
    ]
    if problems:
        raise Invalid(problems)


async def create_role(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    require(actor, "role", "create")
    name = (data.get("name") or "").strip()
    if not _NAME.match(name):
        raise Invalid([FieldProblem(("name",), "Lower-case letters, digits and _, starting with a letter.")])
    if await _existing_roles(uow, [name]):
        raise Invalid([FieldProblem(("name",), f"A role named {name!r} exists.", "DUPLICATE")])
    inherits = list(dict.fromkeys(data.get("inherits") or []))
    await _require_roles(uow, inherits, "inherits")
    row = await writes.insert(
        uow, ROLES, "role", {"name": name, "description": data.get("description")}, event="role.created"
    )
    if inherits:
        await uow.execute(
            sa.insert(RULES),
            [
                {
                    "tenant_id": uow.tenant_id,
                    "ptype": "g",
                    "subject": name,
                    "object": parent,
                    "created_by_id": actor.user_id,
                }
                for parent in inherits
            ],
        )
    await _bump_version(uow)
    return row


def _rule_values(data: dict[str, Any], granting: bool = True) -> dict[str, Any]:
    """The rule's columns; when `granting`, also refused unless its object is declared
    and its scope one that object's row scope honours (revoking any old rule stays possible)."""
    values = {
        "subject": data.get("role", ""),
        "object": (data.get("object") or "").strip(),
        "action": (data.get("action") or "").strip(),
        "scope": data.get("scope") or "tenant",
        "effect": data.get("effect") or "allow",
    }
    problems = []
    object_ok = False
    if not _OBJECT.match(values["object"]):
        problems.append(FieldProblem(("object",), "A record type, `<type>.<field>`, or *."))
    elif granting and (problem := object_problem(values["object"])) is not None:
        problems.append(FieldProblem(("object",), *problem))
    else:
        object_ok = True
    if values["action"] not in ACTIONS:
        problems.append(FieldProblem(("action",), f"One of {', '.join(ACTIONS)}."))
    if values["scope"] not in SCOPES:
        problems.append(FieldProblem(("scope",), f"One of {', '.join(SCOPES)}."))
    elif granting and object_ok and (reason := scope_problem(values["object"], values["scope"])) is not None:
        problems.append(FieldProblem(("scope",), reason, "SCOPE_NOT_HONOURED"))
    if problems:
        raise Invalid(problems)
    return values


async def grant(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    require(actor, "policy", "create")
    values = _rule_values(data)
    await _require_roles(uow, [values["subject"]], "role")
    existing = (
        await uow.execute(
            sa.select(RULES).where(
                RULES.c.tenant_id == uow.tenant_id,
                RULES.c.ptype == "p",
                *[RULES.c[k] == v for k, v in values.items()],
            )
        )
    ).first()
    if existing is not None:
        return row_fields(existing)
    row = await writes.insert(
        uow, RULES, "policy", {"ptype": "p", **values, "created_by_id": actor.user_id}, event="policy.granted"
    )
    await _bump_version(uow)
    return row


async def revoke(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Remove a rule (by id, or by its role/object/action/scope/effect)."""
    require(actor, "policy", "delete")
    if data.get("id") is not None:
        match = [RULES.c.id == data["id"]]
    else:
        values = _rule_values(data, granting=False)
        match = [RULES.c[k] == v for k, v in values.items()]
    row = (
        await uow.execute(
            sa.delete(RULES).where(RULES.c.tenant_id == uow.tenant_id, RULES.c.ptype == "p", *match).returning(RULES)
        )
    ).first()
    if row is None:
        raise Invalid([FieldProblem(("id",) if data.get("id") else ("role",), "No such rule.", "NOT_FOUND")])
    rule = row_fields(row)
    uow.emit(
        "policy.revoked",
        "policy",
        rule["id"],
        rule["version"],
        {k: (rule[k], None) for k in ("subject", "object", "action", "scope", "effect")},
    )
    await _bump_version(uow)
    return rule


def _require_held(actor: Actor, before: list[str], after: list[str]) -> None:
    """Giving or taking away a role needs holding it, unless the actor may write rules
    (who can write rules gains nothing from a role): as for API keys, a role
    assignment must not be a way to acquire a role one does not have."""
    permissions = actor.permissions
    if permissions is None or permissions.allows("policy", "create"):
        return
    changed = [r for r in after if r not in before] + [r for r in before if r not in after]
    foreign = [r for r in changed if r not in actor.roles]
    if foreign:
        raise Forbidden(
            f"You may only give or take away roles you hold ({', '.join(actor.roles) or 'none'}); "
            f"not {', '.join(foreign)}.",
            ("roles",),
        )


async def assign_roles(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    require(actor, "user", "update")
    roles = list(dict.fromkeys(data.get("roles") or []))
    await _require_roles(uow, roles, "roles")
    before = await writes.load(uow, USERS, "user", data["user_id"], path=("user_id",))
    _require_held(actor, list(before["roles"]), roles)
    after = await writes.update(
        uow, USERS, "user", data["user_id"], {"roles": roles}, before=before, event="user.roles_changed"
    )
    await _bump_version(uow)
    return after
