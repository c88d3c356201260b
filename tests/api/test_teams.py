"""teamCreate, teamUpdate and userSetTeam through the public API: they work for admins,
refuse bad input changing nothing, refuse sales reps, and a membership or tree change
reaches a manager's lists on their very next request."""

from __future__ import annotations

import uuid
from typing import Any

from crm_graph.platform.identity.queries import TEAM, USER
from crm_graph.readside.ids import to_global_id

ERRORS = "errors { __typename message path ... on ValidationError { code } ... on Conflict { currentVersion } }"
TEAM_FIELDS = "id name version parent { id } subTeams(first: 10) { edges { node { name } } }"
CREATE = f"mutation($i: TeamCreateInput!) {{ teamCreate(input: $i) {{ team {{ {TEAM_FIELDS} }} {ERRORS} }} }}"
UPDATE = f"mutation($i: TeamUpdateInput!) {{ teamUpdate(input: $i) {{ team {{ {TEAM_FIELDS} }} {ERRORS} }} }}"
SET_TEAM = f"mutation($i: UserSetTeamInput!) {{ userSetTeam(input: $i) {{ user {{ id team {{ name }} }} {ERRORS} }} }}"
TEAMS = "{ teams(first: 50) { edges { node { name version parent { name } members(first: 10) { edges { node { email } } } } } } }"
OPP = """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) { opportunity { id } errors { message } } }"""
COUNT = "{ opportunities(first: 1) { totalCount } }"


async def _teams(gql: Any) -> list[dict[str, Any]]:
    return [e["node"] for e in (await gql(TEAMS))["teams"]["edges"]]


async def test_admin_builds_and_reshapes_the_tree(tenant, gql) -> None:
    west = (await gql(CREATE, {"i": {"name": "West"}}))["teamCreate"]
    assert west["errors"] == [] and west["team"]["parent"] is None
    sub = (await gql(CREATE, {"i": {"name": "West 1", "parentId": west["team"]["id"]}}))["teamCreate"]
    assert sub["team"]["parent"] == {"id": west["team"]["id"]}
    east = (await gql(CREATE, {"i": {"name": "East"}}))["teamCreate"]["team"]

    moved = (
        await gql(
            UPDATE, {"i": {"id": sub["team"]["id"], "name": "Coast", "parentId": east["id"], "expectedVersion": 1}}
        )
    )["teamUpdate"]
    assert moved["errors"] == [] and moved["team"]["name"] == "Coast" and moved["team"]["version"] == 2
    assert moved["team"]["parent"] == {"id": east["id"]}
    stale = (await gql(UPDATE, {"i": {"id": sub["team"]["id"], "name": "Late", "expectedVersion": 1}}))["teamUpdate"]
    assert stale["team"] is None and stale["errors"][0]["__typename"] == "Conflict"
    assert stale["errors"][0]["currentVersion"] == 2
    top = (await gql(UPDATE, {"i": {"id": sub["team"]["id"], "parentId": None}}))["teamUpdate"]
    assert top["team"]["parent"] is None and top["team"]["name"] == "Coast"

    rep = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    put = (await gql(SET_TEAM, {"i": {"userId": to_global_id(USER, rep), "teamId": east["id"]}}))["userSetTeam"]
    assert put["errors"] == [] and put["user"]["team"] == {"name": "East"}
    members = {t["name"]: [m["node"]["email"] for m in t["members"]["edges"]] for t in await _teams(gql)}
    assert members["East"] == [f"rep@{tenant.slug}.example"]
    out = (await gql(SET_TEAM, {"i": {"userId": to_global_id(USER, rep), "teamId": None}}))["userSetTeam"]
    assert out["errors"] == [] and out["user"]["team"] is None


async def test_bad_input_is_refused_and_changes_nothing(tenant, gql) -> None:
    top = (await gql(CREATE, {"i": {"name": "Top"}}))["teamCreate"]["team"]
    child = (await gql(CREATE, {"i": {"name": "Child", "parentId": top["id"]}}))["teamCreate"]["team"]
    grandchild = (await gql(CREATE, {"i": {"name": "Grandchild", "parentId": child["id"]}}))["teamCreate"]["team"]
    rep = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    before = await _teams(gql)
    nowhere = to_global_id(TEAM, uuid.uuid4())

    cases = [
        (CREATE, {"name": "  "}, ["name"], "REQUIRED"),
        (CREATE, {"name": "Orphan", "parentId": nowhere}, ["parentId"], "NOT_FOUND"),
        (CREATE, {"name": "Child"}, ["name"], "DUPLICATE"),
        (UPDATE, {"id": top["id"], "name": ""}, ["name"], "REQUIRED"),
        (UPDATE, {"id": top["id"], "parentId": grandchild["id"]}, ["parentId"], "CYCLE"),
        (UPDATE, {"id": top["id"], "parentId": top["id"]}, ["parentId"], "CYCLE"),
        (UPDATE, {"id": child["id"], "parentId": nowhere}, ["parentId"], "NOT_FOUND"),
        (SET_TEAM, {"userId": to_global_id(USER, rep), "teamId": nowhere}, ["teamId"], "NOT_FOUND"),
    ]
    for query, given, path, code in cases:
        (result,) = (await gql(query, {"i": given})).values()
        assert result.get("team", result.get("user")) is None, (given, result)
        assert [(e["__typename"], e["path"], e.get("code")) for e in result["errors"]] == [
            ("ValidationError", ["input", *path], code)
        ], (given, result)
    assert await _teams(gql) == before


async def test_a_sales_rep_may_not_change_teams(tenant, gql) -> None:
    team = (await gql(CREATE, {"i": {"name": "Mine"}}))["teamCreate"]["team"]
    rep_id = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    rep = tenant.client(rep_id)
    before = await _teams(gql)
    for query, given in [
        (CREATE, {"name": "Rogue"}),
        (UPDATE, {"id": team["id"], "name": "Renamed"}),
        (SET_TEAM, {"userId": to_global_id(USER, rep_id), "teamId": team["id"]}),
    ]:
        response = (await rep.post(query, {"i": given})).json()
        assert response["data"] is None or next(iter(response["data"].values())) is None, response
        assert response["errors"][0]["extensions"]["code"] == "FORBIDDEN", response
    assert await _teams(gql) == before


async def test_team_changes_reach_a_managers_lists_at_once(tenant, gql) -> None:
    sales = (await gql(CREATE, {"i": {"name": "Sales"}}))["teamCreate"]["team"]
    squad = (await gql(CREATE, {"i": {"name": "Squad", "parentId": sales["id"]}}))["teamCreate"]["team"]
    other = (await gql(CREATE, {"i": {"name": "Other"}}))["teamCreate"]["team"]
    manager_id = await tenant.user(f"manager@{tenant.slug}.example", ["sales_manager"])
    rep_id = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    await gql(SET_TEAM, {"i": {"userId": to_global_id(USER, manager_id), "teamId": sales["id"]}})
    await gql(SET_TEAM, {"i": {"userId": to_global_id(USER, rep_id), "teamId": squad["id"]}})
    manager, rep = tenant.client(manager_id), tenant.client(rep_id)
    await manager(OPP, {"i": {"name": "Manager's"}})
    await rep(OPP, {"i": {"name": "Rep's"}})
    assert (await manager(COUNT))["opportunities"]["totalCount"] == 2

    # The rep's team moves out from under the manager's: the rep's deal leaves the list.
    await gql(UPDATE, {"i": {"id": squad["id"], "parentId": other["id"]}})
    assert (await manager(COUNT))["opportunities"]["totalCount"] == 1
    await gql(UPDATE, {"i": {"id": squad["id"], "parentId": sales["id"]}})
    assert (await manager(COUNT))["opportunities"]["totalCount"] == 2
    # The rep moves to another team: likewise.
    await gql(SET_TEAM, {"i": {"userId": to_global_id(USER, rep_id), "teamId": other["id"]}})
    assert (await manager(COUNT))["opportunities"]["totalCount"] == 1
