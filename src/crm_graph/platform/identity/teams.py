"""Teams (a tree) and team membership: teamCreate, teamUpdate, userSetTeam.

Team membership is what the `team` scope reads: a manager sees the records of the
users in their team's subtree. Moving a user or a team changes what managers may
see, so those changes bump the tenant's policy version (every process drops cached
actors and open subscriptions re-check their reader at once, as for deactivation).
A new team has no members yet, so creating one changes nobody's scope.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.kernel import writes
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.platform.authz.guard import require
from crm_graph.platform.identity.models import Team, User
from crm_graph.platform.identity.users import bump_policy_version

TEAMS: sa.Table = Team.__table__
USERS: sa.Table = User.__table__
RECORD_TYPE = "team"
MOVED = "team.moved"
USER_TEAM_CHANGED = "user.team_changed"
MAX_NAME = 200


def _name(value: Any) -> str:
    name = (value or "").strip()
    if not name:
        raise Invalid([FieldProblem(("name",), "Cannot be empty.", "REQUIRED")])
    if len(name) > MAX_NAME:
        raise Invalid([FieldProblem(("name",), f"At most {MAX_NAME} characters.", "TOO_LONG")])
    return name


async def _refuse_taken(uow: UnitOfWork, name: str, but: uuid.UUID | None = None) -> None:
    taken = sa.select(TEAMS.c.id).where(TEAMS.c.tenant_id == uow.tenant_id, TEAMS.c.name == name)
    if but is not None:
        taken = taken.where(TEAMS.c.id != but)
    if (await uow.execute(taken)).first() is not None:
        raise Invalid([FieldProblem(("name",), f"A team named {name!r} exists.", "DUPLICATE")])


async def _refuse_cycle(uow: UnitOfWork, team_id: uuid.UUID, parent_id: uuid.UUID) -> None:
    """A team cannot go under itself or one of its own sub-teams."""
    subtree = (
        sa.select(TEAMS.c.id)
        .where(TEAMS.c.id == team_id, TEAMS.c.tenant_id == uow.tenant_id)
        .cte("subtree", recursive=True)
    )
    subtree = subtree.union(sa.select(TEAMS.c.id).join(subtree, TEAMS.c.parent_id == subtree.c.id))
    inside = (await uow.execute(sa.select(subtree.c.id).where(subtree.c.id == parent_id))).first()
    if inside is not None:
        raise Invalid(
            [FieldProblem(("parent_id",), "A team cannot be moved under itself or one of its sub-teams.", "CYCLE")]
        )


async def create_team(uow: UnitOfWork, actor: Any, data: dict[str, Any]) -> Mapping[str, Any]:
    require(actor, RECORD_TYPE, "create")
    name = _name(data.get("name"))
    await writes.require_exists(uow, TEAMS, RECORD_TYPE, data.get("parent_id"), ("parent_id",))
    await _refuse_taken(uow, name)
    return await writes.insert(uow, TEAMS, RECORD_TYPE, {"name": name, "parent_id": data.get("parent_id")})


async def update_team(uow: UnitOfWork, actor: Any, data: dict[str, Any]) -> Mapping[str, Any]:
    """Rename a team and/or move it (parentId null: to the top of the tree)."""
    require(actor, RECORD_TYPE, "update")
    before = await writes.load(uow, TEAMS, RECORD_TYPE, data["id"])
    writes.check_version(RECORD_TYPE, before, data.get("expected_version"))
    changes: dict[str, Any] = {}
    if "name" in data:
        changes["name"] = _name(data["name"])
        await _refuse_taken(uow, changes["name"], but=before["id"])
    if "parent_id" in data:
        parent = data["parent_id"]
        if parent is not None:
            await writes.require_exists(uow, TEAMS, RECORD_TYPE, parent, ("parent_id",))
            await _refuse_cycle(uow, before["id"], parent)
        changes["parent_id"] = parent
    moved = "parent_id" in changes and changes["parent_id"] != before["parent_id"]
    after = await writes.update(
        uow, TEAMS, RECORD_TYPE, before["id"], changes, before=before, event=MOVED if moved else None
    )
    if moved:
        await bump_policy_version(uow)
    return after


async def set_user_team(uow: UnitOfWork, actor: Any, data: dict[str, Any]) -> Mapping[str, Any]:
    """Put a user in a team, or in none (teamId null)."""
    require(actor, "user", "update")
    before = await writes.load(uow, USERS, "user", data["user_id"], path=("user_id",))
    writes.check_version("user", before, data.get("expected_version"))
    team = data.get("team_id")
    await writes.require_exists(uow, TEAMS, RECORD_TYPE, team, ("team_id",))
    if team == before["team_id"]:
        return before
    after = await writes.update(
        uow, USERS, "user", before["id"], {"team_id": team}, before=before, event=USER_TEAM_CHANGED
    )
    await bump_policy_version(uow)
    return after
