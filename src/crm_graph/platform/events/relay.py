"""The relay: committed outbox rows to their tenant's Redis Stream, promptly.

Woken by the NOTIFY each outbox write sends at commit, with a short poll as the
fallback for a missed one (listener reconnecting, PostgreSQL restarted). Any number of
relays may run at once (one per worker): rows are claimed with FOR UPDATE SKIP LOCKED,
a tenant is relayed by one relay at a time (`streams.tenant_lock`), and explicit
stream ids turn a repeated add into a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import sqlalchemy as sa
import structlog
from redis.asyncio import Redis
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_graph.kernel.records import row_fields
from crm_graph.platform.events import streams
from crm_graph.platform.events.models import OutboxEvent
from crm_graph.platform.events.outbox import NOTIFY_CHANNEL

OUTBOX = OutboxEvent.__table__
BATCH = 500
STUCK_AFTER = timedelta(seconds=30)
LISTENER_NAME = "crm-graph relay"  # application_name of the LISTEN connection
log = structlog.get_logger(__name__)


def _claim(limit: int) -> Any:
    """The next unrelayed rows, oldest first, of tenants no other relay is working on.

    SKIP LOCKED alone is not enough: a second relay could add a tenant's event 501
    while the first still holds 1..500, and Redis would then refuse 1..500 as
    duplicates. So each tenant is first claimed whole with a transaction-scoped
    advisory lock (a volatile function: PostgreSQL evaluates it once per tenant in the
    materialized CTE and never pushes it into the row scan).
    """
    pending = sa.select(OUTBOX.c.tenant_id).where(OUTBOX.c.relayed_at.is_(None)).distinct().cte("pending")
    mine = sa.select(pending.c.tenant_id).where(streams.tenant_lock(pending.c.tenant_id)).cte("mine")
    return (
        sa.select(OUTBOX)
        .where(OUTBOX.c.relayed_at.is_(None), OUTBOX.c.tenant_id.in_(sa.select(mine.c.tenant_id)))
        .order_by(OUTBOX.c.tenant_id, OUTBOX.c.seq)
        .limit(limit)
        .with_for_update(skip_locked=True, of=OUTBOX)
    )


async def relay_once(engine: AsyncEngine, redis: Redis, *, limit: int = BATCH, retention_days: int = 7) -> int:
    """One round: relay up to `limit` rows and mark them relayed; returns how many.

    A crash between the adds and the commit leaves the rows unrelayed; the next round
    adds them again, which Redis refuses, so each event is in its stream once.
    """
    async with engine.begin() as conn:
        rows = [row_fields(r) for r in (await conn.execute(_claim(limit))).all()]
        if not rows:
            return 0
        by_tenant: dict[uuid.UUID, list[Mapping[str, Any]]] = {}
        for row in rows:
            by_tenant.setdefault(row["tenant_id"], []).append(row)
        lasts = await streams.last_seqs(redis, list(by_tenant))
        for tid, batch in by_tenant.items():
            first = batch[0]["seq"]
            if lasts[tid] < first - 1:
                # Redis lost earlier events: put them back first, or adding these
                # would make the stream look complete to `ensure_streams`.
                await streams.restore(conn, redis, tid, after=lasts[tid], before=first, retention_days=retention_days)
            await streams.add(redis, tid, batch)
        await conn.execute(
            sa.update(OUTBOX).where(OUTBOX.c.id.in_([r["id"] for r in rows])).values(relayed_at=sa.func.now())
        )
    return len(rows)


async def relay_all(engine: AsyncEngine, redis: Redis, *, retention_days: int = 7) -> int:
    """Rounds until the backlog (as far as this relay may take it) is empty."""
    total = 0
    while (n := await relay_once(engine, redis, retention_days=retention_days)) > 0:
        total += n
        if n < BATCH:
            break
    return total


async def sweep(engine: AsyncEngine, redis: Redis, *, retention_days: int = 7) -> int:
    """The safety net for a relay that missed its wake-ups: relay rows unrelayed for
    longer than STUCK_AFTER; returns how many were stuck."""
    cutoff = datetime.now(UTC) - STUCK_AFTER
    async with engine.connect() as conn:
        stuck, oldest = (
            await conn.execute(
                sa.select(sa.func.count(), sa.func.min(OUTBOX.c.occurred_at)).where(
                    OUTBOX.c.relayed_at.is_(None), OUTBOX.c.occurred_at < cutoff
                )
            )
        ).one()
    if stuck:
        log.warning("events.outbox_stuck", events=stuck, oldest=oldest.isoformat())
        await relay_all(engine, redis, retention_days=retention_days)
    return int(stuck)


def asyncpg_dsn(url: str) -> str:
    """A SQLAlchemy URL (postgresql+asyncpg://...) as a plain asyncpg DSN."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


STOP_TIMEOUT = 10.0  # seconds stop() waits for the relay's task to end


class Relay:
    """The relay loop as a background task of the worker: `await start()`, `await stop()`."""

    def __init__(
        self,
        engine: AsyncEngine,
        redis: Redis,
        database_url: str,
        *,
        retention_days: int = 7,
        poll_interval: float = 1.0,
        ensure_interval: float = 30.0,
    ) -> None:
        self.engine = engine
        self.redis = redis
        self.dsn = asyncpg_dsn(database_url)
        self.retention_days = retention_days
        self.poll_interval = poll_interval
        self.ensure_interval = ensure_interval
        self._wake = asyncio.Event()
        self._listener: asyncpg.Connection | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            # Bounded: shutting down must not wait forever on a round stuck in a driver
            # call that ignores cancellation (seen once in a full test run); the outbox
            # keeps what was not relayed, and the next relay or the sweep sends it.
            done, _ = await asyncio.wait({self._task}, timeout=STOP_TIMEOUT)
            if not done:
                log.error("events.relay_stop_timed_out", seconds=STOP_TIMEOUT)
            self._task = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        next_ensure, failures = 0.0, 0
        log.info("events.relay_started")
        try:
            while True:
                # Cleared before the round: a NOTIFY arriving during it means another round.
                self._wake.clear()
                relayed, delay = 0, self.poll_interval
                try:
                    await self._listen()
                    if loop.time() >= next_ensure:
                        await streams.ensure_streams(self.engine, self.redis, retention_days=self.retention_days)
                        next_ensure = loop.time() + self.ensure_interval
                    relayed = await relay_once(self.engine, self.redis, retention_days=self.retention_days)
                    failures = 0
                except Exception:  # the loop must outlive a PostgreSQL or Redis outage
                    failures += 1
                    delay = min(self.poll_interval * 2**failures, 10.0)
                    log.exception("events.relay_failed", failures=failures)
                if relayed >= BATCH:
                    continue  # a backlog: no waiting between rounds
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), delay)
        finally:
            await self._close_listener()
            log.info("events.relay_stopped")

    async def _listen(self) -> None:
        """(Re)open the LISTEN connection; on failure the poll carries on alone."""
        if self._listener is not None and not self._listener.is_closed():
            return
        self._listener = None
        try:
            conn = await asyncpg.connect(self.dsn, server_settings={"application_name": LISTENER_NAME})
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("events.listen_failed", error=str(exc))
            return
        try:
            await conn.add_listener(NOTIFY_CHANNEL, self._notified)
        except (OSError, asyncpg.PostgresError) as exc:
            log.warning("events.listen_failed", error=str(exc))
            await conn.close()
            return
        self._listener = conn

    def _notified(self, *_: Any) -> None:
        self._wake.set()

    async def _close_listener(self) -> None:
        conn, self._listener = self._listener, None
        if conn is not None and not conn.is_closed():
            with contextlib.suppress(OSError, asyncpg.PostgresError, TimeoutError):
                await asyncio.wait_for(conn.close(), 5)
