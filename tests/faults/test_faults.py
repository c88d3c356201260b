"""Faults survived by real processes (`crm-graph worker`, `crm-graph serve`):

1. a worker SIGKILLed in the middle of a webhook delivery: a new worker sends the
   same delivery again, with the same `webhook-id`, and nothing is lost;
2. Redis emptied between a mutation and its delivery: the subscriber and the webhook
   still get the event, and the stream is rebuilt from the outbox;
3. two API instances and two workers: a subscriber on A gets a mutation made on B
   exactly once, and each event is delivered to a webhook exactly once.

(500 → 429 Retry-After → 200 on a controlled clock is in tests/webhooks.)
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import sqlalchemy as sa
import websockets
from redis.asyncio import Redis
from standardwebhooks import Webhook as Verifier
from tests.faults.conftest import Proc, Processes, Receiver, RedisServer, eventually

from crm_graph.platform.events import streams
from crm_graph.platform.events.models import OutboxEvent
from crm_graph.platform.events.outbox import event_id
from crm_graph.platform.webhooks.models import WebhookDelivery

OUTBOX = OutboxEvent.__table__
DELIVERIES = WebhookDelivery.__table__
CREATE_HOOK = """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) { webhook { id } secret errors { __typename message } } }"""
ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { __typename } } }"""
# Organization events only: webhookCreate has an event of its own.
EVENTS = """subscription($after: String) {
  events(after: $after, types: ["organization.created"]) { id type recordId version } }"""
START = "0" * 16  # before a fresh tenant's first event
TIMEOUT = 20.0  # bound on any one wait; the happy path takes a few seconds at most


async def create_hook(gql: Any, url: str) -> str:
    out = (await gql(CREATE_HOOK, {"i": {"url": url, "eventTypes": ["organization.*"]}}))["webhookCreate"]
    assert out["errors"] == [], out
    return out["secret"]


async def mutate(api: Proc, token: str, name: str) -> None:
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        response = await client.post(
            api.url,
            json={"query": ORG, "variables": {"i": {"name": name}}},
            headers={"Authorization": f"Bearer {token}"},
        )
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    assert body["data"]["organizationCreate"]["errors"] == [], body


async def outbox_ids(engine: Any, tenant_id: Any) -> list[str]:
    """The ids of the tenant's organization.created events, in order."""
    async with engine.connect() as conn:
        seqs = (
            await conn.execute(
                sa.select(OUTBOX.c.seq)
                .where(OUTBOX.c.tenant_id == tenant_id, OUTBOX.c.type == "organization.created")
                .order_by(OUTBOX.c.seq)
            )
        ).scalars()
        return [event_id(s) for s in seqs]


async def all_stream_ids(engine: Any, tenant_id: Any) -> list[str]:
    """The stream entry ids the tenant's outbox calls for: every event, once, in order."""
    async with engine.connect() as conn:
        seqs = (
            await conn.execute(sa.select(OUTBOX.c.seq).where(OUTBOX.c.tenant_id == tenant_id).order_by(OUTBOX.c.seq))
        ).scalars()
        return [streams.entry_id(s) for s in seqs]


async def deliveries(engine: Any, tenant_id: Any) -> list[Any]:
    async with engine.connect() as conn:
        stmt = sa.select(DELIVERIES).where(DELIVERIES.c.tenant_id == tenant_id).order_by(DELIVERIES.c.event_seq)
        return [r._mapping for r in (await conn.execute(stmt)).all()]


async def stream_ids(redis: Redis, tenant_id: Any) -> list[str]:
    return [i.decode() for i, _ in await redis.xrange(streams.stream_key(tenant_id))]


def verified(secret: str, receiver: Receiver) -> list[dict[str, Any]]:
    """Every request the receiver got, checked with the `standardwebhooks` library."""
    with receiver.lock:
        requests = list(receiver.requests)
    return [Verifier(secret).verify(r.body, r.headers) for r in requests]


async def all_succeeded(engine: Any, tenant_id: Any, n: int) -> bool:
    rows = await deliveries(engine, tenant_id)
    return len(rows) == n and all(r["status"] == "succeeded" for r in rows)


class Subscriber:
    """One graphql-transport-ws connection running `events(after: START)`."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    @classmethod
    @contextlib.asynccontextmanager
    async def open(cls, api: Proc, token: str, after: str = START) -> AsyncIterator[Subscriber]:
        async with websockets.connect(api.ws, subprotocols=["graphql-transport-ws"]) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
            ack = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            assert ack["type"] == "connection_ack", ack
            await ws.send(
                json.dumps(
                    {"id": "1", "type": "subscribe", "payload": {"query": EVENTS, "variables": {"after": after}}}
                )
            )
            yield cls(ws)

    async def message(self, timeout: float) -> dict[str, Any]:
        while True:
            msg = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
            if msg["type"] == "ping":
                await self.ws.send(json.dumps({"type": "pong"}))
            elif msg["type"] != "pong":
                return msg

    async def event(self, timeout: float = TIMEOUT) -> dict[str, Any]:
        msg = await self.message(timeout)
        assert msg["type"] == "next" and not msg["payload"].get("errors"), msg
        return msg["payload"]["data"]["events"]

    async def nothing_more(self, within: float) -> None:
        with contextlib.suppress(TimeoutError):
            msg = await self.message(within)
            raise AssertionError(f"unexpected message (a duplicate?): {msg}")


# --- 1. SIGKILL mid-delivery ----------------------------------------------------------


async def test_a_worker_killed_mid_delivery_is_replaced_and_the_same_delivery_is_sent_again(
    procs: Processes, tenant, gql, engine, receiver: Receiver
):
    receiver.hold_first = True  # the first request stays open until the worker is dead
    secret = await create_hook(gql, receiver.url)
    first = await procs.worker()
    await gql(ORG, {"i": {"name": "Killed mid-delivery"}})

    await eventually(lambda: asyncio.sleep(0, receiver.count() >= 1), TIMEOUT, "the first attempt reaches the receiver")
    await first.kill()
    receiver.release.set()
    await procs.wait_listeners(0)  # PostgreSQL has seen the worker's connections drop
    # The attempt died with its transaction: the delivery is pending again, unlocked, no attempt logged.
    [row] = await eventually(lambda: deliveries(engine, tenant.id), TIMEOUT, "the delivery row")
    assert row["status"] == "pending", row

    loop = asyncio.get_running_loop()
    replaced_at = loop.time()
    await procs.worker()
    await eventually(lambda: asyncio.sleep(0, receiver.count() >= 2), TIMEOUT, "a new worker sends it again")
    # Redelivered by the due-deliveries round, not by arq re-running the dead job,
    # which would take the worker's job_timeout (300 s) + 10 s.
    assert loop.time() - replaced_at < TIMEOUT
    await eventually(lambda: all_succeeded(engine, tenant.id, 1), TIMEOUT, "the delivery succeeds")

    events = verified(secret, receiver)
    ids = receiver.ids()
    assert ids == [str(row["id"])] * 2, "a redelivery must keep its webhook-id, so receivers can deduplicate"
    assert events[0] == events[1] and events[0]["type"] == "organization.created"
    assert events[0]["id"] == (await outbox_ids(engine, tenant.id))[-1]
    await asyncio.sleep(2.5)  # one more fan-out and due round: nothing else goes out
    assert receiver.count() == 2, receiver.ids()


# --- 2. Redis emptied between a mutation and its delivery ----------------------------


async def test_events_survive_redis_losing_everything_between_mutation_and_delivery(
    procs: Processes, tenant, gql, engine, receiver: Receiver, fredis: Redis
):
    secret = await create_hook(gql, receiver.url)
    api, worker = await procs.api(), await procs.worker()
    token = tenant.client().token
    async with Subscriber.open(api, token) as sub:
        await mutate(api, token, "Before the flush")
        before = await sub.event()
        assert before["type"] == "organization.created"
        await eventually(lambda: asyncio.sleep(0, receiver.count() == 1), TIMEOUT, "the first webhook")

        worker.pause()  # SIGSTOP: the worker can neither relay nor deliver what comes next
        try:
            await mutate(api, token, "Across the flush")
            await fredis.flushall()  # streams, arq's queue and its keys: all gone
            assert await fredis.dbsize() == 0
        finally:
            worker.resume()

        after = await sub.event()
        ids = await outbox_ids(engine, tenant.id)
        assert [before["id"], after["id"]] == ids, "the subscriber must get the event once, in order"
        await eventually(lambda: all_succeeded(engine, tenant.id, 2), TIMEOUT, "the webhook gets it too")
        events = verified(secret, receiver)
        assert [e["id"] for e in events] == ids and len(set(receiver.ids())) == 2
        # Redis held nothing of the first event: the relay restored it from the outbox.
        assert await stream_ids(fredis, tenant.id) == await all_stream_ids(engine, tenant.id)
        await sub.nothing_more(1.0)


async def test_events_survive_a_redis_restart_between_mutation_and_delivery(
    procs: Processes, tenant, gql, engine, receiver: Receiver, fault_redis: RedisServer, fredis: Redis
):
    """The same with a real crash and restart of Redis (an empty one comes back).

    The worker rides the restart out (it retries Redis) and the live subscription
    carries on by itself, reading on from its last event once the relay has rebuilt
    the stream from the outbox. Neither may lose or repeat an event.
    """
    secret = await create_hook(gql, receiver.url)
    api, worker = await procs.api(), await procs.worker()
    token = tenant.client().token
    async with Subscriber.open(api, token) as sub:
        await mutate(api, token, "Before the restart")
        seen = [await sub.event()]
        await eventually(lambda: asyncio.sleep(0, receiver.count() == 1), TIMEOUT, "the first webhook")
        worker.pause()
        try:
            await mutate(api, token, "Across the restart")
            fault_redis.restart()
        finally:
            worker.resume()
        seen.append(await sub.event())  # the same subscription, no resume needed
        await sub.nothing_more(1.0)
    assert procs.live_workers() == 1, "the worker must survive a Redis restart"

    async def delivered() -> bool:
        return await all_succeeded(engine, tenant.id, 2)

    await eventually(delivered, TIMEOUT * 2, "the webhook gets the second event")
    ids = await outbox_ids(engine, tenant.id)
    assert [e["id"] for e in seen] == ids, "the subscriber must get each event once, in order"
    assert [e["id"] for e in verified(secret, receiver)] == ids and len(set(receiver.ids())) == 2
    await eventually(lambda: stream_ids(fredis, tenant.id), TIMEOUT, "the stream is rebuilt")
    assert await stream_ids(fredis, tenant.id) == await all_stream_ids(engine, tenant.id)


# --- 3. Two API instances, two workers -----------------------------------------------


async def test_two_instances_and_two_workers_deliver_each_event_exactly_once(
    procs: Processes, tenant, gql, engine, receiver: Receiver, fredis: Redis
):
    n = 6
    secret = await create_hook(gql, receiver.url)
    a, b, *_ = await asyncio.gather(procs.api(), procs.api(), procs.worker(), procs.worker())
    await procs.wait_listeners(2)  # both relays listen: either may take any event
    token = tenant.client().token
    async with Subscriber.open(a, token) as sub:
        for i in range(n):
            await mutate(b, token, f"Made on B {i}")
        got = [await sub.event() for _ in range(n)]
        ids = await outbox_ids(engine, tenant.id)
        assert len(ids) == n
        assert [e["id"] for e in got] == ids, "instance A's subscriber: each event of B once, in order"

        await eventually(lambda: all_succeeded(engine, tenant.id, n), TIMEOUT, "every webhook delivered")
        await asyncio.sleep(2.5)  # another fan-out and due round of both workers: nothing more
        await sub.nothing_more(0.5)
    events = verified(secret, receiver)
    assert sorted(e["id"] for e in events) == ids, "each event exactly once at the webhook"
    assert len(set(receiver.ids())) == n
    assert all(r["attempts"] == 1 for r in await deliveries(engine, tenant.id))
    assert await stream_ids(fredis, tenant.id) == await all_stream_ids(engine, tenant.id), "relayed once each"
