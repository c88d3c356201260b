"""Following a tenant's change events live, as one reader may see them.

The outbox is the truth and the tenant's Redis Stream its live copy (relay.py), so
any API instance can serve any subscriber. A subscriber resuming `after` an event
is first replayed from the outbox up to the outbox's top at that moment, then reads
the stream from that very seq: events up to the top come from PostgreSQL, later ones
from Redis, so the seam has neither gap nor duplicate.

Each live batch is filtered with the same SQL rule as the catch-up query (one
statement per batch), and the reader's actor is re-loaded every few seconds, so a
grant revoked mid-subscription stops the flow within moments. Database handles are
opened per batch and closed before waiting on Redis again: an idle subscriber holds
no pooled connection.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_graph.authz.actors import UnknownActor, load_actor
from crm_graph.authz.enforcer import POLICIES
from crm_graph.db import RequestDB
from crm_graph.events import streams
from crm_graph.events.models import OutboxEvent
from crm_graph.events.queries import MAX_PAGE, events_after, visibility
from crm_graph.identity.actor import Actor, Identity

OUTBOX = OutboxEvent.__table__
BLOCK_MS = 1000  # XREAD wait: also how often a quiet subscriber re-checks its grants
READ_COUNT = 100
# Re-load the actor (roles, permissions, team) when the tenant's rules change (the
# policy cache's generation moves, also on Redis announcements from other processes),
# and at least this often for changes that are not rule changes (a deactivated user).
REFRESH_SECONDS = 60.0


class AccessLost(Exception):
    """The subscriber may no longer read what it subscribed to (or no longer exists)."""


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
        return self.record_id is None or event["record_id"] == str(self.record_id)

    def where(self) -> list[Any]:
        if self.record_id is None:
            return []
        return [OUTBOX.c.record_type == self.record_type, OUTBOX.c.record_id == self.record_id]


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
        engine: AsyncEngine,
        redis: Redis,
        identity: Identity,
        actor: Actor,
        wanted: Filter,
        *,
        may_read: Callable[[Actor], bool],
        clock: Callable[[], float],
    ) -> None:
        self.engine = engine
        self.redis = redis
        self.identity = identity
        self.actor = actor
        self.wanted = wanted
        self.may_read = may_read  # the subscription's own policy, re-checked on refresh
        self.clock = clock
        self._refreshed = clock()
        self._generation = POLICIES.generation(identity.tenant_id)
        self._filter, self._values = visibility(actor, wanted.types)  # once per actor, not per event

    def _db(self) -> RequestDB:
        return RequestDB(self.engine, self.identity.tenant_id)

    async def _refresh(self, force: bool = False) -> None:
        generation = POLICIES.generation(self.identity.tenant_id)
        if not force and generation == self._generation and self.clock() - self._refreshed < REFRESH_SECONDS:
            return
        self._generation = generation
        db = self._db()
        try:
            self.actor = await load_actor(db, self.identity)
        except UnknownActor as exc:
            raise AccessLost("The user no longer exists or is deactivated.") from exc
        finally:
            await db.close()
        self._refreshed = self.clock()
        self._filter, self._values = visibility(self.actor, self.wanted.types)
        if not self.may_read(self.actor):
            raise AccessLost("Read access was revoked.")

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
                page, more = await events_after(db, self.actor, after, self.wanted.types, MAX_PAGE)
                rows = [r for r in page if r["seq"] <= top and self._matches(r)]
                if rows:
                    yield Batch(self.actor, db, rows)
            finally:
                await db.close()
            if not more or not page:
                return
            after = page[-1]["seq"]
            await self._refresh()

    def _matches(self, row: Any) -> bool:
        w = self.wanted
        return w.record_id is None or (row["record_id"] == w.record_id and row["record_type"] == w.record_type)

    async def _visible(self, db: RequestDB, seqs: list[int]) -> list[Any]:
        stmt = (
            sa.select(OUTBOX)
            .where(OUTBOX.c.seq.in_(seqs), *self._filter, *self.wanted.where())
            .order_by(OUTBOX.c.seq)
        )
        return [r._mapping for r in (await db.execute(stmt, self._values)).all()]

    async def batches(self, after: int | None) -> AsyncIterator[Batch]:
        """Replay from the outbox (when resuming), then follow the stream until cancelled."""
        db = self._db()
        try:
            top = await self._top(db)
        finally:
            await db.close()
        if after is not None and after < top:
            async for batch in self._replay(after, top):
                yield batch
        # Explicit ids: the first entry read is the first with seq > top.
        last = streams.entry_id(top if after is None or after < top else after)
        key = streams.stream_key(self.identity.tenant_id)
        pause = 0.2
        while True:
            await self._refresh()
            try:
                reply = await self.redis.xread({key: last}, count=READ_COUNT, block=BLOCK_MS)
            except (RedisConnectionError, RedisTimeoutError):
                # Redis restarted or is briefly away: the relay rebuilds the stream from
                # the outbox with the same ids, so reading on from `last` loses nothing.
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
                continue
            pause = 0.2
            if not reply:
                continue
            entries = reply[0][1]
            last = entries[-1][0].decode() if isinstance(entries[-1][0], bytes) else entries[-1][0]
            seqs = [streams._seq(eid) for eid, fields in entries if self.wanted.wants(streams.decode(fields))]
            if not seqs:
                continue
            await self._refresh()
            db = self._db()
            try:
                rows = await self._visible(db, seqs)
                if rows:
                    yield Batch(self.actor, db, rows)
            finally:
                await db.close()
