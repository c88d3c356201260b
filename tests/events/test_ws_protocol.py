"""The WebSocket at /graphql speaks graphql-transport-ws and nothing else, closes with
the protocol's codes when a client breaks it, lets in only pages on allowed origins,
and caps the subscriptions one connection may hold."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import uvicorn
import websockets
from starlette.routing import WebSocketRoute
from tests.conftest import SECRET, TenantFixture
from websockets.exceptions import ConnectionClosed, InvalidStatus

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity.auth import issue_token

PROTOCOL = "graphql-transport-ws"
GLOBAL = "https://everyone.example"
EVENTS = 'subscription { events(after: "0000000000000000") { type } }'
ORG = "mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } } }"
TIMEOUT = 10.0
LIMIT = 2  # subscriptions per connection, for these tests
INIT_TIMEOUT = timedelta(seconds=0.5)


class Server:
    """The real app under uvicorn on a free local port, in this event loop."""

    def __init__(self, settings: Settings) -> None:
        app = create_app(settings)
        # The protocol's connection_init timeout is a minute; tests wait half a second.
        for route in app.routes:
            if isinstance(route, WebSocketRoute):
                route.app.connection_init_wait_timeout = INIT_TIMEOUT  # type: ignore[attr-defined]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", timeout_graceful_shutdown=2
        )
        self.server = uvicorn.Server(config)
        self.port = 0

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[Server]:
        task = asyncio.create_task(self.server.serve())
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not self.server.started:
            assert not task.done() and loop.time() < deadline, "the server did not start"
            await asyncio.sleep(0.02)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        try:
            yield self
        finally:
            self.server.should_exit = True
            await asyncio.wait_for(task, TIMEOUT)

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"


@pytest.fixture(scope="module")
async def server(database_url: str, redis_url: str) -> AsyncIterator[Server]:
    settings = Settings(
        database_url=database_url,
        redis_url=redis_url,
        jwt_secret=SECRET,
        cors_origins=[GLOBAL],
        max_subscriptions_per_connection=LIMIT,
    )
    async with Server(settings).running() as s:
        yield s


def token(t: TenantFixture) -> str:
    return issue_token(SECRET, t.id, t.admin_id)


async def graphql(server: Server, t: TenantFixture, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        response = await client.post(
            server.http, json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token(t)}"}
        )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return body["data"]


@contextlib.asynccontextmanager
async def connect(
    server: Server, origin: str | None = None, subprotocols: list[str] | None = None
) -> AsyncIterator[Any]:
    """`subprotocols=[]` offers none at all (no Sec-WebSocket-Protocol header)."""
    headers = {"Origin": origin} if origin else {}
    offered = [PROTOCOL] if subprotocols is None else subprotocols or None
    async with websockets.connect(
        server.ws, subprotocols=offered, additional_headers=headers, open_timeout=TIMEOUT
    ) as ws:
        yield ws


async def send(ws: Any, message: Any) -> None:
    await ws.send(message if isinstance(message, str) else json.dumps(message))


async def receive(ws: Any) -> dict[str, Any]:
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
        if message["type"] != "ping":
            return message  # type: ignore[no-any-return]


async def init(ws: Any, t: TenantFixture) -> dict[str, Any]:
    await send(ws, {"type": "connection_init", "payload": {"authorization": f"Bearer {token(t)}"}})
    return await receive(ws)


async def closed_with(ws: Any) -> int:
    """The close code the server ends the connection with."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            await asyncio.wait_for(ws.recv(), TIMEOUT)
    assert closed.value.rcvd is not None, "closed without a close frame"
    return closed.value.rcvd.code


async def subscribe(ws: Any, id_: str, query: str = EVENTS) -> None:
    await send(ws, {"id": id_, "type": "subscribe", "payload": {"query": query}})


# --- subprotocol ---


async def test_only_graphql_transport_ws_is_spoken(server, tenant):
    async with connect(server, subprotocols=["graphql-ws", PROTOCOL]) as ws:
        assert ws.subprotocol == PROTOCOL
        assert (await init(ws, tenant))["type"] == "connection_ack"
    for offered in (["graphql-ws"], ["graphql-sse"], []):  # the legacy protocol, not a WebSocket one, none
        async with connect(server, subprotocols=offered) as ws:
            assert ws.subprotocol is None
            assert await closed_with(ws) == 4406, offered


# --- close codes ---


async def test_messages_that_are_not_graphql_transport_ws_close_with_4400(server, tenant):
    broken = ["not json", "[1, 2]", '"connection_init"', {"type": "no_such_type"}, {"payload": {}}, {"type": 7}]
    for message in broken:
        async with connect(server) as ws:
            await send(ws, message)
            assert await closed_with(ws) == 4400, message
    after_ack = [
        {"id": "1", "type": "subscribe", "payload": "subscription { x }"},
        {"id": "1", "type": "subscribe", "payload": {}},
        {"id": 1, "type": "subscribe", "payload": {"query": EVENTS}},
        {"id": "1", "type": "subscribe", "payload": {"query": EVENTS, "variables": [1]}},
        {"id": "1", "type": "subscribe", "payload": {"query": "subscription {"}},
    ]
    for message in after_ack:
        async with connect(server) as ws:
            assert (await init(ws, tenant))["type"] == "connection_ack"
            await send(ws, message)
            assert await closed_with(ws) == 4400, message
    async with connect(server) as ws:
        await ws.send(b"\x00binary")
        assert await closed_with(ws) == 4400


async def test_subscribing_before_connection_init_closes_with_4401(server):
    async with connect(server) as ws:
        await subscribe(ws, "1")
        assert await closed_with(ws) == 4401


async def test_bad_credentials_close_with_4403(server, tenant):
    for payload in ({"authorization": "Bearer not-a-token"}, {}):
        async with connect(server) as ws:
            await send(ws, {"type": "connection_init", "payload": payload})
            assert await closed_with(ws) == 4403


async def test_no_connection_init_in_time_closes_with_4408(server):
    async with connect(server) as ws:
        await send(ws, {"type": "ping"})
        assert (await receive(ws))["type"] == "pong"  # pings do not count as initialising
        assert await closed_with(ws) == 4408


async def test_reusing_an_active_subscription_id_closes_with_4409(server, tenant):
    async with connect(server) as ws:
        await init(ws, tenant)
        await subscribe(ws, "same")
        await subscribe(ws, "same")
        assert await closed_with(ws) == 4409


async def test_a_second_connection_init_closes_with_4429(server, tenant):
    async with connect(server) as ws:
        assert (await init(ws, tenant))["type"] == "connection_ack"
        await send(ws, {"type": "connection_init", "payload": {"authorization": f"Bearer {token(tenant)}"}})
        assert await closed_with(ws) == 4429


# --- subscriptions per connection ---


async def test_one_subscription_too_many_gets_an_error_and_the_connection_goes_on(server, tenant):
    await graphql(server, tenant, ORG, {"i": {"name": "Acme"}})
    async with connect(server) as ws:
        await init(ws, tenant)
        for i in range(LIMIT):
            await subscribe(ws, f"s{i}")
        got = {m["id"]: m for m in [await receive(ws) for _ in range(LIMIT)]}
        assert {k: m["payload"]["data"]["events"]["type"] for k, m in got.items()} == {
            f"s{i}": "organization.created" for i in range(LIMIT)
        }

        await subscribe(ws, "over")
        error = await receive(ws)
        assert error["id"] == "over" and error["type"] == "error", error
        assert error["payload"][0]["extensions"]["code"] == "TOO_MANY_SUBSCRIPTIONS"

        # Completing one makes room; the connection and its subscriptions carried on.
        await send(ws, {"id": "s0", "type": "complete"})
        await subscribe(ws, "again")
        message = await receive(ws)
        assert message["id"] == "again" and message["payload"]["data"]["events"]["type"] == "organization.created"


# --- Origin ---


async def handshake_refused(server: Server, origin: str) -> int:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(server, origin):
            pass
    return refused.value.response.status_code


async def test_a_page_on_an_origin_no_one_allows_cannot_open_the_websocket(server):
    assert await handshake_refused(server, "https://attacker.example") == 403
    assert await handshake_refused(server, "null") == 403


async def test_a_tenants_origin_connects_for_that_tenant_and_no_other(server, tenant, other):
    origin = f"https://{tenant.slug}.portal.example"
    result = await graphql(
        server,
        tenant,
        """mutation($i: TenantSettingsUpdateInput!) {
        tenantSettingsUpdate(input: $i) { errors { message } } }""",
        {"i": {"corsOrigins": [origin]}},
    )
    assert result["tenantSettingsUpdate"]["errors"] == []
    async with connect(server, origin) as ws:
        assert (await init(ws, tenant))["type"] == "connection_ack"
    # The handshake names no tenant; connection_init does, and this one's does not allow the page.
    async with connect(server, origin) as ws:
        await send(ws, {"type": "connection_init", "payload": {"authorization": f"Bearer {token(other)}"}})
        assert await closed_with(ws) == 4403


async def test_global_origins_servers_and_the_apis_own_origin_connect_for_any_tenant(server, tenant, other):
    for origin in (GLOBAL, None, f"http://127.0.0.1:{server.port}"):
        for t in (tenant, other):
            async with connect(server, origin) as ws:
                assert (await init(ws, t))["type"] == "connection_ack", origin
