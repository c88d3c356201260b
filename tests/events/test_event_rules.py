"""What a reader is told about events: no empty changes made of hidden fields, a clear
refusal when it resumes from events the retention has deleted, and nothing more once
its token has expired (unless it renewed it)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from datetime import timedelta
from typing import Any

import httpx
import sqlalchemy as sa
import websockets
from redis.asyncio import Redis
from tests.conftest import SECRET
from tests.events.test_subscriptions import (
    CONTACT,
    CONTACT_UPDATE,
    EVENTS,
    ORG,
    START,
    TIMEOUT,
    Subscriber,
    mutate,
)

from crm_graph.platform.events import streams
from crm_graph.platform.events.models import OutboxEvent
from crm_graph.platform.identity.auth import issue_token

OUTBOX = OutboxEvent.__table__
EVENTS_QUERY = """query($after: String) { events(after: $after, first: 10) { edges { node { id type } } } }"""


async def test_an_update_of_hidden_fields_only_never_reaches_who_may_not_read_them(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    marketing = issue_token(SECRET, tenant.id, await tenant.user(f"mkt@{tenant.slug}.example", ["marketing_manager"]))
    types = {"after": START, "types": ["contact.updated"]}
    async with (
        Subscriber.open(a, marketing, EVENTS, types) as mkt,
        Subscriber.open(a, admin, EVENTS, types) as adm,
    ):
        contact = (
            await mutate(a, admin, CONTACT, {"i": {"firstName": "Ada", "lastName": "L", "phones": ["+1 555 0100"]}})
        )["contact"]
        await mutate(a, admin, CONTACT_UPDATE, {"i": {"id": contact["id"], "phones": ["+1 555 0199"]}})
        await mutate(a, admin, CONTACT_UPDATE, {"i": {"id": contact["id"], "title": "CTO"}})
        phones, title = await adm.event(), await adm.event()
        seen = await mkt.event()
        await mkt.nothing_more()
    assert [c["field"] for c in phones["changes"]] == ["phones"]
    assert seen["id"] == title["id"] and [c["field"] for c in seen["changes"]] == ["title"]
    # The catch-up query skips it too, and its pages still come back full.
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        body = (
            await client.post(
                a.http,
                json={"query": EVENTS_QUERY, "variables": {"after": START}},
                headers={"Authorization": f"Bearer {marketing}"},
            )
        ).json()
    ids = [e["node"]["id"] for e in body["data"]["events"]["edges"]]
    assert phones["id"] not in ids and title["id"] in ids


async def prune_first(engine: Any, redis_url: str, tenant_id: Any, n: int) -> None:
    """Age the tenant's first `n` events past the retention, then run the retention."""
    async with engine.begin() as conn:
        await conn.execute(
            sa.update(OUTBOX)
            .where(OUTBOX.c.tenant_id == tenant_id, OUTBOX.c.seq <= n)
            .values(occurred_at=sa.func.now() - timedelta(days=30))
        )
    redis = Redis.from_url(redis_url)
    try:
        assert await streams.prune(engine, redis, retention_days=7) >= n
    finally:
        await redis.aclose()


async def test_resuming_from_before_the_retention_is_refused_not_silently_shortened(
    tenant, servers, relaying, engine, redis_url
):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    for i in range(5):
        await mutate(a, admin, ORG, {"i": {"name": f"Org {i}"}})
    async with Subscriber.open(a, admin, EVENTS, {"after": START}) as sub:
        await sub.events(5)  # all relayed
    await prune_first(engine, redis_url, tenant.id, 3)

    async with Subscriber.open(a, admin, EVENTS, {"after": START}) as sub:
        refused = await sub.message()
        ended = await sub.message()
    assert refused["type"] == "next" and ended["type"] == "complete", (refused, ended)
    error = refused["payload"]["errors"][0]
    assert error["extensions"] == {"code": "CURSOR_EXPIRED", "oldest": "0000000000000004"}, error
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        body = (
            await client.post(
                a.http,
                json={"query": EVENTS_QUERY, "variables": {"after": "0000000000000002"}},
                headers={"Authorization": f"Bearer {admin}"},
            )
        ).json()
    assert body["errors"][0]["extensions"]["code"] == "CURSOR_EXPIRED", body
    # From the event just before the oldest kept one, nothing was missed: it resumes.
    async with Subscriber.open(a, admin, EVENTS, {"after": "0000000000000003"}) as sub:
        assert [int(e["id"]) for e in await sub.events(2)] == [4, 5]


async def test_a_websocket_subscription_ends_when_its_token_expires(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    await mutate(a, admin, ORG, {"i": {"name": "Before expiry"}})
    loop = asyncio.get_running_loop()
    started = loop.time()
    short = issue_token(SECRET, tenant.id, tenant.admin_id, ttl=timedelta(seconds=3))  # exp: whole seconds
    async with Subscriber.open(a, short, EVENTS, {"after": START}) as sub:
        assert (await sub.event())["type"] == "organization.created"
        expired = await sub.message(timeout=6)
        took = loop.time() - started
        ended = await sub.message()
        # The socket takes no new operation on the expired token.
        await sub.ws.send(json.dumps({"id": "2", "type": "subscribe", "payload": {"query": EVENTS}}))
        with contextlib.suppress(websockets.ConnectionClosed):
            await asyncio.wait_for(sub.ws.recv(), TIMEOUT)
    assert expired["type"] == "next" and expired["payload"]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert ended["type"] == "complete"
    assert 2 <= took < 5
    assert sub.ws.close_code == 4401


async def test_a_websocket_renewed_with_a_fresh_token_goes_on_and_another_users_token_is_refused(
    tenant, servers, relaying
):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    short = issue_token(SECRET, tenant.id, tenant.admin_id, ttl=timedelta(seconds=3))
    async with Subscriber.open(a, short, EVENTS, {"after": START}) as sub:
        await sub.ws.send(json.dumps({"type": "ping", "payload": {"authorization": f"Bearer {admin}"}}))
        assert json.loads(await asyncio.wait_for(sub.ws.recv(), TIMEOUT))["type"] == "pong"
        await asyncio.sleep(4)  # past the first token's expiry
        org = (await mutate(a, admin, ORG, {"i": {"name": "After renewal"}}))["organization"]
        assert (await sub.event())["recordId"] == org["id"]
        rep = issue_token(SECRET, tenant.id, await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
        await sub.ws.send(json.dumps({"type": "ping", "payload": {"authorization": f"Bearer {rep}"}}))
        try:
            while True:
                await asyncio.wait_for(sub.ws.recv(), TIMEOUT)
        except websockets.ConnectionClosed:
            pass
    assert sub.ws.close_code == 4403


async def test_an_sse_subscription_ends_with_an_error_event_when_its_token_expires(tenant, servers, relaying):
    a, _ = servers
    loop = asyncio.get_running_loop()
    started = loop.time()
    short = issue_token(SECRET, tenant.id, tenant.admin_id, ttl=timedelta(seconds=3))
    headers = {"Authorization": f"Bearer {short}", "Accept": "text/event-stream"}
    messages: list[dict[str, Any]] = []
    async with (
        httpx.AsyncClient(timeout=TIMEOUT) as client,
        client.stream("POST", a.http, json={"query": EVENTS}, headers=headers) as response,
        asyncio.timeout(8),
    ):
        assert response.status_code == 200
        async for line in response.aiter_lines():  # ends when the server ends the stream
            if line.startswith("data:") and line[5:].strip():
                messages.append(json.loads(line[5:]))
    took = loop.time() - started
    assert messages and messages[-1]["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", messages
    assert 2 <= took < 6
