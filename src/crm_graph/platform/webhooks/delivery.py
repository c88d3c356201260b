"""Sending webhook deliveries (arq jobs); fan-out is in crm_graph.platform.webhooks.fanout.

`retry_due_deliveries` (cron, every 2 s) queues `deliver_webhook` for each pending
delivery that is due. An attempt holds no database connection and no row lock
while it waits on the receiver: it claims the delivery in one short transaction
(counting the attempt and moving `next_attempt_at` a LEASE ahead, so no other job
takes it meanwhile), sends with no connection checked out, and records the outcome
in a second short transaction, only if the claim is still its own. A worker killed
mid-request leaves its delivery pending; once the lease runs out the next round
sends it again with the same `webhook-id`.

The URL is checked at every attempt (crm_graph.platform.webhooks.addresses): every address
its host resolves to must be publicly routable, the connection goes to the address
that was checked, redirects are not followed, and only the first EXCERPT_BYTES of
the answer are read and kept.

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

from crm_graph.kernel.notices import NOTICES
from crm_graph.kernel.settings import get_settings
from crm_graph.platform.identity.models import User
from crm_graph.platform.webhooks import addresses, signing

# Re-exported: jobs and tests name them here.
from crm_graph.platform.webhooks.fanout import matches as matches
from crm_graph.platform.webhooks.fanout import webhook_fanout as webhook_fanout
from crm_graph.platform.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery

WEBHOOKS: sa.Table = Webhook.__table__
DELIVERIES: sa.Table = WebhookDelivery.__table__
ATTEMPTS: sa.Table = WebhookAttempt.__table__

SCHEDULE = (5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 43200, 86400, 86400)
MAX_RETRY_AFTER = 86400
DISABLE_AFTER = timedelta(days=5)
EXCERPT_BYTES = 1024
DUE_BATCH = 100
TIMEOUT = httpx.Timeout(15.0, connect=5.0)
TOTAL_TIMEOUT = 15.0
# A claimed delivery is not taken again before this: longer than any attempt can last.
LEASE = timedelta(seconds=TOTAL_TIMEOUT + 2)
# The notification its creator gets when an endpoint is disabled (see the manifest).
WEBHOOK_DISABLED = "webhook_disabled"
log = structlog.get_logger(__name__)

Ctx = dict[str, Any]


def _now(ctx: Ctx) -> datetime:
    clock: Callable[[], datetime] = ctx.get("now") or (lambda: datetime.now(UTC))
    return clock()


def _jitter(ctx: Ctx, delay: float) -> float:
    jitter: Callable[[float], float] = ctx.get("jitter") or (lambda d: d * random.uniform(0, 0.1))
    return jitter(delay)


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


# --- delivery -----------------------------------------------------------------------


Response = tuple[int, str, str | None]  # status, body excerpt, Retry-After


async def _post(
    target: addresses.Target, body: bytes, headers: dict[str, str], client: httpx.AsyncClient | None
) -> Response:
    async def send(c: httpx.AsyncClient) -> Response:
        request = addresses.pinned_request(c, target, body, headers)
        response = await c.send(request, stream=True, follow_redirects=False)
        try:
            excerpt = b""
            async for chunk in response.aiter_bytes():
                excerpt += chunk
                if len(excerpt) >= EXCERPT_BYTES:
                    break  # the rest is never read
            text = excerpt[:EXCERPT_BYTES].decode("utf-8", "replace")
            return response.status_code, text, response.headers.get("retry-after")
        finally:
            await response.aclose()

    async with asyncio.timeout(TOTAL_TIMEOUT):
        if client is not None:
            return await send(client)
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False) as own:
            return await send(own)


async def _owner_email(conn: Any, user_id: uuid.UUID | None) -> str | None:
    if user_id is None:
        return None
    users = User.__table__
    email: str | None = (await conn.execute(sa.select(users.c.email).where(users.c.id == user_id))).scalar()
    return email


async def _disable(conn: Any, hook: Mapping[str, Any], reason: str, now: datetime) -> None:
    disabled = await conn.execute(
        sa.update(WEBHOOKS)
        .where(WEBHOOKS.c.id == hook["id"], WEBHOOKS.c.disabled_at.is_(None))
        .values(disabled_at=now, disabled_reason=reason, version=WEBHOOKS.c.version + 1, updated_at=sa.func.now())
    )
    if disabled.rowcount and hook["created_by_id"] is not None:  # its creator is told (and emailed by the worker)
        await NOTICES.notify(
            conn,
            tenant_id=hook["tenant_id"],
            user_id=hook["created_by_id"],
            kind=WEBHOOK_DISABLED,
            title=f"Webhook disabled: {hook['url']}",
            body=reason,
            record_type="webhook",
            record_id=hook["id"],
            dedupe_key=f"{WEBHOOK_DISABLED}:{hook['id']}:{now.isoformat()}",
        )
    log.warning(
        "webhooks.disabled",
        webhook_id=str(hook["id"]),
        tenant_id=str(hook["tenant_id"]),
        url=hook["url"],
        reason=reason,
        owner_id=str(hook["created_by_id"]) if hook["created_by_id"] else None,
        owner_email=await _owner_email(conn, hook["created_by_id"]),
    )


async def _claim(ctx: Ctx, delivery_id: str, now: datetime) -> tuple[Mapping[str, Any], Mapping[str, Any]] | str:
    """Take a due delivery for one attempt (short transaction): counts the attempt and
    leases the delivery; returns it (as claimed) and its webhook, or what happened."""
    async with ctx["engine"].begin() as conn:
        row = (
            await conn.execute(
                sa.select(DELIVERIES)
                .where(DELIVERIES.c.id == uuid.UUID(str(delivery_id)), DELIVERIES.c.status == "pending")
                .with_for_update(skip_locked=True)
            )
        ).first()
        if row is None:
            return "skipped"  # done, or being claimed by another job
        d = row._mapping
        if d["next_attempt_at"] is not None and d["next_attempt_at"] > now:
            return "not_due"  # not yet, or leased to an attempt in flight
        hook = (await conn.execute(sa.select(WEBHOOKS).where(WEBHOOKS.c.id == d["webhook_id"]))).one()._mapping
        if hook["disabled_at"] is not None:
            await conn.execute(
                sa.update(DELIVERIES)
                .where(DELIVERIES.c.id == d["id"])
                .values(
                    status="failed",
                    next_attempt_at=None,
                    last_error="The webhook is disabled.",
                    version=DELIVERIES.c.version + 1,
                    updated_at=sa.func.now(),
                )
            )
            return "failed"
        if d["event_seq"] is not None and d["record_id"] is not None:
            earlier = (
                await conn.execute(
                    sa.select(DELIVERIES.c.id)
                    .where(
                        DELIVERIES.c.webhook_id == d["webhook_id"],
                        DELIVERIES.c.record_id == d["record_id"],
                        DELIVERIES.c.status == "pending",
                        DELIVERIES.c.event_seq < d["event_seq"],
                    )
                    .limit(1)
                )
            ).first()
            if earlier is not None:
                return "held"  # stays due: picked again once the earlier one is done
        claimed = (
            (
                await conn.execute(
                    sa.update(DELIVERIES)
                    .where(DELIVERIES.c.id == d["id"])
                    .values(attempts=DELIVERIES.c.attempts + 1, next_attempt_at=now + LEASE)
                    .returning(DELIVERIES)
                )
            )
            .one()
            ._mapping
        )
    return claimed, hook


async def _attempt(
    ctx: Ctx, d: Mapping[str, Any], hook: Mapping[str, Any], now: datetime
) -> tuple[Response | None, str | None]:
    """Check the URL and send (no database connection held): the answer, or an error."""
    body = orjson.dumps(d["payload"])
    secrets_ = [hook["secret"]]
    expires = hook["previous_secret_expires_at"]
    if hook["previous_secret"] and expires is not None and expires > now:
        secrets_.append(hook["previous_secret"])
    # The timestamp is the wall clock's: receivers compare it with theirs.
    headers = signing.headers(secrets_, str(d["id"]), int(time.time()), body)
    headers["user-agent"] = "crm-graph-webhooks/1"
    settings = ctx.get("settings") or get_settings()
    target = await addresses.check(
        hook["url"],
        allow_loopback=settings.webhook_allow_private,
        resolve=ctx.get("resolve") or addresses.system_resolve,
    )
    if isinstance(target, str):
        return None, f"Refused: {target}"
    try:
        return await _post(target, body, headers, ctx.get("http")), None
    except (httpx.HTTPError, TimeoutError, OSError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:1000] or type(exc).__name__


async def deliver_webhook(ctx: Ctx, delivery_id: str) -> str:
    """Make one attempt at a pending, due delivery; returns what happened."""
    now = _now(ctx)
    claimed = await _claim(ctx, delivery_id, now)
    if isinstance(claimed, str):
        return claimed
    d, hook = claimed
    attempt = d["attempts"]
    started = time.monotonic()
    response, error = await _attempt(ctx, d, hook, now)
    duration_ms = int((time.monotonic() - started) * 1000)
    status_code, excerpt, wait_header = response if response is not None else (None, None, None)
    values: dict[str, Any] = {
        "last_status_code": status_code,
        "last_error": error,
        "last_duration_ms": duration_ms,
        "response_excerpt": excerpt,
        "version": DELIVERIES.c.version + 1,
        "updated_at": sa.func.now(),
    }
    hook_changes: dict[str, Any] = {}
    disable: str | None = None
    if status_code is not None and 200 <= status_code < 300:
        outcome = "succeeded"
        values.update(status=outcome, next_attempt_at=None)
        if hook["failing_since"] is not None:
            hook_changes["failing_since"] = None
    elif status_code == 410:
        outcome = "failed"
        values.update(status=outcome, next_attempt_at=None)
        disable = "The endpoint answered 410 Gone."
    else:
        failing_since = hook["failing_since"] or now
        if hook["failing_since"] is None:
            hook_changes["failing_since"] = now
        delay = next_delay(attempt - d["retry_from"])
        if status_code in (429, 503) and (asked := retry_after(wait_header, now)) is not None:
            delay = asked
        elif delay is not None:
            delay += _jitter(ctx, delay)
        if now - failing_since >= DISABLE_AFTER:
            outcome = "failed"
            values.update(status=outcome, next_attempt_at=None)
            disable = "Every attempt failed for 5 days."
        elif delay is None:
            outcome = "dead"
            values.update(status=outcome, next_attempt_at=None)
        else:
            outcome = "retrying"
            values.update(next_attempt_at=now + timedelta(seconds=delay))
    async with ctx["engine"].begin() as conn:
        # Only while the claim is still ours: after a lease ran out another attempt owns it.
        mine = await conn.execute(
            sa.update(DELIVERIES)
            .where(DELIVERIES.c.id == d["id"], DELIVERIES.c.status == "pending", DELIVERIES.c.attempts == attempt)
            .values(**values)
        )
        if not mine.rowcount:
            return "superseded"
        await conn.execute(
            sa.insert(ATTEMPTS).values(
                tenant_id=d["tenant_id"],
                delivery_id=d["id"],
                attempt=attempt,
                status_code=status_code,
                duration_ms=duration_ms,
                error=error,
                response_excerpt=excerpt,
                at=now,
            )
        )
        if hook_changes:
            await conn.execute(sa.update(WEBHOOKS).where(WEBHOOKS.c.id == hook["id"]).values(**hook_changes))
        if disable is not None:
            await _disable(conn, hook, disable, now)
    log.info(
        "webhooks.attempt",
        delivery_id=str(d["id"]),
        attempt=attempt,
        status_code=status_code,
        outcome=outcome,
        duration_ms=duration_ms,
    )
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
