"""Assignment rules: a tenant's ordered rules, the first that matches a lead picks
its owner (round-robin among a team's members, the least loaded member, or a fixed
owner: a territory's rep or the fallback owner).

Round-robin is fair and safe under concurrency: each rule's turn counter is one row
(`lead_assignment_cursors`), advanced by an INSERT ... ON CONFLICT DO UPDATE in the
transaction that assigns the lead. Concurrent assignments queue on that row and each
gets its own turn; a rolled-back assignment gives its turn back.

A service other domains (workflow automation later) can call with any actor: it
reads and writes as the system, the caller's policy check is done before.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.domains.leads import models
from crm_graph.kernel.db import UnitOfWork
from crm_graph.platform.identity.models import User

LEADS: sa.Table = models.Lead.__table__
RULES: sa.Table = models.LeadAssignmentRule.__table__
CURSORS: sa.Table = models.LeadAssignmentCursor.__table__
USERS: sa.Table = User.__table__
M = models.AssignmentMethod


def matches(rule: Mapping[str, Any], lead: Mapping[str, Any]) -> bool:
    """Every non-empty criterion of the rule holds the lead's value (case-insensitive)."""
    for criterion, field in (("countries", "country"), ("regions", "region"), ("industries", "industry")):
        wanted = {v.casefold() for v in rule[criterion] or []}
        if wanted and (lead.get(field) or "").casefold() not in wanted:
            return False
    sources = set(rule["sources"] or [])
    return not sources or lead.get("source") in sources


def _members(rule: Mapping[str, Any]) -> Any:
    return sa.select(USERS.c.id).where(
        USERS.c.tenant_id == rule["tenant_id"], USERS.c.team_id == rule["team_id"], USERS.c.archived_at.is_(None)
    )


async def _round_robin(uow: UnitOfWork, rule: Mapping[str, Any]) -> uuid.UUID | None:
    members = list((await uow.execute(_members(rule).order_by(USERS.c.id))).scalars())
    if not members:
        return None
    insert = pg.insert(CURSORS).values(tenant_id=uow.tenant_id, rule_id=rule["id"], turns=1)
    stmt = insert.on_conflict_do_update(
        index_elements=[CURSORS.c.tenant_id, CURSORS.c.rule_id], set_={"turns": CURSORS.c.turns + 1}
    ).returning(CURSORS.c.turns)
    turns = int((await uow.execute(stmt)).scalar_one())
    chosen: uuid.UUID = members[(turns - 1) % len(members)]
    await uow.execute(
        sa.update(CURSORS)
        .where(CURSORS.c.tenant_id == uow.tenant_id, CURSORS.c.rule_id == rule["id"])
        .values(last_user_id=chosen)
    )
    return chosen


async def _least_loaded(uow: UnitOfWork, rule: Mapping[str, Any]) -> uuid.UUID | None:
    members = _members(rule).subquery()
    load = (
        sa.select(sa.func.count(LEADS.c.id))
        .where(
            LEADS.c.tenant_id == uow.tenant_id,
            LEADS.c.owner_id == members.c.id,
            LEADS.c.archived_at.is_(None),
            LEADS.c.status.in_(models.OPEN_STATUSES),
        )
        .scalar_subquery()
    )
    stmt = sa.select(members.c.id).order_by(load, members.c.id).limit(1)
    return (await uow.execute(stmt)).scalar_one_or_none()


async def _active_user(uow: UnitOfWork, user_id: uuid.UUID | None) -> uuid.UUID | None:
    if user_id is None:
        return None
    stmt = sa.select(USERS.c.id).where(
        USERS.c.id == user_id, USERS.c.tenant_id == uow.tenant_id, USERS.c.archived_at.is_(None)
    )
    return (await uow.execute(stmt)).scalar_one_or_none()


async def choose_owner(uow: UnitOfWork, lead: Mapping[str, Any]) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """(owner, rule that chose it) by the tenant's rules in order; (None, None) when no
    rule matches or a matching rule has nobody to give the lead to (the next is tried)."""
    stmt = (
        sa.select(RULES)
        .where(RULES.c.tenant_id == uow.tenant_id, RULES.c.archived_at.is_(None))
        .order_by(RULES.c.position, RULES.c.id)
    )
    for row in (await uow.execute(stmt)).all():
        rule = dict(row._mapping)
        if not matches(rule, lead):
            continue
        if rule["method"] == M.ROUND_ROBIN.value:
            owner = await _round_robin(uow, rule)
        elif rule["method"] == M.LEAST_LOADED.value:
            owner = await _least_loaded(uow, rule)
        else:
            owner = await _active_user(uow, rule["owner_id"])
        if owner is not None:
            return owner, rule["id"]
    return None, None


async def assign(
    uow: UnitOfWork, lead: Mapping[str, Any], owner_id: uuid.UUID | None, rule_id: uuid.UUID | None
) -> Mapping[str, Any]:
    """Give the lead to `owner_id` as the system: the rules may hand a lead to someone
    outside the actor's own scope (a rep's new lead goes to a colleague's territory).
    Emits `lead.assigned` with the rule that decided, if any."""
    if owner_id == lead["owner_id"]:
        return lead
    written = (
        (
            await uow.execute(
                sa.update(LEADS)
                .where(LEADS.c.id == lead["id"])
                .values(owner_id=owner_id, version=LEADS.c.version + 1, updated_at=sa.func.now())
                .returning(LEADS)
            )
        )
        .one()
        ._mapping
    )
    after: dict[str, Any] = dict(written)
    changes: dict[str, tuple[Any, Any]] = {"owner_id": (lead["owner_id"], owner_id)}
    if rule_id is not None:
        changes["assignment_rule_id"] = (None, rule_id)
    uow.emit("lead.assigned", "lead", lead["id"], after["version"], changes)
    return after
