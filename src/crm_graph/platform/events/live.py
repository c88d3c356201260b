"""Following a tenant's change events live, as one reader may see them.

The outbox is the truth and the tenant's Redis Stream its live copy (relay.py), so
any API instance can serve any subscriber. A subscriber resuming `after` an event
first joins the hub, which names the last seq its reader has claimed; events up to
it (or up to the outbox's top, if the stream lags) are replayed from PostgreSQL,
later ones come from the hub, so the seam has neither gap nor duplicate. A cursor older than the retention is refused.

Live events come through the process's hub (hub.py): one stream reader per tenant,
visibility decided with the same SQL rule as the catch-up query, once per group of
subscribers that see alike; the hub re-loads actors when rules change, so a grant
revoked mid-subscription stops the flow within moments. Database handles are opened
per batch and closed before waiting again: an idle subscriber holds no pooled
connection, and no Redis connection of its own.

A subscription ends when its token expires (`TokenExpired`) unless the expiry was
moved meanwhile (`expires` is asked again each time it passes).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncGenerator, AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_graph.kernel.actor import Actor, Identity
from crm_graph.kernel.db import RequestDB
from crm_graph.platform.events.hub import LAGGED, AccessLost, Hub, Subscriber
from crm_graph.platform.events.models import OutboxEvent
from crm_graph.platform.events.queries import MAX_PAGE, check_after, events_after

OUTBOX = OutboxEvent.__table__
_WAKE = object()  # put in a follower's queue when its token's expiry passes
__all__ = ["AccessLost", "Batch", "Filter", "Follower", "TokenExpired"]


class TokenExpired(Exception):
    """The credentials the subscription was opened with have expired."""


@dataclass(frozen=True)
class Filter:
    """What a subscription asked for: event types, and optionally one record."""

    types: Sequence[str] | None = None
    record_type: str | None = None
    record_id: uuid.UUID | None = None

    def wants(self, event: dict[str, Any]) -> bool:
        """The cheap pre-check on a stream entry, before asking PostgreSQL."""
        if self.types and event["type"] not in self.types:
            return False
        if self.record_id is None:
            return True
        same: bool = event["record_id"] == str(self.record_id) and event["record_type"] == self.record_type
        return same


@dataclass
class Batch:
    """Visible events (outbox rows) for `actor`, with the handle they were read through.

    `db` stays open while the batch is being delivered (resolvers of `record` and
    `actor` use it) and is closed when the subscriber asks for the next batch.
    """

    actor: Actor
    db: RequestDB
    rows: list[Any]


class Follower:
    """One subscriber's view of its tenant's events; iterate `batches(after)`."""

    def __init__(
        self,
        hub: Hub,
        engine: AsyncEngine,
        identity: Identity,
        actor: Actor,
        wanted: Filter,
        *,
        may_read: Callable[[Actor], bool],
        clock: Callable[[], float],
        expires: Callable[[], float | None] = lambda: None,
        statement_timeout_ms: int | None = None,
    ) -> None:
        self.hub = hub
        self.engine = engine
        self.identity = identity
        self.wanted = wanted
        self.expires = expires  # epoch seconds, asked again whenever it passes
        self.statement_timeout_ms = statement_timeout_ms  # as an HTTP operation's SQL
        self.sub = Subscriber(identity, actor, wanted.wants, may_read, clock)
        self._alarm: tuple[float, asyncio.TimerHandle] | None = None  # (expiry, its wake-up)

    def _db(self) -> RequestDB:
        return RequestDB(self.engine, self.identity.tenant_id, statement_timeout_ms=self.statement_timeout_ms)

    async def _top(self, db: RequestDB) -> int:
        """The newest committed event of the tenant, visible to the reader or not."""
        stmt = sa.select(sa.func.coalesce(sa.func.max(OUTBOX.c.seq), 0)).where(
            OUTBOX.c.tenant_id == self.identity.tenant_id
        )
        return int((await db.execute(stmt)).scalar_one())

    async def _replay(self, after: int, top: int) -> AsyncIterator[Batch]:
        """Visible events with after < seq <= top from the outbox, page by page."""
        while after < top:
            db = self._db()
            try:
                page, more = await events_after(db, self.sub.actor, after, self.wanted.types, MAX_PAGE)
                rows = [r for r in page if r["seq"] <= top and self._matches(r)]
                if rows:
                    yield Batch(self.sub.actor, db, rows)
            finally:
                await db.close()
            if not more or not page:
                return
            after = page[-1]["seq"]

    def _matches(self, row: Any) -> bool:
        w = self.wanted
        return w.record_id is None or (row["record_id"] == w.record_id and row["record_type"] == w.record_type)

    async def _next(self) -> Any:
        """The next item of the queue; TokenExpired once the credentials expire."""
        while True:
            expires = self.expires()
            if expires is not None:
                left = expires - time.time()
                if left <= 0:
                    raise TokenExpired("The token has expired: subscribe again with a new one, `after` the last event.")
                if self.sub.queue.empty():
                    # One timer per expiry that wakes the queue when it passes, rather
                    # than a timeout scope (a timer made and cancelled) per wait, on
                    # every subscriber of every fan-out.
                    self._set_alarm(expires, left)
            item = await self.sub.queue.get()  # no suspension when an item is there
            if item is not _WAKE:
                return item

    def _set_alarm(self, expires: float, left: float) -> None:
        if self._alarm is not None:
            if self._alarm[0] == expires:
                return
            self._alarm[1].cancel()
        self._alarm = (expires, asyncio.get_running_loop().call_later(left, self._ring))

    def _ring(self) -> None:
        self._alarm = None  # rung: the next wait sets another if the expiry has not passed yet
        self.sub.queue.put_nowait(_WAKE)

    def _cancel_alarm(self) -> None:
        if self._alarm is not None:
            self._alarm[1].cancel()
            self._alarm = None

    async def batches(self, after: int | None) -> AsyncGenerator[Batch, None]:
        """Replay from the outbox (when resuming), then follow the hub until cancelled."""
        if after is not None:
            db = self._db()
            try:
                await check_after(db, self.identity.tenant_id, after)
            finally:
                await db.close()
        position = after
        while True:
            joined = await self.hub.join(self.sub)
            try:
                # The stream may lag the outbox (the relay's few ms, or a relay that is
                # down): replay up to the outbox's top; the queue's copies of those
                # events are skipped below.
                db = self._db()
                try:
                    top = max(joined, await self._top(db))
                finally:
                    await db.close()
                if position is None:
                    position = top  # only what happens from now on
                if position < top:
                    async for batch in self._replay(position, top):
                        yield batch
                    position = top
                while True:
                    item = await self._next()
                    if item is LAGGED:
                        break  # dropped from the fan-out: catch up from the outbox
                    if isinstance(item, Exception):
                        raise item
                    rows = [r for r in item if r["seq"] > position]
                    if not rows:
                        continue
                    position = rows[-1]["seq"]
                    db = self._db()
                    try:
                        yield Batch(self.sub.actor, db, rows)
                    finally:
                        await db.close()
            finally:
                self.hub.leave(self.sub)
                self._cancel_alarm()
