"""One reader of each tenant's event stream per process, fanning out to its subscribers.

A subscriber joins the hub (`join`), which starts the tenant's reader on the first
subscriber and stops it after the last (`leave`). The reader holds the tenant's one
blocking XREAD (one Redis connection, whatever the number of subscribers) and, per
batch of entries, asks PostgreSQL which events are visible once per group of
subscribers that see alike (`queries.sharing_key`: the same kind of actor and the
same values of the ids its predicate uses), not once per subscriber. Every subscriber
gets the same row objects (`sharing.LiveRow`), on which the selection set's answer
is kept once per operation and view, and sent encoded once (sharing.py).

`join` returns the seq the reader has claimed: every later event will be put in the
subscriber's queue, earlier ones are the subscriber's to replay from the outbox.
A subscriber whose queue grows past MAX_BACKLOG batches (a client not reading) is
dropped from the fan-out with LAGGED and catches up from the outbox itself.

The reader also keeps its subscribers' actors current (re-loaded once per user when
the tenant's rules change, and every REFRESH_SECONDS), and tells one that lost its
read access (an `AccessLost` in its queue).

`Slots` caps the live connections (WebSockets and SSE streams) of the process per
user and per tenant.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
import structlog
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_graph.kernel.actor import Actor, Identity
from crm_graph.kernel.db import RequestDB
from crm_graph.platform.authz.actors import UnknownActor, load_actor
from crm_graph.platform.authz.enforcer import POLICIES
from crm_graph.platform.events import streams
from crm_graph.platform.events.models import OutboxEvent
from crm_graph.platform.events.queries import sharing_key, visibility
from crm_graph.platform.events.sharing import LiveRow

OUTBOX = OutboxEvent.__table__
K = TypeVar("K")
BLOCK_MS = 1000  # XREAD wait: also how often a quiet tenant's grants are re-checked
READ_COUNT = 100
REFRESH_SECONDS = 60.0  # re-load actors at least this often (a deactivated user)
MAX_BACKLOG = 1000  # batches waiting in one subscriber's queue
LAGGED = object()
log = structlog.get_logger(__name__)


class AccessLost(Exception):
    """The subscriber may no longer read what it subscribed to (or no longer exists)."""


class Subscriber:
    """One subscription as the hub sees it: who, what, and where its batches go."""

    def __init__(
        self,
        identity: Identity,
        actor: Actor,
        wants: Callable[[dict[str, Any]], bool],
        may_read: Callable[[Actor], bool],
        clock: Callable[[], float],
    ) -> None:
        self.identity = identity
        self.actor = actor
        self.wants = wants  # the cheap pre-check on an event (its type, its record)
        self.may_read = may_read  # the subscription's own policy, re-checked on refresh
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        self.refreshed = clock()
        self.generation = POLICIES.generation(identity.tenant_id)
        self._key: tuple[Actor, Any] | None = None

    def key(self) -> Any:
        """`queries.sharing_key` of the current actor, computed once per actor object
        (the hub replaces the object when it re-loads the actor), not once per event."""
        found = self._key
        if found is None or found[0] is not self.actor:
            found = self._key = (self.actor, sharing_key(self.actor))
        return found[1]

    def push(self, item: Any) -> None:
        if self.queue.qsize() >= MAX_BACKLOG and not isinstance(item, Exception):
            # Not read for a long time: stop buffering; it replays from the outbox
            # (a lost access waiting in the queue stays, ahead of that).
            kept = [i for i in (self.queue.get_nowait() for _ in range(self.queue.qsize())) if isinstance(i, Exception)]
            for i in [*kept, LAGGED]:
                self.queue.put_nowait(i)
            return
        self.queue.put_nowait(item)


def _row(seq: int, event: dict[str, Any]) -> LiveRow:
    """A stream entry as the outbox row it copies (the shape delivery expects), one
    object for every subscriber, so that they can share its rendering (sharing.py)."""
    return LiveRow(
        {
            "seq": seq,
            "tenant_id": uuid.UUID(event["tenant_id"]),
            "type": event["type"],
            "record_type": event["record_type"],
            "record_id": uuid.UUID(event["record_id"]),
            "record_version": event["record_version"],
            "actor_user_id": uuid.UUID(event["actor_user_id"]) if event["actor_user_id"] else None,
            "actor_api_key_id": uuid.UUID(event["actor_api_key_id"]) if event["actor_api_key_id"] else None,
            "occurred_at": datetime.fromisoformat(event["occurred_at"]),
            "changes": event["changes"],
        }
    )


class TenantReader:
    """The tenant's stream, read once for all of this process's subscribers."""

    def __init__(self, hub: Hub, tenant_id: uuid.UUID) -> None:
        self.hub = hub
        self.tenant_id = tenant_id
        self.subscribers: set[Subscriber] = set()
        self.position = 0  # the last seq claimed: later ones go to the queues
        # Nothing to re-load before this (loop time) unless the tenant's rules change
        # (`checked`: the generation of the last full pass); see `_refresh`.
        self.refresh_at = float("-inf")
        self.checked: Any = None
        self.started = asyncio.get_running_loop().create_future()
        self.task = asyncio.create_task(self._run(), name=f"events-{tenant_id}")

    async def _start(self, redis: Redis) -> None:
        while True:
            try:
                self.position = (await streams.last_seqs(redis, [self.tenant_id]))[self.tenant_id]
                return
            except (RedisConnectionError, RedisTimeoutError):
                await asyncio.sleep(0.5)

    async def _run(self) -> None:
        redis = self.hub.connect()  # the reader's own connection, closed when it stops
        try:
            await self._read(redis)
        finally:
            await redis.aclose()

    async def _read(self, redis: Redis) -> None:
        try:
            await self._start(redis)
        except BaseException:
            self.started.cancel()
            raise
        self.started.set_result(None)
        key = streams.stream_key(self.tenant_id)
        pause = 0.2
        while True:
            await self._refresh_or_retry()
            try:
                reply = await redis.xread({key: streams.entry_id(self.position)}, count=READ_COUNT, block=BLOCK_MS)
            except (RedisConnectionError, RedisTimeoutError):
                # Redis restarted or is briefly away: the relay rebuilds the stream from
                # the outbox with the same ids, so reading on from `position` loses nothing.
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
                continue
            pause = 0.2
            if not reply:
                continue
            events = [(streams._seq(eid), streams.decode(fields)) for eid, fields in reply[0][1]]
            # Claimed before any await: a subscriber joining from now on replays these.
            self.position = events[-1][0]
            await self._refresh_or_retry()
            try:
                await self._dispatch(events, list(self.subscribers))
            except Exception:  # one bad batch must not end every subscription of the tenant
                log.exception("events.fanout_failed", tenant_id=str(self.tenant_id))
                for sub in list(self.subscribers):
                    sub.push(LAGGED)  # each catches up from the outbox itself

    async def _dispatch(self, events: list[tuple[int, dict[str, Any]]], subs: list[Subscriber]) -> None:
        groups: dict[Any, tuple[Actor, list[tuple[Subscriber, list[int]]]]] = {}
        for sub in subs:
            wanted = [seq for seq, event in events if sub.wants(event)]
            if wanted:
                groups.setdefault(sub.key(), (sub.actor, []))[1].append((sub, wanted))
        if not groups:
            return
        rows = {seq: _row(seq, event) for seq, event in events}
        db = RequestDB(self.hub.engine, self.tenant_id, statement_timeout_ms=self.hub.statement_timeout_ms)
        try:
            for actor, members in groups.values():
                seqs = sorted({seq for _, wanted in members for seq in wanted})
                where, values = visibility(actor, None)
                stmt = sa.select(OUTBOX.c.seq).where(OUTBOX.c.seq.in_(seqs), *where)
                visible = set((await db.execute(stmt, values)).scalars())
                for sub, wanted in members:
                    mine = [rows[seq] for seq in wanted if seq in visible]
                    if mine and sub in self.subscribers:
                        sub.push(mine)
        finally:
            await db.close()

    async def _refresh_or_retry(self) -> None:
        """`_refresh`; one that fails (its SQL timed out behind a lock) is tried again on
        the next turn rather than ending the tenant's reader."""
        try:
            await self._refresh()
        except Exception:
            log.exception("events.refresh_failed", tenant_id=str(self.tenant_id))

    async def _refresh(self) -> None:
        """Re-load the actors whose rules changed (once per user) or are due.

        Runs before every read and every fan-out: when the rules have not changed
        since the last pass and no subscriber is due yet, it returns without going
        over every subscriber (a new subscriber moves `refresh_at` back, `join`)."""
        generation = POLICIES.generation(self.tenant_id)
        now = self.hub.clock()
        if generation == self.checked and now < self.refresh_at:
            return
        due: dict[Identity, list[Subscriber]] = {}
        oldest = now
        for sub in self.subscribers:
            if sub.generation != generation or now - sub.refreshed >= REFRESH_SECONDS:
                due.setdefault(sub.identity, []).append(sub)
            else:
                oldest = min(oldest, sub.refreshed)
        # Those re-loaded below count as refreshed `now`; the others come due in turn.
        self.checked, self.refresh_at = generation, oldest + REFRESH_SECONDS
        if not due:
            return
        db = RequestDB(self.hub.engine, self.tenant_id, statement_timeout_ms=self.hub.statement_timeout_ms)
        try:
            for identity, subs in due.items():
                try:
                    actor: Actor | None = await load_actor(db, identity)
                except UnknownActor:
                    actor = None
                for sub in subs:
                    sub.generation, sub.refreshed = generation, now
                    if actor is None:
                        sub.push(AccessLost("The user no longer exists or is deactivated."))
                    elif not sub.may_read(actor):
                        sub.push(AccessLost("Read access was revoked."))
                    else:
                        sub.actor = actor
        except BaseException:
            self.refresh_at = float("-inf")  # not done: the next turn tries again
            raise
        finally:
            await db.close()


class Hub:
    """The process's tenant readers; one per tenant with subscribers."""

    def __init__(
        self,
        engine: AsyncEngine,
        connect: Callable[[], Redis],
        clock: Callable[[], float] | None = None,
        *,
        statement_timeout_ms: int | None = None,
    ) -> None:
        self.engine = engine
        # The API's operation timeout: a fan-out stuck behind a lock is cancelled, not left waiting.
        self.statement_timeout_ms = statement_timeout_ms
        self.connect = connect  # a client of one connection, for one tenant's reader
        self.clock = clock or (lambda: asyncio.get_running_loop().time())
        self.readers: dict[uuid.UUID, TenantReader] = {}

    async def join(self, sub: Subscriber) -> int:
        """Register `sub`; returns the seq after which its events will be queued."""
        tid = sub.identity.tenant_id
        reader = self.readers.get(tid)
        if reader is None:
            reader = self.readers[tid] = TenantReader(self, tid)
        reader.subscribers.add(sub)  # before waiting, so a concurrent leave keeps it running
        if sub.generation != reader.checked:
            reader.refresh_at = float("-inf")  # loaded under other rules: check on the next turn
        else:
            reader.refresh_at = min(reader.refresh_at, sub.refreshed + REFRESH_SECONDS)
        try:
            await asyncio.shield(reader.started)
        except BaseException:
            self.leave(sub)
            raise
        return reader.position

    def leave(self, sub: Subscriber) -> None:
        tid = sub.identity.tenant_id
        reader = self.readers.get(tid)
        if reader is None:
            return
        reader.subscribers.discard(sub)
        if not reader.subscribers:
            del self.readers[tid]
            reader.task.cancel()

    async def close(self) -> None:
        readers, self.readers = list(self.readers.values()), {}
        for reader in readers:
            reader.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reader.task


class Slots:
    """Live connections (WebSockets, SSE streams) of this process, capped per user
    (or API key) and per tenant."""

    def __init__(self, per_user: int, per_tenant: int) -> None:
        self.per_user = per_user
        self.per_tenant = per_tenant
        self.users: dict[tuple[uuid.UUID, uuid.UUID | None], int] = {}
        self.tenants: dict[uuid.UUID, int] = {}

    @staticmethod
    def _user(identity: Identity) -> tuple[uuid.UUID, uuid.UUID | None]:
        return identity.tenant_id, identity.user_id or identity.api_key_id

    def acquire(self, identity: Identity) -> str | None:
        """Take a slot; or say why not (None: taken)."""
        user, tenant = self._user(identity), identity.tenant_id
        if self.users.get(user, 0) >= self.per_user:
            return f"At most {self.per_user} live connections per user: close one first."
        if self.tenants.get(tenant, 0) >= self.per_tenant:
            return f"At most {self.per_tenant} live connections per organization on this server: try again later."
        self.users[user] = self.users.get(user, 0) + 1
        self.tenants[tenant] = self.tenants.get(tenant, 0) + 1
        return None

    def release(self, identity: Identity) -> None:
        _count_down(self.users, self._user(identity))
        _count_down(self.tenants, identity.tenant_id)


def _count_down(counts: dict[K, int], key: K) -> None:
    left = counts.get(key, 0) - 1
    if left > 0:
        counts[key] = left
    else:
        counts.pop(key, None)
