"""A manager's subscription follows team changes: the rep's deals flow to the manager
while the rep is in the manager's team, and stop within seconds of userSetTeam moving
the rep elsewhere (WebSocket, two real API instances)."""

from __future__ import annotations

import asyncio

from tests.conftest import SECRET
from tests.events.test_deactivation import OPP_UPDATE, _after
from tests.events.test_subscriptions import (
    EVENTS,
    OPP,
    START,
    Subscriber,
    mutate,
)

from crm_graph.platform.identity.auth import issue_token
from crm_graph.platform.identity.queries import USER
from crm_graph.readside.ids import to_global_id

TEAM = """mutation($i: TeamCreateInput!) { teamCreate(input: $i) { team { id } errors { message } } }"""
SET_TEAM = """mutation($i: UserSetTeamInput!) { userSetTeam(input: $i) { user { id } errors { message } } }"""


async def test_moving_a_rep_out_of_the_team_stops_their_events_reaching_the_manager(tenant, servers, relaying):
    a, b = servers  # writes on one instance, the subscription on the other
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    manager_id = await tenant.user(f"manager@{tenant.slug}.example", ["sales_manager"])
    rep_id = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    sales = (await mutate(a, admin, TEAM, {"i": {"name": "Sales"}}))["team"]["id"]
    other = (await mutate(a, admin, TEAM, {"i": {"name": "Other"}}))["team"]["id"]
    for user_id in (manager_id, rep_id):
        await mutate(a, admin, SET_TEAM, {"i": {"userId": to_global_id(USER, user_id), "teamId": sales}})
    manager, rep = issue_token(SECRET, tenant.id, manager_id), issue_token(SECRET, tenant.id, rep_id)
    theirs = (await mutate(a, rep, OPP, {"i": {"name": "Rep's"}}))["opportunity"]["id"]
    mine = (await mutate(a, manager, OPP, {"i": {"name": "Manager's"}}))["opportunity"]["id"]
    async with Subscriber.open(b, manager, EVENTS, {"after": START, "types": ["opportunity.updated"]}) as sub:
        await mutate(a, rep, OPP_UPDATE, {"i": {"id": theirs, "name": "Rep's 1"}})
        seen = await sub.event()
        assert (seen["recordId"], seen["version"]) == (theirs, 2)

        await mutate(a, admin, SET_TEAM, {"i": {"userId": to_global_id(USER, rep_id), "teamId": other}})
        loop = asyncio.get_running_loop()
        moved_at = loop.time()
        for n in range(2, 6):
            await mutate(a, rep, OPP_UPDATE, {"i": {"id": theirs, "name": f"Rep's {n}"}})
        # The manager's own deals still flow: the subscription lives on, narrowed.
        await mutate(a, manager, OPP_UPDATE, {"i": {"id": mine, "name": "Manager's 1"}})
        got = await _after(sub, 4.0)
        took = loop.time() - moved_at
    events = [m["payload"]["data"]["events"] for m in got if m["type"] == "next"]
    assert [(e["recordId"], e["version"]) for e in events] == [(mine, 2)], got
    assert took < 10, took
