"""Subscribers see every change they may see, once, live or resumed, on any instance;
nothing they may not see; and nothing more once their grant is revoked."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import uvicorn
import websockets
from tests.conftest import SECRET

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity.auth import issue_token

ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { __typename } } }"""
ORG_UPDATE = """mutation($i: OrganizationUpdateInput!) { organizationUpdate(input: $i) { organization { id } errors { __typename } } }"""
CONTACT = """mutation($i: ContactCreateInput!) { contactCreate(input: $i) { contact { id } errors { __typename } } }"""
CONTACT_UPDATE = (
    """mutation($i: ContactUpdateInput!) { contactUpdate(input: $i) { contact { id } errors { __typename } } }"""
)
OPP = """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) { opportunity { id } errors { __typename message } } }"""
FIELDS = "id type recordType recordId version changes { field before after } actor { email } record { id }"
EVENTS = f"subscription($after: String, $types: [String!]) {{ events(after: $after, types: $types) {{ {FIELDS} }} }}"
ORG_CHANGED = f"subscription($id: ID!) {{ organizationChanged(id: $id) {{ {FIELDS} }} }}"
OPP_CHANGED = f"subscription($id: ID!) {{ opportunityChanged(id: $id) {{ {FIELDS} }} }}"
START = "0" * 16  # before a fresh tenant's first event
TIMEOUT = 10.0


class Server:
    """The real app served by uvicorn on a random local port, in this event loop."""

    def __init__(self, database_url: str, redis_url: str, **overrides: Any) -> None:
        settings = Settings(
            database_url=database_url,
            redis_url=redis_url,
            jwt_secret=SECRET,
            default_tenant="no-such-tenant",
            **overrides,
        )
        config = uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            lifespan="on",
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.task: asyncio.Task[None] | None = None
        self.port = 0

    async def start(self) -> None:
        self.task = asyncio.create_task(self.server.serve())
        deadline = asyncio.get_running_loop().time() + TIMEOUT
        while not self.server.started:
            assert not self.task.done(), "the server did not start"
            assert asyncio.get_running_loop().time() < deadline, "the server did not start in time"
            await asyncio.sleep(0.02)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.server.should_exit = True
        if self.task is not None:
            await asyncio.wait_for(self.task, TIMEOUT)

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"


async def mutate(server: Server, token: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        response = await client.post(
            server.http, json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
        )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    (result,) = body["data"].values()
    assert not result.get("errors"), result
    return result


class Subscriber:
    """One graphql-transport-ws connection with one subscription."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, server: Server, token: str, query: str, variables: dict[str, Any]) -> AsyncIterator[Subscriber]:
        async with websockets.connect(server.ws, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
            ack = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            assert ack["type"] == "connection_ack", ack
            await ws.send(
                json.dumps({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}})
            )
            yield cls(ws)

    async def message(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        while True:
            msg = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if msg["type"] != "ping":
                return msg

    async def event(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        msg = await self.message(timeout)
        assert msg["type"] == "next" and not msg["payload"].get("errors"), msg
        (event,) = msg["payload"]["data"].values()
        return event

    async def events(self, n: int) -> list[dict[str, Any]]:
        return [await self.event() for _ in range(n)]

    async def nothing_more(self, within: float = 0.5) -> None:
        with pytest.raises(TimeoutError):
            msg = await self.message(within)
            raise AssertionError(f"unexpected message: {msg}")


def _ids(events: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in events]


async def test_a_subscriber_receives_a_change_made_through_the_http_api(tenant, servers, relaying):
    a, _ = servers
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    async with Subscriber.open(a, token, EVENTS, {"after": START}) as sub:
        org = (await mutate(a, token, ORG, {"i": {"name": "Acme"}}))["organization"]
        created = await sub.event()
        # Replay is over: this one can only come from the stream.
        await mutate(a, token, ORG_UPDATE, {"i": {"id": org["id"], "name": "Acme Corp"}})
        updated = await sub.event()
    assert created["type"] == "organization.created" and created["recordId"] == org["id"]
    assert created["record"] == {"id": org["id"]} and created["actor"]["email"].startswith("admin@")
    assert updated["type"] == "organization.updated" and updated["version"] == 2
    assert {"field": "name", "before": "Acme", "after": "Acme Corp"} in updated["changes"]
    assert int(updated["id"]) == int(created["id"]) + 1


async def test_without_after_a_subscriber_gets_only_what_happens_next(tenant, servers, relaying):
    a, _ = servers
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    for i in range(3):
        await mutate(a, token, ORG, {"i": {"name": f"Before {i}"}})
    async with Subscriber.open(a, token, EVENTS, {}) as sub:
        # Nothing acknowledges a subscription, so change things until one arrives;
        # from then on, every change arrives, in order.
        got: dict[str, Any] | None = None
        for i in range(50):
            await mutate(a, token, ORG, {"i": {"name": f"Probe {i}"}})
            with contextlib.suppress(TimeoutError):
                got = await sub.event(timeout=0.3)
                break
        assert got is not None, "no event arrived"
        assert int(got["id"]) > 3  # the three earlier ones are not replayed
        last = (await mutate(a, token, ORG, {"i": {"name": "After"}}))["organization"]
        received = [got]
        while received[-1]["recordId"] != last["id"]:
            received.append(await sub.event())
        await sub.nothing_more()
    seqs = [int(e["id"]) for e in received]
    assert seqs == list(range(seqs[0], seqs[-1] + 1))  # from the first one on, all of them, once


async def test_resuming_after_an_event_replays_the_missed_ones_then_continues_live(tenant, servers, relaying):
    a, _ = servers
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    for i in range(5):
        await mutate(a, token, ORG, {"i": {"name": f"Org {i}"}})
    async with Subscriber.open(a, token, EVENTS, {"after": START}) as sub:
        first = await sub.events(2)
    # Disconnected after the 2nd; 150 more happen (more than one replay page) meanwhile.
    for i in range(150):
        await mutate(a, token, ORG, {"i": {"name": f"Missed {i}"}})
    async with Subscriber.open(a, token, EVENTS, {"after": first[-1]["id"]}) as sub:
        replayed = await sub.events(153)
        await mutate(a, token, ORG, {"i": {"name": "Live"}})
        live = await sub.event()
        await sub.nothing_more()
    seqs = [int(e["id"]) for e in [*first, *replayed, live]]
    assert seqs == list(range(1, 157))  # no gap, no duplicate at either seam
    assert live["type"] == "organization.created"


async def test_over_sse_with_the_authorization_header(tenant, servers, relaying):
    a, _ = servers
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    events: list[dict[str, Any]] = []
    body = {"query": EVENTS, "variables": {"after": START}}
    async with (
        httpx.AsyncClient(timeout=TIMEOUT) as client,
        client.stream("POST", a.http, json=body, headers=headers) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        await mutate(a, token, ORG, {"i": {"name": "Over SSE"}})
        async with asyncio.timeout(TIMEOUT):
            async for line in response.aiter_lines():
                if line.startswith("data:") and line[5:].strip():
                    events.append(json.loads(line[5:])["data"]["events"])
                    if len(events) == 1:
                        await mutate(a, token, ORG, {"i": {"name": "Over SSE, live"}})
                    if len(events) == 2:
                        break
    assert [e["type"] for e in events] == ["organization.created"] * 2
    assert int(events[1]["id"]) == int(events[0]["id"]) + 1


async def test_sse_without_credentials_is_refused(servers):
    a, _ = servers
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        response = await client.post(a.http, json={"query": EVENTS}, headers={"Accept": "text/event-stream"})
    assert response.status_code == 401


@pytest.mark.parametrize("payload", [{"authorization": "Bearer not-a-token"}, {}, {"authorization": "Basic x"}])
async def test_a_bad_or_missing_token_in_connection_init_closes_with_4403(servers, payload):
    a, _ = servers
    async with websockets.connect(a.ws, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), TIMEOUT)
    assert ws.close_code == 4403


async def test_subscribing_before_connection_init_is_refused(servers):
    a, _ = servers
    async with websockets.connect(a.ws, subprotocols=["graphql-transport-ws"]) as ws:
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": EVENTS}}))
        with pytest.raises(websockets.ConnectionClosed):
            await asyncio.wait_for(ws.recv(), TIMEOUT)
    assert ws.close_code == 4401


async def test_a_rep_never_receives_events_of_another_reps_opportunities(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    rep1 = issue_token(SECRET, tenant.id, await tenant.user(f"rep1@{tenant.slug}.example", ["sales_rep"]))
    rep2 = issue_token(SECRET, tenant.id, await tenant.user(f"rep2@{tenant.slug}.example", ["sales_rep"]))
    org = (await mutate(a, admin, ORG, {"i": {"name": "Shared"}}))["organization"]
    async with Subscriber.open(a, rep1, EVENTS, {"after": START}) as sub:
        assert (await sub.event())["recordId"] == org["id"]  # live from here on
        theirs = (await mutate(a, rep2, OPP, {"i": {"name": "Theirs", "organizationId": org["id"]}}))["opportunity"]
        mine = (await mutate(a, rep1, OPP, {"i": {"name": "Mine", "organizationId": org["id"]}}))["opportunity"]
        got = await sub.event()
        await sub.nothing_more()
    # In seq order, theirs came first: had it been delivered, it would be `got`.
    assert got["recordId"] == mine["id"] and got["type"] == "opportunity.created"
    assert theirs["id"] != mine["id"]


async def test_marketing_never_sees_phones_in_changes(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    marketing = issue_token(SECRET, tenant.id, await tenant.user(f"mkt@{tenant.slug}.example", ["marketing_manager"]))
    async with (
        Subscriber.open(a, marketing, EVENTS, {"after": START, "types": ["contact.updated"]}) as mkt,
        Subscriber.open(a, admin, EVENTS, {"after": START, "types": ["contact.updated"]}) as adm,
    ):
        contact = (
            await mutate(a, admin, CONTACT, {"i": {"firstName": "Ada", "lastName": "L", "phones": ["+1 555 0100"]}})
        )["contact"]
        await mutate(a, admin, CONTACT_UPDATE, {"i": {"id": contact["id"], "phones": ["+1 555 0199"], "title": "CTO"}})
        seen_by_marketing, seen_by_admin = await mkt.event(), await adm.event()
    assert {c["field"] for c in seen_by_admin["changes"]} >= {"phones", "title"}
    assert [c["field"] for c in seen_by_marketing["changes"]] == ["title"]


async def test_a_change_made_on_one_instance_reaches_a_subscriber_on_another_exactly_once(tenant, servers, relaying):
    a, b = servers
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    warm = (await mutate(b, token, ORG, {"i": {"name": "Warm-up"}}))["organization"]
    async with Subscriber.open(a, token, EVENTS, {"after": START}) as sub:
        assert (await sub.event())["recordId"] == warm["id"]
        org = (await mutate(b, token, ORG, {"i": {"name": "Made on B"}}))["organization"]
        got = await sub.event()
        marker = (await mutate(b, token, ORG, {"i": {"name": "Marker"}}))["organization"]
        after = await sub.event()
        await sub.nothing_more()
    assert got["recordId"] == org["id"]
    assert after["recordId"] == marker["id"]  # not a second copy of `got`


async def test_typed_subscriptions_follow_one_record(tenant, servers, relaying):
    a, _ = servers
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    org = (await mutate(a, token, ORG, {"i": {"name": "Followed"}}))["organization"]
    other = (await mutate(a, token, ORG, {"i": {"name": "Other"}}))["organization"]
    opp = (await mutate(a, token, OPP, {"i": {"name": "Deal", "organizationId": org["id"]}}))["opportunity"]
    async with (
        Subscriber.open(a, token, ORG_CHANGED, {"id": org["id"]}) as orgs,
        Subscriber.open(a, token, OPP_CHANGED, {"id": opp["id"]}) as opps,
    ):
        got_org = got_opp = None
        for i in range(50):  # until both subscriptions are live
            await mutate(a, token, ORG_UPDATE, {"i": {"id": other["id"], "name": f"Other {i}"}})
            await mutate(a, token, ORG_UPDATE, {"i": {"id": org["id"], "name": f"Followed {i}"}})
            await mutate(
                a,
                token,
                "mutation($i: OpportunityUpdateInput!) { opportunityUpdate(input: $i) "
                "{ opportunity { id } errors { __typename } } }",
                {"i": {"id": opp["id"], "name": f"Deal {i}"}},
            )
            with contextlib.suppress(TimeoutError):
                got_org = got_org or await orgs.event(timeout=0.3)
            with contextlib.suppress(TimeoutError):
                got_opp = got_opp or await opps.event(timeout=0.3)
            if got_org and got_opp:
                break
    assert got_org is not None and got_org["recordId"] == org["id"] and got_org["type"] == "organization.updated"
    assert got_opp is not None and got_opp["recordId"] == opp["id"]


async def test_a_typed_subscription_refuses_an_id_of_another_type(tenant, servers):
    a, _ = servers
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    org = (await mutate(a, token, ORG, {"i": {"name": "Not a deal"}}))["organization"]
    async with Subscriber.open(a, token, OPP_CHANGED, {"id": org["id"]}) as sub:
        msg = await sub.message()
    assert msg["type"] in ("error", "next")
    errors = msg["payload"] if msg["type"] == "error" else msg["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_revoking_the_read_grant_stops_the_flow_within_5_seconds(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    rep = issue_token(SECRET, tenant.id, await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
    org = (await mutate(a, admin, ORG, {"i": {"name": "Watched"}}))["organization"]
    async with Subscriber.open(a, rep, EVENTS, {"after": START, "types": ["organization.updated"]}) as sub:
        await mutate(a, admin, ORG_UPDATE, {"i": {"id": org["id"], "name": "Watched 1"}})
        assert (await sub.event())["version"] == 2
        loop = asyncio.get_running_loop()
        await mutate(
            a,
            admin,
            """mutation { roleRevoke(input: {role: "sales_rep", object: "organization",
            action: "read", scope: TENANT}) { rule { subject } errors { message } } }""",
            {},
        )
        revoked_at = loop.time()
        # Keep changing it for 6 s: deliveries must stop within 5 s of the revocation.
        delivered: list[tuple[float, dict[str, Any]]] = []
        while loop.time() < revoked_at + 6:
            await mutate(a, admin, ORG_UPDATE, {"i": {"id": org["id"], "name": f"Watched {loop.time()}"}})
            with contextlib.suppress(TimeoutError):
                msg = await sub.message(timeout=0.2)
                delivered.append((loop.time() - revoked_at, msg))
        await mutate(a, admin, ORG_UPDATE, {"i": {"id": org["id"], "name": "Long after"}})
        await sub.nothing_more(1.0)
    assert all(m["type"] == "next" for _, m in delivered), delivered  # `events` goes on: other types are readable
    late = [t for t, _ in delivered if t >= 5]
    assert not late, f"still delivered {len(late)} event(s) {late[0]:.1f} s after the revocation"


async def test_losing_read_access_ends_a_typed_subscription_with_an_error(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    rep = issue_token(SECRET, tenant.id, await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
    org = (await mutate(a, admin, ORG, {"i": {"name": "Watched"}}))["organization"]
    async with Subscriber.open(a, rep, ORG_CHANGED, {"id": org["id"]}) as sub:
        loop = asyncio.get_running_loop()
        await mutate(
            a,
            admin,
            """mutation { roleRevoke(input: {role: "sales_rep", object: "organization",
            action: "read", scope: TENANT}) { rule { subject } errors { message } } }""",
            {},
        )
        revoked_at = loop.time()
        msg = await sub.message(timeout=5)
        ended = await sub.message(timeout=5)
        took = loop.time() - revoked_at
    assert msg["type"] == "next" and msg["payload"]["errors"][0]["extensions"]["code"] == "FORBIDDEN", msg
    assert ended["type"] == "complete"
    assert took < 5
