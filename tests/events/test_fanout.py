"""One process reads each tenant's events once for all its subscribers: one Redis
connection per tenant whatever the number of subscribers, every event still in
order, without gaps, and only as each subscriber may see it; and no user or tenant
can open live connections without end."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from redis.asyncio import Redis
from tests.conftest import SECRET
from tests.events.test_subscriptions import (
    EVENTS,
    OPP,
    ORG,
    ORG_UPDATE,
    START,
    TIMEOUT,
    Server,
    Subscriber,
    mutate,
)

from crm_graph.platform.identity.auth import issue_token

PER_USER, PER_TENANT = 3, 5
EVENTS_CLIENT = "crm-graph-events"  # the name the hub's Redis connections carry


@pytest.fixture(scope="module")
async def server(database_url: str, redis_url: str) -> AsyncIterator[Server]:
    s = Server(
        database_url, redis_url, max_live_connections_per_user=PER_USER, max_live_connections_per_tenant=PER_TENANT
    )
    await s.start()
    yield s
    await s.stop()


@contextlib.asynccontextmanager
async def socket(server: Server, token: str) -> AsyncIterator[tuple[Any, dict[str, Any] | None]]:
    """A graphql-transport-ws connection after connection_init: (ws, the ack or None if closed)."""
    async with websockets.connect(server.ws, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
        try:
            reply = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        except websockets.ConnectionClosed:
            reply = None
        yield ws, reply


async def sse_status(server: Server, token: str) -> tuple[int, dict[str, Any] | None]:
    """The status of an SSE subscription request (the stream is dropped at once)."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    async with (
        httpx.AsyncClient(timeout=TIMEOUT) as client,
        client.stream("POST", server.http, json={"query": EVENTS}, headers=headers) as response,
    ):
        if response.status_code != 200:
            return response.status_code, json.loads(await response.aread())
        return 200, None


async def test_a_user_opening_sockets_beyond_the_cap_is_refused(tenant, server):
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    async with contextlib.AsyncExitStack() as stack:
        for _ in range(PER_USER):
            _, ack = await stack.enter_async_context(socket(server, admin))
            assert ack is not None and ack["type"] == "connection_ack"
        async with socket(server, admin) as (ws, reply):
            assert reply is None and ws.close_code == 4008, reply
            assert "per user" in ws.close_reason
        status, body = await sse_status(server, admin)
        assert status == 429 and body is not None, body
        assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_CONNECTIONS"
        # Another user of the tenant is not held back by this one...
        rep = issue_token(SECRET, tenant.id, await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
        async with socket(server, rep) as (_, ack):
            assert ack is not None and ack["type"] == "connection_ack"
    # ...and closing sockets gives their slots back.
    async with socket(server, admin) as (_, ack):
        assert ack is not None and ack["type"] == "connection_ack"


async def test_a_tenant_opening_sockets_beyond_its_cap_is_refused_and_others_are_not(tenant, other, server):
    users = [await tenant.user(f"u{i}@{tenant.slug}.example", ["sales_rep"]) for i in range(PER_TENANT + 1)]
    async with contextlib.AsyncExitStack() as stack:
        for user in users[:PER_TENANT]:  # one socket each: no user is over its own cap
            _, ack = await stack.enter_async_context(socket(server, issue_token(SECRET, tenant.id, user)))
            assert ack is not None and ack["type"] == "connection_ack"
        async with socket(server, issue_token(SECRET, tenant.id, users[-1])) as (ws, reply):
            assert reply is None and ws.close_code == 4008
            assert "per organization" in ws.close_reason
        async with socket(server, issue_token(SECRET, other.id, other.admin_id)) as (_, ack):
            assert ack is not None and ack["type"] == "connection_ack"


async def events_clients(redis: Redis) -> list[dict[str, Any]]:
    return [c for c in await redis.client_list() if c.get("name") == EVENTS_CLIENT]


async def until_live(server: Server, sub: Subscriber, token: str, org_id: str) -> None:
    """Nothing acknowledges a subscription: change a record until an event arrives."""
    for i in range(50):
        await mutate(server, token, ORG_UPDATE, {"i": {"id": org_id, "name": f"Probe {i}"}})
        with contextlib.suppress(TimeoutError):
            await sub.event(timeout=0.3)
            return
    raise AssertionError("no event arrived")


async def drain(sub: Subscriber) -> None:
    with contextlib.suppress(TimeoutError):
        while True:
            await sub.event(timeout=0.3)


async def test_subscribers_of_one_tenant_share_one_redis_connection(tenant, other, database_url, redis_url, relaying):
    server = Server(database_url, redis_url)
    await server.start()
    redis = Redis.from_url(redis_url)
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    try:
        org = (await mutate(server, admin, ORG, {"i": {"name": "Counted"}}))["organization"]
        async with contextlib.AsyncExitStack() as stack:
            subs: list[Subscriber] = []
            with_one = 0
            for i in range(10):
                sub = await stack.enter_async_context(
                    Subscriber.open(server, admin, EVENTS, {"types": ["organization.updated"]})
                )
                await until_live(server, sub, admin, org["id"])
                subs.append(sub)
                if i == 0:
                    with_one = len(await redis.client_list())
                    assert len(await events_clients(redis)) == 1
            for sub in subs:
                await drain(sub)
            # Ten subscribers: still one connection reads the tenant's stream, and no
            # connection per subscriber anywhere else (a little slack: the shared pools
            # of the app and the relay may have opened one for overlapping commands;
            # a connection per subscriber would be 9 more).
            assert len(await events_clients(redis)) == 1
            assert len(await redis.client_list()) - with_one <= 3
            # Another tenant gets a reader of its own.
            theirs = issue_token(SECRET, other.id, other.admin_id)
            their_org = (await mutate(server, theirs, ORG, {"i": {"name": "Theirs"}}))["organization"]
            async with Subscriber.open(server, theirs, EVENTS, {"types": ["organization.updated"]}) as sub:
                await until_live(server, sub, theirs, their_org["id"])
                assert len(await events_clients(redis)) == 2
            # One change reaches each of the ten, once.
            await mutate(server, admin, ORG_UPDATE, {"i": {"id": org["id"], "name": "Last"}})
            for sub in subs:
                event = await sub.event()
                assert event["recordId"] == org["id"] and event["changes"][0]["after"] == "Last", event
                await sub.nothing_more(0.2)
        # The last subscriber gone, the tenant's reader stops and its connection closes.
        async with asyncio.timeout(5):
            while await events_clients(redis):
                await asyncio.sleep(0.1)
    finally:
        await redis.aclose()
        await server.stop()


async def test_events_arrive_in_order_without_gaps_and_only_as_each_subscriber_may_see_them(tenant, server, relaying):
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    rep1_id = await tenant.user(f"rep1@{tenant.slug}.example", ["sales_rep"])
    rep2_id = await tenant.user(f"rep2@{tenant.slug}.example", ["sales_rep"])
    rep1, rep2 = issue_token(SECRET, tenant.id, rep1_id), issue_token(SECRET, tenant.id, rep2_id)
    org = (await mutate(server, admin, ORG, {"i": {"name": "Shared"}}))["organization"]
    first = await mutate(server, rep1, OPP, {"i": {"name": "Rep 1 before", "organizationId": org["id"]}})
    async with (
        Subscriber.open(server, admin, EVENTS, {"after": START}) as adm,
        Subscriber.open(server, rep1, EVENTS, {"after": START}) as r1a,
        Subscriber.open(server, rep1, EVENTS, {"after": START}) as r1b,
        Subscriber.open(server, rep2, EVENTS, {"after": START}) as r2,
    ):
        # Written while they replay and after: the seam between outbox and stream too.
        made: list[tuple[str, str]] = [("admin", org["id"]), ("rep1", first["opportunity"]["id"])]
        for i in range(12):
            who, token = [("rep1", rep1), ("rep2", rep2), ("admin", admin)][i % 3]
            if who == "admin":
                await mutate(server, admin, ORG_UPDATE, {"i": {"id": org["id"], "name": f"Shared {i}"}})
                made.append(("admin", org["id"]))
            else:
                opp = await mutate(server, token, OPP, {"i": {"name": f"{who} {i}", "organizationId": org["id"]}})
                made.append((who, opp["opportunity"]["id"]))
        everything = await adm.events(len(made))
        # Reps see the shared organization's events and their own deals, not the other's.
        sees = {"rep1": {"admin", "rep1"}, "rep2": {"admin", "rep2"}}
        expected = {
            rep: [e["id"] for e, (who, _) in zip(everything, made, strict=True) if who in seen]
            for rep, seen in sees.items()
        }
        got = {
            "rep1a": await r1a.events(len(expected["rep1"])),
            "rep1b": await r1b.events(len(expected["rep1"])),
            "rep2": await r2.events(len(expected["rep2"])),
        }
        for sub in (adm, r1a, r1b, r2):
            await sub.nothing_more(0.5)
    seqs = [int(e["id"]) for e in everything]
    assert seqs == list(range(1, len(made) + 1))  # all, in order, once
    assert [e["recordId"] for e in everything] == [record for _, record in made]
    assert [e["id"] for e in got["rep1a"]] == expected["rep1"] == [e["id"] for e in got["rep1b"]]
    assert [e["id"] for e in got["rep2"]] == expected["rep2"]
