"""Fan-out of outbox events to webhook deliveries, and sending them (arq jobs).

`webhook_fanout` (cron, every 2 s) turns new outbox rows into one delivery per
matching endpoint, exactly once: a per-tenant cursor row is locked while it works,
and (webhook_id, event_seq) is unique. `retry_due_deliveries` (cron, every 2 s)
picks pending deliveries that are due (FOR UPDATE SKIP LOCKED: one in flight is
locked, so never picked twice) and runs `deliver_webhook` for each. PostgreSQL
holds the truth: a worker killed mid-request leaves its delivery pending and
unlocked, and the next round sends it again with the same `webhook-id`.

Retry schedule. The first attempt is immediate; after the n-th failed attempt the
next one waits SCHEDULE[n-1] plus up to 10 % jitter:

    5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 12 h, 24 h, 24 h

13 attempts over about 3 days 4 hours; then the delivery is `dead`
(webhookRedeliver starts the schedule again). A 429 or 503 with `Retry-After`
(seconds or an HTTP date) waits exactly that long instead (at most 24 h). 410 Gone
disables the endpoint; an endpoint that has failed without a success for 5 days is
disabled too. Any 2xx is success; redirects are not followed.

Per-record order: a delivery waits while an earlier delivery of the same record to
the same endpoint is pending.

The clock is `ctx["now"]` (a function returning an aware datetime) and the jitter
`ctx["jitter"]` (delay seconds -> extra seconds), so tests control both.
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import orjson
import sqlalchemy as sa
import structlog
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_graph.events import streams
from crm_graph.events.models import OutboxEvent
from crm_graph.events.outbox import event_id
from crm_graph.identity.models import User
from crm_graph.notifications.service import notify
from crm_graph.webhooks import signing
from crm_graph.webhooks.models import (
    Webhook,
    WebhookAttempt,
    WebhookCursor,
    WebhookDelivery,
)
from crm_graph.webhooks.service import url_problem

WEBHOOKS: sa.Table = Webhook.__table__  # type: ignore[attr-defined]
DELIVERIES: sa.Table = WebhookDelivery.__table__  # type: ignore[attr-defined]
ATTEMPTS: sa.Table = WebhookAttempt.__table__  # type: ignore[attr-defined]
CURSORS: sa.Table = WebhookCursor.__table__  # type: ignore[attr-defined]
OUTBOX: sa.Table = OutboxEvent.__table__  # type: ignore[attr-defined]

SCHEDULE = (5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 86400)
MAX_RETRY_AFTER = 86400
DISABLE_AFTER = timedelta(days=5)
EXCERPT_BYTES = 1024
FANOUT_BATCH = 500
DUE_BATCH = 100
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
TOTAL_TIMEOUT = 15.0
log = structlog.get_logger(__name__)

Ctx = dict[str, Any]


def _now(ctx: Ctx) -> datetime:
    clock: Callable[[], datetime] = ctx.get("now") or (lambda: datetime.now(UTC))
    return clock()


def _jitter(ctx: Ctx, delay: float) -> float:
    jitter: Callable[[float], float] = ctx.get("jitter") or (lambda d: d * random.uniform(0, 0.1))
    return jitter(delay)


def matches(patterns: list[str], event_type: str) -> bool:
    for p in patterns:
        if p == "*" or p == event_type or (p.endswith(".*") and event_type.startswith(p[:-1])):
            return True
    return False


def retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait per a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(min(int(value), MAX_RETRY_AFTER))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(max((when - now).total_seconds(), 0.0), MAX_RETRY_AFTER)


def next_delay(step: int) -> float | None:
    """Seconds before the attempt after the `step`-th failed one; None: give up."""
    return float(SCHEDULE[step - 1]) if step <= len(SCHEDULE) else None


# --- fan-out ------------------------------------------------------------------------


async def _fanout_tenant(ctx: Ctx, conn: Any, tenant_id: uuid.UUID) -> list[uuid.UUID]:
    hooks = [
        r._mapping
        for r in (
            await conn.execute(
                sa.select(WEBHOOKS.c.id, WEBHOOKS.c.event_types, WEBHOOKS.c.start_seq, WEBHOOKS.c.payload_query,
                          WEBHOOKS.c.created_by_id).where(
                    WEBHOOKS.c.tenant_id == tenant_id, WEBHOOKS.c.disabled_at.is_(None)
                )
            )
        ).all()
    ]
    if not hooks:
        return []
    start = min(h["start_seq"] for h in hooks)
    await conn.execute(pg_insert(CURSORS).values(tenant_id=tenant_id, seq=start).on_conflict_do_nothing())
    cursor = (
        await conn.execute(
            sa.select(CURSORS.c.seq).where(CURSORS.c.tenant_id == tenant_id).with_for_update(skip_locked=True)
        )
    ).scalar()
    if cursor is None:
        return []  # another worker is fanning this tenant out
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
        return []
    now = _now(ctx)
    rows = [
        {
            "tenant_id": tenant_id,
            "webhook_id": h["id"],
            "event_seq": e["seq"],
            "event_id": event_id(e["seq"]),
            "event_type": e["type"],
            "record_id": e["record_id"],
            "payload": orjson.loads(streams.encode(e)),
            "status": "pending",
            "next_attempt_at": now,
        }
        for e in events
        for h in hooks
        if e["seq"] > h["start_seq"] and matches(h["event_types"], e["type"])
    ]
    shape = ctx.get("shape_payload")
    queries = {h["id"]: h for h in hooks if h.get("payload_query")}
    for row in rows:
        hook = queries.get(row["webhook_id"])
        if hook is not None and shape is not None:
            # Shaped once, at fan-out: every retry sends the same body.
            row["payload"] = await shape(tenant_id, hook["created_by_id"], hook["payload_query"], row["payload"])
    created: list[uuid.UUID] = []
    if rows:
        stmt = pg_insert(DELIVERIES).values(rows).on_conflict_do_nothing(index_elements=["webhook_id", "event_seq"])
        created = list((await conn.execute(stmt.returning(DELIVERIES.c.id))).scalars())
    await conn.execute(sa.update(CURSORS).where(CURSORS.c.tenant_id == tenant_id).values(seq=events[-1]["seq"]))
    return created


async def webhook_fanout(ctx: Ctx, tenant_id: uuid.UUID | None = None) -> int:
    """Create the deliveries of events not yet fanned out (of one tenant, or all);
    returns how many."""
    engine = ctx["engine"]
    active = [WEBHOOKS.c.disabled_at.is_(None)]
    if tenant_id is not None:
        active.append(WEBHOOKS.c.tenant_id == tenant_id)
    async with engine.connect() as conn:
        tenants = (await conn.execute(sa.select(WEBHOOKS.c.tenant_id).where(*active).distinct())).scalars().all()
    total: list[uuid.UUID] = []
    for tid in tenants:
        while True:
            async with engine.begin() as conn:
                created = await _fanout_tenant(ctx, conn, tid)
            total += created
            if len(created) < FANOUT_BATCH:
                break
    redis = ctx.get("redis")
    if redis is not None:
        for delivery_id in total:
            await redis.enqueue_job("deliver_webhook", str(delivery_id))
    return len(total)


# --- delivery -----------------------------------------------------------------------


Response = tuple[int, str, str | None]  # status, body excerpt, Retry-After


async def _post(url: str, body: bytes, headers: Mapping[str, str], client: httpx.AsyncClient | None) -> Response:
    async def send(c: httpx.AsyncClient) -> Response:
        async with c.stream("POST", url, content=body, headers=dict(headers)) as response:
            excerpt = b""
            async for chunk in response.aiter_bytes():
                excerpt += chunk
                if len(excerpt) >= EXCERPT_BYTES:
                    break
            text = excerpt[:EXCERPT_BYTES].decode("utf-8", "replace")
            return response.status_code, text, response.headers.get("retry-after")

    async with asyncio.timeout(TOTAL_TIMEOUT):
        if client is not None:
            return await send(client)
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False) as own:
            return await send(own)


async def _owner_email(conn: Any, user_id: uuid.UUID | None) -> str | None:
    if user_id is None:
        return None
    users = User.__table__  # type: ignore[attr-defined]
    return (await conn.execute(sa.select(users.c.email).where(users.c.id == user_id))).scalar()


async def _disable(conn: Any, hook: Mapping[str, Any], reason: str, now: datetime) -> None:
    disabled = await conn.execute(
        sa.update(WEBHOOKS)
        .where(WEBHOOKS.c.id == hook["id"], WEBHOOKS.c.disabled_at.is_(None))
        .values(disabled_at=now, disabled_reason=reason, version=WEBHOOKS.c.version + 1, updated_at=sa.func.now())
    )
    if disabled.rowcount and hook["created_by_id"] is not None:  # its creator is told (and emailed by the worker)
        await notify(conn, tenant_id=hook["tenant_id"], user_id=hook["created_by_id"], kind="webhook_disabled",
                     title=f"Webhook disabled: {hook['url']}", body=reason, record_type="webhook",
                     record_id=hook["id"], dedupe_key=f"webhook_disabled:{hook['id']}:{now.isoformat()}")
    log.warning("webhooks.disabled", webhook_id=str(hook["id"]), tenant_id=str(hook["tenant_id"]), url=hook["url"],
                reason=reason, owner_id=str(hook["created_by_id"]) if hook["created_by_id"] else None,
                owner_email=await _owner_email(conn, hook["created_by_id"]))


async def deliver_webhook(ctx: Ctx, delivery_id: str) -> str:
    """Make one attempt at a pending, due delivery; returns what happened.

    The delivery's row stays locked for the attempt (a second job skips it); the
    attempt's outcome commits with the log entry, or not at all.
    """
    now = _now(ctx)
    async with ctx["engine"].begin() as conn:
        d = (
            await conn.execute(
                sa.select(DELIVERIES)
                .where(DELIVERIES.c.id == uuid.UUID(str(delivery_id)), DELIVERIES.c.status == "pending")
                .with_for_update(skip_locked=True)
            )
        ).first()
        if d is None:
            return "skipped"  # done, or in flight in another job
        d = d._mapping
        if d["next_attempt_at"] is not None and d["next_attempt_at"] > now:
            return "not_due"
        hook = (await conn.execute(sa.select(WEBHOOKS).where(WEBHOOKS.c.id == d["webhook_id"]))).one()._mapping
        if hook["disabled_at"] is not None:
            await conn.execute(
                sa.update(DELIVERIES).where(DELIVERIES.c.id == d["id"]).values(
                    status="failed", next_attempt_at=None, last_error="The webhook is disabled.",
                    version=DELIVERIES.c.version + 1, updated_at=sa.func.now())
            )
            return "failed"
        if d["event_seq"] is not None and d["record_id"] is not None:
            earlier = (
                await conn.execute(
                    sa.select(DELIVERIES.c.id).where(
                        DELIVERIES.c.webhook_id == d["webhook_id"],
                        DELIVERIES.c.record_id == d["record_id"],
                        DELIVERIES.c.status == "pending",
                        DELIVERIES.c.event_seq < d["event_seq"],
                    ).limit(1)
                )
            ).first()
            if earlier is not None:
                return "held"  # stays due: picked again once the earlier one is done

        body = orjson.dumps(d["payload"])
        secrets_ = [hook["secret"]]
        expires = hook["previous_secret_expires_at"]
        if hook["previous_secret"] and expires is not None and expires > now:
            secrets_.append(hook["previous_secret"])
        # The timestamp is the wall clock's: receivers compare it with theirs.
        headers = signing.headers(secrets_, str(d["id"]), int(time.time()), body)
        headers["user-agent"] = "crm-graph-webhooks/1"

        status_code: int | None = None
        excerpt: str | None = None
        error: str | None = None
        wait_header: str | None = None
        started = time.monotonic()
        problem = await url_problem(hook["url"], allow_private=ctx["settings"].webhook_allow_private
                                    if "settings" in ctx else None)
        if problem:
            error = f"Refused: {problem}"
        else:
            try:
                status_code, excerpt, wait_header = await _post(hook["url"], body, headers, ctx.get("http"))
            except (httpx.HTTPError, TimeoutError, OSError) as exc:
                error = f"{type(exc).__name__}: {exc}"[:1000] or type(exc).__name__
        duration_ms = int((time.monotonic() - started) * 1000)
        attempt = d["attempts"] + 1
        await conn.execute(
            sa.insert(ATTEMPTS).values(tenant_id=d["tenant_id"], delivery_id=d["id"], attempt=attempt,
                                       status_code=status_code, duration_ms=duration_ms, error=error,
                                       response_excerpt=excerpt, at=now)
        )
        values: dict[str, Any] = {
            "attempts": attempt, "last_status_code": status_code, "last_error": error,
            "last_duration_ms": duration_ms, "response_excerpt": excerpt,
            "version": DELIVERIES.c.version + 1, "updated_at": sa.func.now(),
        }
        if status_code is not None and 200 <= status_code < 300:
            outcome = "succeeded"
            values.update(status=outcome, next_attempt_at=None)
            if hook["failing_since"] is not None:
                await conn.execute(sa.update(WEBHOOKS).where(WEBHOOKS.c.id == hook["id"]).values(failing_since=None))
        elif status_code == 410:
            outcome = "failed"
            values.update(status=outcome, next_attempt_at=None)
            await _disable(conn, hook, "The endpoint answered 410 Gone.", now)
        else:
            failing_since = hook["failing_since"] or now
            if hook["failing_since"] is None:
                await conn.execute(sa.update(WEBHOOKS).where(WEBHOOKS.c.id == hook["id"]).values(failing_since=now))
            delay = next_delay(attempt - d["retry_from"])
            if status_code in (429, 503) and (asked := retry_after(wait_header, now)) is not None:
                delay = asked
            elif delay is not None:
                delay += _jitter(ctx, delay)
            if now - failing_since >= DISABLE_AFTER:
                outcome = "failed"
                values.update(status=outcome, next_attempt_at=None)
                await _disable(conn, hook, "Every attempt failed for 5 days.", now)
            elif delay is None:
                outcome = "dead"
                values.update(status=outcome, next_attempt_at=None)
            else:
                outcome = "retrying"
                values.update(next_attempt_at=now + timedelta(seconds=delay))
        await conn.execute(sa.update(DELIVERIES).where(DELIVERIES.c.id == d["id"]).values(**values))
    log.info("webhooks.attempt", delivery_id=str(d["id"]), attempt=attempt, status_code=status_code,
             outcome=outcome, duration_ms=duration_ms)
    return outcome


async def retry_due_deliveries(ctx: Ctx, tenant_id: uuid.UUID | None = None) -> int:
    """Send every pending delivery that is due (of one tenant, or all): enqueued as
    jobs when running under arq, inline (oldest event first) otherwise; returns how
    many were due."""
    now = _now(ctx)
    where = [DELIVERIES.c.status == "pending", DELIVERIES.c.next_attempt_at <= now]
    if tenant_id is not None:
        where.append(DELIVERIES.c.tenant_id == tenant_id)
    async with ctx["engine"].begin() as conn:
        rows = (
            await conn.execute(
                sa.select(DELIVERIES.c.id, DELIVERIES.c.webhook_id, DELIVERIES.c.record_id, DELIVERIES.c.event_seq)
                .where(*where)
                .order_by(DELIVERIES.c.next_attempt_at, DELIVERIES.c.event_seq)
                .limit(DUE_BATCH)
                .with_for_update(skip_locked=True)
            )
        ).all()
    # A record's deliveries in event order, so one held behind an earlier one goes
    # right after it rather than a round later.
    due = [r.id for r in sorted(rows, key=lambda r: (str(r.webhook_id), str(r.record_id), r.event_seq or 0))]
    redis = ctx.get("redis")
    for delivery_id in due:
        if redis is not None:
            await redis.enqueue_job("deliver_webhook", str(delivery_id))
        else:
            await deliver_webhook(ctx, str(delivery_id))
    return len(due)
