"""Row scopes on the lists nested under contacts, opportunities, interactions, teams
and pipelines, against records built here and expectations written by hand.

The lists under an organization are in test_matrix.py; these hang off other parents.
Each record below is named; each expectation lists, by name, the records a role must
see in one nested list: exactly those, no more (a nested list whose scope was lost
shows the others) and no fewer.

Roles: rep1 is a sales_rep (own opportunities, interactions and tasks; an interaction
it took part in counts as its own); the manager a sales_manager (the same types by
team: manager, rep1, rep2; not the service agent); marketing reads contacts and
organizations only, so the lists of other types are empty under a contact it can read.
Members, sub-teams, stages, an interaction's contacts and users, and the stage history
of a visible deal are read tenant-wide by these roles: their expectations pin what a
scoped list must still show (and that archived records stay out).
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from crm_graph.domains.opportunities.models import OpportunityStageChange

from .conftest import PARTICIPANTS, T0, World, build_world, gid

STAGE_CHANGES: sa.Table = OpportunityStageChange.__table__  # type: ignore[attr-defined]
ROLES = ("sales_rep", "sales_manager", "marketing_manager")


class Built:
    """The named records of this module, by name -> (record type, id)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.ids: dict[str, tuple[str, uuid.UUID]] = {}

    async def add(self, name: str, record_type: str, owner: str, /, **values: Any) -> uuid.UUID:
        id_ = await self.world.insert(record_type, owner, **values)
        self.ids[name] = (record_type, id_)
        return id_

    def gid(self, name: str) -> str:
        return gid(*self.ids[name])

    def name_of(self, global_id: str) -> str:
        return next((n for n in self.ids if self.gid(n) == global_id), f"unnamed {global_id}")


async def _participate(
    world: World, interaction: uuid.UUID, *, contact: uuid.UUID | None = None, user: str | None = None
) -> None:
    async with world.engine.begin() as conn:
        await conn.execute(
            sa.insert(PARTICIPANTS).values(
                tenant_id=world.a.id,
                interaction_id=interaction,
                contact_id=contact,
                user_id=world.a.users[user] if user else None,
            )
        )


@pytest.fixture(scope="module")
async def built(owner_engine: Any, authz_http: Any) -> Built:
    world = await build_world(owner_engine, authz_http)
    b = Built(world)
    contact = await b.add("contact", "contact", "rep2")
    other_contact = await b.add("contact of the manager", "contact", "manager")
    archived_contact = await b.add("archived contact", "contact", "rep1", archived_at=T0)

    # Opportunities whose primary contact is `contact`, one per owner.
    for owner in ("rep1", "rep2", "manager", "agent"):
        await b.add(f"deal of {owner}", "opportunity", owner, primary_contact_id=contact)
    deal = b.ids["deal of rep1"][1]

    # Tasks on the contact and on rep1's deal; interactions on rep1's deal.
    for owner in ("rep1", "rep2", "manager", "agent"):
        await b.add(f"contact task of {owner}", "task", owner, record_type="contact", record_id=contact)
        await b.add(f"deal task of {owner}", "task", owner, record_type="opportunity", record_id=deal)
        await b.add(f"deal call of {owner}", "interaction", owner, opportunity_id=deal)

    # Interactions the contact took part in, one per owner, and rep2's with rep1 taking part.
    for owner in ("rep1", "rep2", "manager", "agent"):
        call = await b.add(f"contact call of {owner}", "interaction", owner)
        await _participate(world, call, contact=contact)
    shared = await b.add("contact call of rep2 with rep1", "interaction", "rep2")
    await _participate(world, shared, contact=contact)
    await _participate(world, shared, user="rep1")

    # rep1's call with three contacts (one archived) and rep2 taking part besides rep1.
    call = b.ids["contact call of rep1"][1]
    await _participate(world, call, contact=other_contact)
    await _participate(world, call, contact=archived_contact)
    await _participate(world, call, user="rep2")

    # Two moves of rep1's deal.
    stages = await _stages(world)
    async with world.engine.begin() as conn:
        for i, (who, to) in enumerate((("rep2", 1), ("manager", 2))):
            id_ = uuid.uuid4()
            await conn.execute(
                sa.insert(STAGE_CHANGES).values(
                    id=id_,
                    tenant_id=world.a.id,
                    opportunity_id=deal,
                    from_stage_id=stages[to - 1],
                    to_stage_id=stages[to],
                    changed_by_id=world.a.users[who],
                    changed_at=T0.replace(day=2 + i),
                )
            )
            b.ids[f"move to stage {to + 1}"] = ("opportunity_stage_change", id_)
    for key, user in world.a.users.items():
        b.ids[f"user {key}"] = ("user", user)
    for team, id_ in world.a.teams.items():
        b.ids[f"team {team}"] = ("team", id_)
    for position, id_ in enumerate(stages, start=1):
        b.ids[f"stage {position}"] = ("stage", id_)
    # The world's own opportunities (one per user, and one per user's edge).
    for key, id_ in world.mine["opportunity"].items():
        b.ids[f"world deal of {key}"] = ("opportunity", id_)
    for key, id_ in world.edge_targets.items():
        if key is not None:
            b.ids[f"edge deal of {key}"] = ("opportunity", id_)
    return b


async def _stages(world: World) -> list[uuid.UUID]:
    s = sa.table("stages", sa.column("id"), sa.column("pipeline_id"), sa.column("position"))
    async with world.engine.connect() as conn:
        rows = await conn.execute(sa.select(s.c.id).where(s.c.pipeline_id == world.a.pipeline).order_by(s.c.position))
        return [r.id for r in rows]


def per_owner(prefix: str, owners: str) -> set[str]:
    return {f"{prefix} of {o}" for o in owners.split()}


SALES_TEAM = "rep1 rep2 manager"  # the manager's team scope: Sales and Sales Reps
# (parent name, parent type, list field) -> role -> the names that list must hold.
EXPECTED: dict[tuple[str, str, str], dict[str, set[str]]] = {
    ("contact", "Contact", "opportunities"): {
        "sales_rep": {"deal of rep1"},
        "sales_manager": per_owner("deal", SALES_TEAM),
        "marketing_manager": set(),
    },
    ("contact", "Contact", "tasks"): {
        "sales_rep": {"contact task of rep1"},
        "sales_manager": per_owner("contact task", SALES_TEAM),
        "marketing_manager": set(),
    },
    ("contact", "Contact", "interactions"): {
        "sales_rep": {"contact call of rep1", "contact call of rep2 with rep1"},
        "sales_manager": per_owner("contact call", SALES_TEAM) | {"contact call of rep2 with rep1"},
        "marketing_manager": set(),
    },
    ("deal of rep1", "Opportunity", "interactions"): {
        "sales_rep": {"deal call of rep1"},
        "sales_manager": per_owner("deal call", SALES_TEAM),
    },
    ("deal of rep1", "Opportunity", "tasks"): {
        "sales_rep": {"deal task of rep1"},
        "sales_manager": per_owner("deal task", SALES_TEAM),
    },
    ("deal of rep1", "Opportunity", "stageHistory"): {
        "sales_rep": {"move to stage 2", "move to stage 3"},
        "sales_manager": {"move to stage 2", "move to stage 3"},
    },
    ("contact call of rep1", "Interaction", "contacts"): {
        "sales_rep": {"contact", "contact of the manager"},  # not the archived one
        "sales_manager": {"contact", "contact of the manager"},
    },
    ("contact call of rep1", "Interaction", "users"): {
        "sales_rep": {"user rep1", "user rep2"},
        "sales_manager": {"user rep1", "user rep2"},
    },
    ("team Sales Reps", "Team", "members"): {
        "sales_rep": {"user rep1", "user rep2"},
        "sales_manager": {"user rep1", "user rep2"},
        "marketing_manager": {"user rep1", "user rep2"},
    },
    ("team Sales", "Team", "subTeams"): {
        "sales_rep": {"team Sales Reps"},
        "sales_manager": {"team Sales Reps"},
        "marketing_manager": {"team Sales Reps"},
    },
    ("pipeline", "Pipeline", "stages"): {
        "sales_rep": {f"stage {n}" for n in range(1, 7)},
        "sales_manager": {f"stage {n}" for n in range(1, 7)},
    },
    ("pipeline", "Pipeline", "opportunities"): {
        "sales_rep": {"deal of rep1", "world deal of rep1", "edge deal of rep1"},
        "sales_manager": per_owner("deal", SALES_TEAM)
        | per_owner("world deal", SALES_TEAM)
        | per_owner("edge deal", SALES_TEAM),
    },
}
CASES = [
    pytest.param(parent, type_name, field, role, id=f"{parent}.{field}-{role}")
    for (parent, type_name, field), by_role in EXPECTED.items()
    for role in by_role
]


@pytest.mark.parametrize(("parent", "type_name", "field", "role"), CASES)
async def test_a_nested_list_holds_exactly_the_hand_listed_records(
    built: Built, parent: str, type_name: str, field: str, role: str
) -> None:
    if parent == "pipeline":
        parent_id = gid("pipeline", built.world.a.pipeline)
    else:
        parent_id = built.gid(parent)
    query = f"""query($id: ID!) {{ node(id: $id) {{ ... on {type_name} {{
      {field}(first: 100) {{ totalCount edges {{ node {{ id }} }} }} }} }} }}"""
    data = await built.world.as_role(role)(query, {"id": parent_id})
    assert data["node"] is not None, f"{role} must see the {parent}"
    connection = data["node"][field]
    seen = sorted(built.name_of(e["node"]["id"]) for e in connection["edges"])
    expected = EXPECTED[(parent, type_name, field)][role]
    assert seen == sorted(expected), f"{role} sees the wrong {field} of the {parent}"
    assert connection["totalCount"] == len(expected)
