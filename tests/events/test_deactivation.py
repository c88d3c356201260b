"""A subscription stops with its reader: deactivating the user, or taking away the
role that let them read, ends the flow within seconds (WebSocket, real servers)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from tests.conftest import SECRET
from tests.events.test_subscriptions import (
    EVENTS,
    OPP,
    OPP_CHANGED,
    ORG,
    ORG_UPDATE,
    START,
    Subscriber,
    mutate,
)
from websockets.exceptions import ConnectionClosed

from crm_graph.platform.identity.auth import issue_token
from crm_graph.platform.identity.queries import USER
from crm_graph.readside.ids import to_global_id

DEACTIVATE = """mutation($i: UserActivationInput!) { userDeactivate(input: $i) { user { id } errors { message } } }"""
ASSIGN = """mutation($i: UserAssignRoleInput!) { userAssignRole(input: $i) { user { id } errors { message } } }"""
OPP_UPDATE = """mutation($i: OpportunityUpdateInput!) { opportunityUpdate(input: $i) {
  opportunity { id } errors { __typename } } }"""


async def _after(sub: Subscriber, seconds: float) -> list[dict[str, Any]]:
    """Every message within `seconds`, up to the subscription's end (complete, or the
    socket closing)."""
    got: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    with contextlib.suppress(TimeoutError, ConnectionClosed):
        while loop.time() < end:
            got.append(await sub.message(timeout=max(end - loop.time(), 0.01)))
            if got[-1]["type"] == "complete":
                break
    return got


async def test_deactivating_the_reader_ends_their_subscription(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    rep_id = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    rep = issue_token(SECRET, tenant.id, rep_id)
    org = (await mutate(a, admin, ORG, {"i": {"name": "Watched"}}))["organization"]
    async with Subscriber.open(a, rep, EVENTS, {"after": START, "types": ["organization.updated"]}) as sub:
        await mutate(a, admin, ORG_UPDATE, {"i": {"id": org["id"], "name": "Watched 1"}})
        assert (await sub.event())["version"] == 2
        await mutate(a, admin, DEACTIVATE, {"i": {"id": to_global_id(USER, rep_id)}})
        loop = asyncio.get_running_loop()
        deactivated_at = loop.time()
        for n in range(2, 8):
            await mutate(a, admin, ORG_UPDATE, {"i": {"id": org["id"], "name": f"Watched {n}"}})
        got = await _after(sub, 5.0)
        took = loop.time() - deactivated_at
    assert not [m for m in got if m["type"] == "next" and not m["payload"].get("errors")], got
    assert got and got[-1]["type"] == "complete", got
    assert took < 5, f"the subscription ended {took:.1f} s after the deactivation"


async def test_losing_the_role_ends_a_typed_subscription(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    rep_id = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    rep = issue_token(SECRET, tenant.id, rep_id)
    opp = (await mutate(a, rep, OPP, {"i": {"name": "Mine"}}))["opportunity"]
    async with Subscriber.open(a, rep, OPP_CHANGED, {"id": opp["id"]}) as sub:
        await mutate(a, rep, OPP_UPDATE, {"i": {"id": opp["id"], "name": "Mine 1"}})
        assert (await sub.event())["version"] == 2
        # Now marketing: no opportunities at all.
        await mutate(a, admin, ASSIGN, {"i": {"userId": to_global_id(USER, rep_id), "roles": ["marketing_manager"]}})
        await mutate(a, admin, OPP_UPDATE, {"i": {"id": opp["id"], "name": "Mine 2"}})
        got = await _after(sub, 5.0)
    assert got and got[0]["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN", got
    assert got[-1]["type"] == "complete"
