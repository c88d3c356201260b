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

from crm_graph import writes
from crm_graph.authz.enforcer import SCOPES
from crm_graph.authz.guard import require
from crm_graph.authz.models import PolicyRule, Role
from crm_graph.db import UnitOfWork
from crm_graph.errors import FieldProblem, Invalid
from crm_graph.identity.actor import Actor
from crm_graph.identity.models import Tenant, User
from crm_graph.readside import registry  # noqa: F401  (all entities declared)
from crm_graph.readside.spec import entities

ROLES, RULES, USERS = Role.__table__, PolicyRule.__table__, User.__table__
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
_OBJECT = re.compile(r"^(\*|[a-z_]+(\.[a-z_]+)?)$")
ACTIONS = ("read", "create", "update", "archive", "delete", "*")
# user.deactivated/reactivated and team moves: open subscriptions re-check their reader at once.
POLICY_EVENTS = ("role.created", "policy.granted", "policy.revoked", "user.roles_changed", "user.deactivated",
                 "user.reactivated", "user.team_changed", "team.moved")


def guardable_fields() -> set[str]:
    """`<type>.<field>` of every field declared as guarded: the ones field rules govern."""
    return {f"{e.record_type}.{c.name}" for e in entities() for c in e.fields if c.guarded}


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
    problems = [FieldProblem((field, str(i)), f"No role named {n!r}.", "NOT_FOUND") for i, n in enumerate(names) if n not in known]
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
    row = await writes.insert(uow, ROLES, "role", {"name": name, "description": data.get("description")},
                              event="role.created")
    if inherits:
        await uow.execute(sa.insert(RULES), [
            {"tenant_id": uow.tenant_id, "ptype": "g", "subject": name, "object": parent, "created_by_id": actor.user_id}
            for parent in inherits
        ])
    await _bump_version(uow)
    return row


def _rule_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {
        "subject": data.get("role", ""),
        "object": (data.get("object") or "").strip(),
        "action": (data.get("action") or "").strip(),
        "scope": data.get("scope") or "tenant",
        "effect": data.get("effect") or "allow",
    }
    problems = []
    if not _OBJECT.match(values["object"]):
        problems.append(FieldProblem(("object",), "A record type, `<type>.<field>`, or *."))
    elif "." in values["object"] and values["object"] not in guardable_fields():
        problems.append(FieldProblem(("object",), "Field rules apply to: " + ", ".join(sorted(guardable_fields())) + ".",
                                     "NOT_GUARDABLE"))
    if values["action"] not in ACTIONS:
        problems.append(FieldProblem(("action",), f"One of {', '.join(ACTIONS)}."))
    if values["scope"] not in SCOPES:
        problems.append(FieldProblem(("scope",), f"One of {', '.join(SCOPES)}."))
    if problems:
        raise Invalid(problems)
    return values


async def grant(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    require(actor, "policy", "create")
    values = _rule_values(data)
    await _require_roles(uow, [values["subject"]], "role")
    existing = (await uow.execute(sa.select(RULES).where(
        RULES.c.tenant_id == uow.tenant_id, RULES.c.ptype == "p",
        *[RULES.c[k] == v for k, v in values.items()],
    ))).first()
    if existing is not None:
        return existing._mapping
    row = await writes.insert(uow, RULES, "policy", {"ptype": "p", **values, "created_by_id": actor.user_id},
                              event="policy.granted")
    await _bump_version(uow)
    return row


async def revoke(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Remove a rule (by id, or by its role/object/action/scope/effect)."""
    require(actor, "policy", "delete")
    if data.get("id") is not None:
        match = [RULES.c.id == data["id"]]
    else:
        values = _rule_values(data)
        match = [RULES.c[k] == v for k, v in values.items()]
    row = (await uow.execute(
        sa.delete(RULES).where(RULES.c.tenant_id == uow.tenant_id, RULES.c.ptype == "p", *match).returning(RULES)
    )).first()
    if row is None:
        raise Invalid([FieldProblem(("id",) if data.get("id") else ("role",), "No such rule.", "NOT_FOUND")])
    rule = row._mapping
    uow.emit("policy.revoked", "policy", rule["id"], rule["version"],
             {k: (rule[k], None) for k in ("subject", "object", "action", "scope", "effect")})
    await _bump_version(uow)
    return rule


async def assign_roles(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    require(actor, "user", "update")
    roles = list(dict.fromkeys(data.get("roles") or []))
    await _require_roles(uow, roles, "roles")
    before = await writes.load(uow, USERS, "user", data["user_id"], path=("user_id",))
    after = await writes.update(uow, USERS, "user", data["user_id"], {"roles": roles}, before=before,
                                event="user.roles_changed")
    await _bump_version(uow)
    return after
