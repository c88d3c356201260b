"""Subscriptions pass the same limits as any operation, over WebSocket and SSE alike:
too deep, too many aliases or too costly is refused before anything streams, and a
subscription is paid for from the tenant's cost budget (refused once it is spent).
Each document is within every limit but the one it tests, so a test fails when the
check it names is removed."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tests.conftest import SECRET
from tests.events.test_subscriptions import TIMEOUT, Server, Subscriber

from crm_graph.platform.identity.auth import issue_token

MAX_DEPTH, MAX_ALIASES, MAX_COST, CAPACITY = 6, 2, 30, 40
DEEP = (
    "subscription { events { record { ... on Organization { contacts(first: 1) { edges { node { "
    "organization { id } } } } } } } }"
)  # depth 7, cost 5
ALIASED = "subscription { events { a: id b: id c: id } }"  # 3 aliases, depth 2, cost 1
COSTLY = (
    "subscription { events { record { ... on Organization { contacts(first: 40) { edges { node { id } } } } } "
    "} }"
)  # cost 43, depth 6
PRICED = COSTLY.replace("first: 40", "first: 20")  # cost 23: one fits the budget of 40, two do not
REFUSED = [(DEEP, "depth"), (ALIASED, "aliases"), (COSTLY, "cost")]


@pytest.fixture(scope="module")
async def server(database_url: str, redis_url: str) -> AsyncIterator[Server]:
    # A bucket that hardly refills: what a subscription spends stays spent.
    s = Server(
        database_url,
        redis_url,
        max_depth=MAX_DEPTH,
        max_aliases=MAX_ALIASES,
        max_cost=MAX_COST,
        rate_limit_tenant_capacity=CAPACITY,
        rate_limit_tenant_per_second=0.001,
    )
    await s.start()
    yield s
    await s.stop()


async def over_ws(server: Server, token: str, query: str) -> dict[str, Any]:
    """The first message a subscribe gets."""
    async with Subscriber.open(server, token, query, {}) as sub:
        return await sub.message()


async def over_sse(server: Server, token: str, query: str) -> tuple[int, dict[str, Any] | None]:
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    async with (
        httpx.AsyncClient(timeout=TIMEOUT) as client,
        client.stream("POST", server.http, json={"query": query}, headers=headers) as response,
    ):
        if response.headers["content-type"].startswith("text/event-stream"):
            return response.status_code, None
        return response.status_code, json.loads(await response.aread())


@pytest.mark.parametrize(("query", "limit"), REFUSED, ids=[limit for _, limit in REFUSED])
async def test_a_subscription_over_a_limit_is_refused_over_websocket(tenant, server, query, limit):
    message = await over_ws(server, issue_token(SECRET, tenant.id, tenant.admin_id), query)
    assert message["type"] == "error", message
    assert message["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert message["payload"][0]["extensions"]["limit"] == limit


@pytest.mark.parametrize(("query", "limit"), REFUSED, ids=[limit for _, limit in REFUSED])
async def test_a_subscription_over_a_limit_is_refused_over_sse(tenant, server, query, limit):
    status, body = await over_sse(server, issue_token(SECRET, tenant.id, tenant.admin_id), query)
    assert status != 200 and body is not None, status
    assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert body["errors"][0]["extensions"]["limit"] == limit


async def test_each_websocket_subscription_is_charged_to_the_tenants_budget(tenant, server):
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    async with Subscriber.open(server, token, PRICED, {}) as sub:
        await sub.nothing_more(0.3)  # accepted: it waits for events
        await sub.ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": PRICED}}))
        refused = await sub.message()
    assert refused["type"] == "error" and refused["id"] == "2", refused
    assert refused["payload"][0]["extensions"]["code"] == "THROTTLED"


async def test_each_sse_subscription_is_charged_to_the_tenants_budget(tenant, other, server):
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    assert (await over_sse(server, token, PRICED))[0] == 200
    status, body = await over_sse(server, token, PRICED)
    assert status == 429 and body is not None and body["errors"][0]["extensions"]["code"] == "THROTTLED", body
    # Another tenant's budget is its own.
    assert (await over_sse(server, issue_token(SECRET, other.id, other.admin_id), PRICED))[0] == 200
