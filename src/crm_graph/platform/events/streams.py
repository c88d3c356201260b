"""Per-tenant Redis Streams of change events: a cache of the outbox, never the truth.

Stream `crm:events:{tenant_id}` holds one entry per event with the explicit id
`{seq}-0` and one field, `event`: the event as JSON (see `encode`). Explicit ids make
adding idempotent: Redis refuses an id at or below the stream's top, so an event
added twice (a relay that died before its commit, two relays) is there once.

Whoever adds to or restores a tenant's stream holds `tenant_lock` for it: adding a
later event before an earlier one would make the earlier one "a duplicate" and leave
a hole that nothing repairs.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import sqlalchemy as sa
import structlog
from redis.asyncio import Redis
from redis.exceptions import ResponseError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from crm_graph.kernel.records import row_fields
from crm_graph.platform.events.models import OutboxEvent, OutboxHead
from crm_graph.platform.events.outbox import event_id

OUTBOX = OutboxEvent.__table__
HEADS = OutboxHead.__table__
KEY_PREFIX = "crm:events:"
BATCH = 500
PRUNE_BATCH = 5000
# First key of the two-key advisory locks that guard a tenant's stream ("crm1").
LOCK_NAMESPACE = 0x63726D31
log = structlog.get_logger(__name__)

# Adds entries in order and stops at the first real error, so a failure can never
# leave a later event in the stream without an earlier one. A refused duplicate is
# not an error: that event is already there.
_ADD = """
local added = 0
for i = 1, #ARGV, 2 do
  local r = redis.pcall('XADD', KEYS[1], ARGV[i], 'event', ARGV[i + 1])
  if type(r) == 'table' and r.err then
    if not string.find(r.err, 'equal or smaller', 1, true) then return redis.error_reply(r.err) end
  else
    added = added + 1
  end
end
return added
"""


def stream_key(tenant_id: uuid.UUID | str) -> str:
    return f"{KEY_PREFIX}{tenant_id}"


def entry_id(seq: int) -> str:
    return f"{seq}-0"


def tenant_lock(tenant_id: Any) -> Any:
    """A transaction-scoped lock on a tenant's stream; false when another holds it."""
    as_text = sa.cast(sa.type_coerce(tenant_id, sa.Uuid), sa.Text)  # a column or a uuid.UUID
    return sa.func.pg_try_advisory_xact_lock(LOCK_NAMESPACE, sa.func.hashtext(as_text))


def encode(row: Mapping[str, Any]) -> bytes:
    """An outbox row as the JSON consumers read from the stream."""
    return orjson.dumps(
        {
            "id": event_id(row["seq"]),
            "tenant_id": str(row["tenant_id"]),
            "type": row["type"],
            "record_type": row["record_type"],
            "record_id": str(row["record_id"]),
            "record_version": row["record_version"],
            "actor_user_id": str(row["actor_user_id"]) if row["actor_user_id"] else None,
            "actor_api_key_id": str(row["actor_api_key_id"]) if row["actor_api_key_id"] else None,
            "occurred_at": row["occurred_at"].isoformat(),
            "changes": row["changes"],
        }
    )


def decode(fields: Mapping[Any, Any]) -> dict[str, Any]:
    """The event of a stream entry (fields as returned by XRANGE/XREAD)."""
    raw = fields.get(b"event", fields.get("event"))
    event: dict[str, Any] = orjson.loads(raw)
    return event


async def add(redis: Redis, tenant_id: uuid.UUID, rows: Sequence[Mapping[str, Any]]) -> int:
    """Add `rows` (one tenant's, ascending seq) to its stream; returns how many were new."""
    if not rows:
        return 0
    args: list[Any] = []
    for row in rows:
        args += [entry_id(row["seq"]), encode(row)]
    script = redis.register_script(_ADD)  # EVALSHA, loading the script on first use
    return int(await script(keys=[stream_key(tenant_id)], args=args))


def _seq(entry_id_: bytes | str) -> int:
    text = entry_id_.decode() if isinstance(entry_id_, bytes) else entry_id_
    return int(text.split("-", 1)[0])


async def last_seqs(redis: Redis, tenant_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The seq of the last event added to each stream; 0 for a missing stream.

    The stream's last-generated id, not its newest entry: a stream trimmed empty by
    `prune` still knows what it held, so a quiet tenant is not "behind" for ever.
    """
    async with redis.pipeline(transaction=False) as pipe:
        for tid in tenant_ids:
            pipe.xinfo_stream(stream_key(tid))
        replies = await pipe.execute(raise_on_error=False)
    lasts: dict[uuid.UUID, int] = {}
    for tid, reply in zip(tenant_ids, replies, strict=True):
        if isinstance(reply, ResponseError) and "no such key" in str(reply):
            lasts[tid] = 0
        elif isinstance(reply, Exception):
            raise reply
        else:
            lasts[tid] = _seq(reply["last-generated-id"])
    return lasts


async def restore(
    conn: AsyncConnection,
    redis: Redis,
    tenant_id: uuid.UUID,
    *,
    after: int,
    before: int | None = None,
    retention_days: int,
) -> int:
    """Re-add the tenant's relayed events with after < seq < before, within retention.

    The caller holds `tenant_lock(tenant_id)` in `conn`'s transaction.
    """
    cutoff = datetime.now(UTC) - timedelta(days=retention_days)
    where = [OUTBOX.c.tenant_id == tenant_id, OUTBOX.c.relayed_at.is_not(None), OUTBOX.c.occurred_at >= cutoff]
    if before is not None:
        where.append(OUTBOX.c.seq < before)
    restored = 0
    while True:
        stmt = sa.select(OUTBOX).where(OUTBOX.c.seq > after, *where).order_by(OUTBOX.c.seq).limit(BATCH)
        rows = [row_fields(r) for r in (await conn.execute(stmt)).all()]
        restored += await add(redis, tenant_id, rows)
        if len(rows) < BATCH:
            break
        after = rows[-1]["seq"]
    if restored:
        log.warning("events.stream_restored", tenant_id=str(tenant_id), events=restored)
    return restored


async def ensure_streams(engine: AsyncEngine, redis: Redis, *, retention_days: int = 7) -> int:
    """Restore every stream that is behind the outbox (Redis flushed, restarted without
    persistence, or failed over to a stale replica); returns the events re-added."""
    async with engine.connect() as conn:
        heads = {r.tenant_id: r.seq for r in (await conn.execute(sa.select(HEADS))).all()}
    if not heads:
        return 0
    lasts = await last_seqs(redis, list(heads))
    # Cheap filter first: a stream at its tenant's head number is complete.
    behind = [tid for tid, head in heads.items() if lasts[tid] < head]
    restored = 0
    for tid in behind:
        async with engine.begin() as conn:
            if not (await conn.execute(sa.select(tenant_lock(tid)))).scalar():
                continue  # a relay holds it, and restores before it adds
            top = (
                await conn.execute(
                    sa.select(sa.func.max(OUTBOX.c.seq)).where(
                        OUTBOX.c.tenant_id == tid, OUTBOX.c.relayed_at.is_not(None)
                    )
                )
            ).scalar()
            last = (await last_seqs(redis, [tid]))[tid]  # again, now that we hold the lock
            if top is not None and last < top:
                restored += await restore(conn, redis, tid, after=last, retention_days=retention_days)
    return restored


async def prune(engine: AsyncEngine, redis: Redis, *, retention_days: int) -> int:
    """Delete relayed events older than retention and trim their streams to match.

    Unrelayed events are kept whatever their age: they have not been delivered yet.
    """
    cutoff = datetime.now(UTC) - timedelta(days=retention_days)
    newest_deleted: dict[uuid.UUID, int] = {}
    deleted = 0
    while True:  # in batches, so no single transaction locks a week of rows
        doomed = (
            sa.select(OUTBOX.c.id)
            .where(OUTBOX.c.relayed_at.is_not(None), OUTBOX.c.occurred_at < cutoff)
            .limit(PRUNE_BATCH)
            .with_for_update(skip_locked=True)
        )
        async with engine.begin() as conn:
            rows = (
                await conn.execute(
                    sa.delete(OUTBOX).where(OUTBOX.c.id.in_(doomed)).returning(OUTBOX.c.tenant_id, OUTBOX.c.seq)
                )
            ).all()
        for tid, seq in rows:
            newest_deleted[tid] = max(seq, newest_deleted.get(tid, 0))
        deleted += len(rows)
        if len(rows) < PRUNE_BATCH:
            break
    if not newest_deleted:
        return 0
    async with engine.connect() as conn:
        oldest_kept = dict(
            (
                await conn.execute(
                    sa.select(OUTBOX.c.tenant_id, sa.func.min(OUTBOX.c.seq))
                    .where(OUTBOX.c.tenant_id.in_(list(newest_deleted)))
                    .group_by(OUTBOX.c.tenant_id)
                )
            ).all()
        )
    async with redis.pipeline(transaction=False) as pipe:
        for tid, newest in newest_deleted.items():
            # MINID drops entries below the id; exact, so the stream matches the outbox.
            pipe.xtrim(stream_key(tid), minid=entry_id(oldest_kept.get(tid, newest + 1)), approximate=False)
        await pipe.execute()
    log.info("events.pruned", events=deleted, tenants=len(newest_deleted), retention_days=retention_days)
    return deleted
