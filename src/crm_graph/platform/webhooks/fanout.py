"""Fan-out of outbox events to webhook deliveries (the `webhook_fanout` cron job).

New outbox rows become one delivery per matching endpoint, exactly once: a
per-tenant cursor row is locked while it works, and (webhook_id, event_seq) is
unique.

A webhook acts for its creator, as they are NOW: each event goes only to webhooks
whose creator may currently see it (the predicate subscriptions use,
crm_graph.platform.events.queries), with the fields they may not read left out of its
changes (before and after values alike); an update whose every change is hidden is
not sent. A webhook whose creator is deactivated or gone sends nothing.

Tenants fan out concurrently (at most CONCURRENCY at once), and each tenant's round
is bounded by TENANT_BUDGET seconds of work: a tenant whose payload queries are slow
advances its cursor only past the events it finished and goes on next round, so it
cannot delay another tenant's webhooks. Each tenant's deliveries are queued as soon
as its transaction commits.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_graph.kernel.actor import Actor, Identity
from crm_graph.platform.authz.actors import UnknownActor, load_actor
from crm_graph.platform.events import streams
from crm_graph.platform.events.models import OutboxEvent
from crm_graph.platform.events.outbox import event_id
from crm_graph.platform.events.queries import strip_hidden, visibility
from crm_graph.platform.webhooks.models import Webhook, WebhookCursor, WebhookDelivery

WEBHOOKS: sa.Table = Webhook.__table__
DELIVERIES: sa.Table = WebhookDelivery.__table__
CURSORS: sa.Table = WebhookCursor.__table__
OUTBOX: sa.Table = OutboxEvent.__table__

FANOUT_BATCH = 500
CONCURRENCY = 8  # tenants fanned out at once (each holds one owner connection)
TENANT_BUDGET = 5.0  # seconds of work per tenant per round, payload queries included

Ctx = dict[str, Any]


def now(ctx: Ctx) -> datetime:
    clock: Callable[[], datetime] = ctx.get("now") or (lambda: datetime.now(UTC))
    return clock()


def matches(patterns: list[str], event_type: str) -> bool:
    return any(p == "*" or p == event_type or (p.endswith(".*") and event_type.startswith(p[:-1])) for p in patterns)


async def _creator(conn: Any, tenant_id: uuid.UUID, user_id: uuid.UUID | None) -> Actor | None:
    """The webhook's creator as they are now; None when deactivated or gone."""
    if user_id is None:
        return None
    try:
        return await load_actor(conn, Identity(tenant_id, user_id))
    except UnknownActor:
        return None


async def _visible(conn: Any, actor: Actor, seqs: list[int]) -> set[int]:
    where, values = visibility(actor, None)
    stmt = sa.select(OUTBOX.c.seq).where(OUTBOX.c.seq.in_(seqs), *where)
    return set((await conn.execute(stmt, values)).scalars())


def _event_for(actor: Actor, event: Mapping[str, Any]) -> dict[str, Any] | None:
    """The event as `actor` may read it, or None when nothing of it is theirs to see."""
    payload: dict[str, Any] = orjson.loads(streams.encode(event))
    changes = payload.get("changes") or {}
    shown = strip_hidden(actor, payload["record_type"], changes)
    if changes and not shown:
        return None  # every change is to a field they may not read
    payload["changes"] = shown
    return payload


async def _fanout_tenant(ctx: Ctx, conn: Any, tenant_id: uuid.UUID) -> tuple[list[uuid.UUID], bool]:
    """One batch of the tenant's events; returns the deliveries made and whether the
    tenant has more to do (a full batch, or one cut short by the budget)."""
    started = time.monotonic()
    hooks = [
        r._mapping
        for r in (
            await conn.execute(
                sa.select(
                    WEBHOOKS.c.id,
                    WEBHOOKS.c.event_types,
                    WEBHOOKS.c.start_seq,
                    WEBHOOKS.c.payload_query,
                    WEBHOOKS.c.created_by_id,
                ).where(WEBHOOKS.c.tenant_id == tenant_id, WEBHOOKS.c.disabled_at.is_(None))
            )
        ).all()
    ]
    if not hooks:
        return [], False
    start = min(h["start_seq"] for h in hooks)
    await conn.execute(pg_insert(CURSORS).values(tenant_id=tenant_id, seq=start).on_conflict_do_nothing())
    cursor = (
        await conn.execute(
            sa.select(CURSORS.c.seq).where(CURSORS.c.tenant_id == tenant_id).with_for_update(skip_locked=True)
        )
    ).scalar()
    if cursor is None:
        return [], False  # another worker is fanning this tenant out
    events = [
        r._mapping
        for r in (
            await conn.execute(
                sa.select(OUTBOX)
                .where(OUTBOX.c.tenant_id == tenant_id, OUTBOX.c.seq > cursor)
                .order_by(OUTBOX.c.seq)
                .limit(FANOUT_BATCH)
            )
        ).all()
    ]
    if not events:
        return [], False
    seqs = [e["seq"] for e in events]
    creators: dict[uuid.UUID, tuple[Actor, set[int]]] = {}
    for h in hooks:
        actor = await _creator(conn, tenant_id, h["created_by_id"])
        if actor is not None:
            creators[h["id"]] = (actor, await _visible(conn, actor, seqs))
    at = now(ctx)
    shape = ctx.get("shape_payload")
    rows: list[dict[str, Any]] = []
    done = cursor
    for e in events:
        if rows and time.monotonic() - started > TENANT_BUDGET:
            break  # the rest next round; the cursor stops after the last event finished
        for h in hooks:
            if h["id"] not in creators or e["seq"] <= h["start_seq"] or not matches(h["event_types"], e["type"]):
                continue
            actor, visible = creators[h["id"]]
            payload = _event_for(actor, e) if e["seq"] in visible else None
            if payload is None:
                continue
            if h["payload_query"] and shape is not None:
                # Shaped once, at fan-out: every retry sends the same body.
                payload = await shape(tenant_id, h["created_by_id"], h["payload_query"], payload)
            rows.append(
                {
                    "tenant_id": tenant_id,
                    "webhook_id": h["id"],
                    "event_seq": e["seq"],
                    "event_id": event_id(e["seq"]),
                    "event_type": e["type"],
                    "record_id": e["record_id"],
                    "payload": payload,
                    "status": "pending",
                    "next_attempt_at": at,
                }
            )
        done = e["seq"]
    created: list[uuid.UUID] = []
    if rows:
        stmt = pg_insert(DELIVERIES).values(rows).on_conflict_do_nothing(index_elements=["webhook_id", "event_seq"])
        created = list((await conn.execute(stmt.returning(DELIVERIES.c.id))).scalars())
    await conn.execute(sa.update(CURSORS).where(CURSORS.c.tenant_id == tenant_id).values(seq=done))
    return created, done != events[-1]["seq"] or len(events) == FANOUT_BATCH


async def _one_tenant(ctx: Ctx, tenant_id: uuid.UUID, gate: asyncio.Semaphore) -> int:
    async with gate:
        total = 0
        more = True
        while more:
            async with ctx["engine"].begin() as conn:
                created, more = await _fanout_tenant(ctx, conn, tenant_id)
            total += len(created)
            redis = ctx.get("redis")
            if redis is not None:  # queued as soon as committed, not after the other tenants
                for delivery_id in created:
                    await redis.enqueue_job("deliver_webhook", str(delivery_id))
            if more and ctx.get("redis") is not None:
                break  # the next cron round goes on; a backlog does not hold this one open
        return total


async def webhook_fanout(ctx: Ctx, tenant_id: uuid.UUID | None = None) -> int:
    """Create the deliveries of events not yet fanned out (of one tenant, or all);
    returns how many."""
    active: list[sa.ColumnElement[bool]] = [WEBHOOKS.c.disabled_at.is_(None)]
    if tenant_id is not None:
        active.append(WEBHOOKS.c.tenant_id == tenant_id)
    async with ctx["engine"].connect() as conn:
        tenants = (await conn.execute(sa.select(WEBHOOKS.c.tenant_id).where(*active).distinct())).scalars().all()
    gate = asyncio.Semaphore(CONCURRENCY)
    counts = await asyncio.gather(*(_one_tenant(ctx, tid, gate) for tid in tenants))
    return sum(counts)
