"""Lead assignment rules through the API: ordered per tenant, round-robin (fair over
1,000 leads and under concurrent creations), territory, least loaded, fallback owner;
applied on creation without an owner and by leadAssign."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import sqlalchemy as sa
from tests.leads.common import ASSIGN, RULE_CREATE, RULE_UPDATE, create, gid, ok, problems, raw_id, team

from crm_graph.domains.leads.models import LeadAssignmentCursor


async def rule(gql: Any, **given: Any) -> dict[str, Any]:
    return ok(await gql(RULE_CREATE, {"input": given}), "leadAssignmentRuleCreate", "leadAssignmentRule")


async def members(tenant: Any, team_id: str, n: int, prefix: str = "rep") -> list[str]:
    """`n` new reps in the team, in the order round-robin takes them (by their IDs)."""
    made = [
        gid("User", await tenant.user(f"{prefix}{i}@{tenant.slug}.example", ["sales_rep"], raw_id(team_id)))
        for i in range(n)
    ]
    return sorted(made, key=lambda g: str(raw_id(g)))


BATCH = 10  # leadCreate aliases per request (the gate allows 15)


async def create_many(gql: Any, n: int, **given: Any) -> list[str]:
    """Owner IDs of `n` leads created through the API, BATCH aliased creations a request."""
    owners: list[str] = []
    for start in range(0, n, BATCH):
        count = min(BATCH, n - start)
        fields = " ".join(
            f'l{i}: leadCreate(input: {{lastName: "L{start + i}", country: "DE"}}) {{ lead {{ owner {{ id }} }} errors {{ message }} }}'
            for i in range(count)
        )
        data = await gql(f"mutation {{ {fields} }}")
        for i in range(count):
            assert data[f"l{i}"]["errors"] == []
            owners.append(data[f"l{i}"]["lead"]["owner"]["id"])
    return owners


async def test_round_robin_is_fair_over_a_thousand_leads(tenant, gql):
    reps = await team(gql, "Reps")
    people = await members(tenant, reps, 7)
    await rule(gql, name="Everyone", method="ROUND_ROBIN", teamId=reps)
    owners = await create_many(gql, 1000)
    counts = Counter(owners)
    assert set(counts) == set(people)
    # 1000 = 7 x 142 + 6: six members get 143, one gets 142; never more apart than one lead.
    assert sorted(counts.values()) == [142] + [143] * 6
    # And in turn: each run of 7 consecutive leads went to 7 different people.
    assert all(len(set(owners[i : i + 7])) == 7 for i in range(0, 994, 7))


async def test_round_robin_is_race_safe_under_concurrent_creations(tenant, gql):
    reps = await team(gql, "Reps")
    people = await members(tenant, reps, 4)
    created = await rule(gql, name="Everyone", method="ROUND_ROBIN", teamId=reps)
    results = await asyncio.gather(*(create_many(gql, 10) for _ in range(4)))
    counts = Counter(o for batch in results for o in batch)
    assert sorted(counts.values()) == [10, 10, 10, 10] and set(counts) == set(people)
    async with tenant.engine.connect() as conn:
        turns = (
            await conn.execute(
                sa.select(LeadAssignmentCursor.__table__.c.turns).where(
                    LeadAssignmentCursor.__table__.c.rule_id == raw_id(created["id"])
                )
            )
        ).scalar_one()
    assert turns == 40


async def test_rules_apply_in_order_territory_then_load_then_fallback(tenant, gql):
    emea, rest = await team(gql, "EMEA"), await team(gql, "Rest")
    emea_people = await members(tenant, emea, 2, "emea")
    rest_people = await members(tenant, rest, 2, "rest")
    fallback = gid("User", await tenant.user(f"fallback@{tenant.slug}.example", ["sales_manager"]))
    await rule(gql, name="Fallback", method="OWNER", ownerId=fallback, position=30)
    await rule(gql, name="DACH", method="ROUND_ROBIN", teamId=emea, countries=["de", "AT"], position=10)
    await rule(gql, name="Software", method="LEAST_LOADED", teamId=rest, industries=["software"], position=20)
    # Territory: by country; round-robin takes the team's members in turn.
    first, second = emea_people
    assert (await create(gql, country="AT"))["owner"]["id"] == first
    assert (await create(gql, country="de"))["owner"]["id"] == second
    # Least loaded: give the first member of Rest two open leads by hand; the next goes to the second.
    for _ in range(2):
        await create(gql, ownerId=rest_people[0])
    assert (await create(gql, industry="Software", country="US"))["owner"]["id"] == rest_people[1]
    # Now rest_people[1] has 1 open lead and rest_people[0] 2: the next still goes to rest_people[1].
    assert (await create(gql, industry="SOFTWARE"))["owner"]["id"] == rest_people[1]
    # Nothing else matches: the fallback owner.
    assert (await create(gql, country="JP"))["owner"]["id"] == fallback
    # An explicit owner wins over every rule.
    assert (await create(gql, country="DE", ownerId=gid("User", tenant.admin_id)))["owner"]["id"] == gid(
        "User", tenant.admin_id
    )


async def test_without_matching_rules_the_creator_keeps_the_lead(tenant):
    rep_id = await tenant.user(f"solo@{tenant.slug}.example", ["sales_rep"])
    rep = tenant.client(rep_id)
    assert (await create(rep))["owner"]["id"] == gid("User", rep_id)


async def test_a_reps_new_lead_may_go_to_a_colleague_by_the_rules(tenant, gql):
    reps = await team(gql, "Reps")
    people = await members(tenant, reps, 1)
    rep_id = await tenant.user(f"creator@{tenant.slug}.example", ["sales_rep"])
    await rule(gql, name="All to the team", method="ROUND_ROBIN", teamId=reps)
    created = await tenant.client(rep_id)(
        'mutation { leadCreate(input: {lastName: "Handed"}) { lead { owner { id } } errors { message } } }'
    )
    assert created["leadCreate"]["lead"]["owner"]["id"] == people[0]


async def test_lead_assign_by_rules_or_to_a_user(tenant, gql):
    lead = await create(gql)
    none = await gql(ASSIGN, {"input": {"id": lead["id"]}})
    assert problems(none, "leadAssign") == {(("input", "ownerId"), "NO_RULE")}
    reps = await team(gql, "Reps")
    people = await members(tenant, reps, 2)
    await rule(gql, name="All", method="ROUND_ROBIN", teamId=reps)
    assert ok(await gql(ASSIGN, {"input": {"id": lead["id"]}}), "leadAssign")["owner"]["id"] == people[0]
    to_user = ok(
        await gql(ASSIGN, {"input": {"id": lead["id"], "ownerId": people[1], "expectedVersion": 2}}), "leadAssign"
    )
    assert to_user["owner"]["id"] == people[1] and to_user["version"] == 3
    stale = await gql(ASSIGN, {"input": {"id": lead["id"], "ownerId": people[0], "expectedVersion": 2}})
    assert problems(stale, "leadAssign") == {(("input", "expectedVersion"), "Conflict")}
    bad = await gql(ASSIGN, {"input": {"id": lead["id"], "ownerId": gid("Team")}})
    assert problems(bad, "leadAssign") == {(("input", "ownerId"), "INVALID_ID")}
    missing = await gql(ASSIGN, {"input": {"id": lead["id"], "ownerId": gid("User")}})
    assert problems(missing, "leadAssign") == {(("input", "ownerId"), "NOT_FOUND")}
    # A rep may take a lead for themself but not hand their lead to someone else.
    rep = tenant.client(raw_id(people[1]))
    handed = await rep(ASSIGN, {"input": {"id": lead["id"], "ownerId": people[0]}})
    assert problems(handed, "leadAssign") == {(("input", "ownerId"), "Forbidden")}


async def test_assignment_rule_bad_input_and_conflict(tenant, gql):
    data = await gql(
        RULE_CREATE, {"input": {"name": "RR", "method": "ROUND_ROBIN", "countries": ["Germany"], "sources": ["fax"]}}
    )
    assert problems(data, "leadAssignmentRuleCreate") == {
        (("input", "teamId"), "REQUIRED"),
        (("input", "countries", "0"), "INVALID"),
        (("input", "sources", "0"), "INVALID"),
    }
    owner = await gql(RULE_CREATE, {"input": {"name": "Fixed", "method": "OWNER"}})
    assert problems(owner, "leadAssignmentRuleCreate") == {(("input", "ownerId"), "REQUIRED")}
    created = await rule(gql, name="Fixed", method="OWNER", ownerId=gid("User", tenant.admin_id))
    stale = await gql(RULE_UPDATE, {"input": {"id": created["id"], "expectedVersion": 5, "name": "New"}})
    assert problems(stale, "leadAssignmentRuleUpdate") == {(("input", "expectedVersion"), "Conflict")}
    moved = ok(
        await gql(RULE_UPDATE, {"input": {"id": created["id"], "position": 99}}),
        "leadAssignmentRuleUpdate",
        "leadAssignmentRule",
    )
    assert moved["position"] == 99


async def test_a_rep_may_not_write_assignment_rules(tenant):
    rep = tenant.client(await tenant.user(f"r@{tenant.slug}.example", ["sales_rep"]))
    refused = (await rep.post(RULE_CREATE, {"input": {"name": "Mine", "method": "OWNER"}})).json()
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
