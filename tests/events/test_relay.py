"""The relay puts every committed event in its tenant's Redis Stream exactly once, in
order; Redis losing a stream costs nothing (PostgreSQL restores it); retention prunes
only what was delivered."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO, Any, TypeVar

import pytest
import sqlalchemy as sa
from redis.asyncio import Redis

from crm_graph import worker
from crm_graph.kernel.db import make_engine
from crm_graph.kernel.settings import Settings
from crm_graph.platform.events import jobs, relay, streams
from crm_graph.platform.events.models import OutboxEvent, OutboxHead

OUTBOX = OutboxEvent.__table__
ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { __typename } } }"""
T = TypeVar("T")


@pytest.fixture
async def redis(redis_url: str, engine: Any) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)  # bytes in and out, as arq's pool
    yield client
    # Relays here take every tenant's backlog in the test database: drop all their streams.
    async with engine.connect() as conn:
        tenants = (await conn.execute(sa.select(OutboxHead.__table__.c.tenant_id))).scalars().all()
    if tenants:
        await client.delete(*(streams.stream_key(t) for t in tenants))
    await client.aclose()


async def _eventually(check: Callable[[], Awaitable[T]], timeout: float, what: str) -> T:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (result := await check()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(0.05)
    return result


async def _entries(redis: Redis, tenant_id: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(i.decode(), streams.decode(f)) for i, f in await redis.xrange(streams.stream_key(tenant_id))]


async def _outbox(engine: Any, tenant_id: Any) -> list[Any]:
    async with engine.connect() as conn:
        stmt = sa.select(OUTBOX).where(OUTBOX.c.tenant_id == tenant_id).order_by(OUTBOX.c.seq)
        return [r._mapping for r in (await conn.execute(stmt)).all()]


async def _create_orgs(gql: Any, n: int) -> None:
    for i in range(n):
        await gql(ORG, {"i": {"name": f"Org {i}"}})


async def test_a_mutation_arrives_in_its_stream_once_with_its_event(tenant, gql, engine, redis):
    await gql(ORG, {"i": {"name": "Acme"}})
    assert await relay.relay_all(engine, redis) >= 1
    assert await relay.relay_once(engine, redis) == 0, "a relayed row must not be relayed again"
    [row] = await _outbox(engine, tenant.id)
    assert row["relayed_at"] is not None
    [(entry_id, event)] = await _entries(redis, tenant.id)
    assert entry_id == "1-0"
    assert event == {
        "id": "0000000000000001",
        "tenant_id": str(tenant.id),
        "type": "organization.created",
        "record_type": row["record_type"],
        "record_id": str(row["record_id"]),
        "record_version": 1,
        "actor_user_id": str(tenant.admin_id),
        "actor_api_key_id": None,
        "occurred_at": row["occurred_at"].isoformat(),
        "changes": row["changes"],
    }
    assert event["changes"]["name"][1] == "Acme"


async def test_a_relay_that_died_before_committing_adds_nothing_twice(tenant, gql, engine, redis):
    await _create_orgs(gql, 3)
    await relay.relay_all(engine, redis)
    async with engine.begin() as conn:  # as if the relay died after its adds, before its commit
        await conn.execute(sa.update(OUTBOX).where(OUTBOX.c.tenant_id == tenant.id).values(relayed_at=None))
    await relay.relay_all(engine, redis)
    assert [i for i, _ in await _entries(redis, tenant.id)] == ["1-0", "2-0", "3-0"]
    assert all(r["relayed_at"] is not None for r in await _outbox(engine, tenant.id))


async def test_two_relays_racing_over_a_growing_backlog_add_each_event_once_in_order(
    tenant, gql, engine, redis, database_url
):
    await relay.relay_all(engine, redis)  # earlier tests' leftovers, so the counts below are ours
    second = make_engine(database_url, 2)  # another worker's engine
    writing = True

    async def write() -> None:
        nonlocal writing
        try:
            await asyncio.gather(*(gql(ORG, {"i": {"name": f"Org {i}"}}) for i in range(30)))
        finally:
            writing = False

    async def run_relay(eng: Any) -> int:
        total = 0
        while True:
            # Small batches, so the two relays interleave many times.
            total += await relay.relay_once(eng, redis, limit=3)
            if not writing and all(r["relayed_at"] for r in await _outbox(engine, tenant.id)):
                return total
            await asyncio.sleep(0.005)

    try:
        _, a, b = await asyncio.wait_for(asyncio.gather(write(), run_relay(engine), run_relay(second)), 60)
    finally:
        await second.dispose()
    assert a + b == 30, f"rows relayed twice or missed: {a} + {b}"
    entries = await _entries(redis, tenant.id)
    assert [i for i, _ in entries] == [f"{s}-0" for s in range(1, 31)], "a gap or a duplicate in the stream"
    assert [e["id"] for _, e in entries] == [f"{s:016d}" for s in range(1, 31)]


async def test_a_second_relay_leaves_a_tenant_alone_while_the_first_is_mid_round(
    tenant, gql, engine, redis, database_url
):
    await _create_orgs(gql, 4)
    second = make_engine(database_url, 1)
    try:
        async with engine.begin() as conn:  # relay A has claimed events 1-2 and not yet added them
            assert [r.seq for r in (await conn.execute(relay._claim(2))).all()] == [1, 2]
            await relay.relay_all(second, redis)  # relay B must not add 3-4 ahead of them
            assert await _entries(redis, tenant.id) == []
        # A died without adding anything; its claim is gone, the next round takes all four.
        await relay.relay_all(second, redis)
    finally:
        await second.dispose()
    assert [i for i, _ in await _entries(redis, tenant.id)] == ["1-0", "2-0", "3-0", "4-0"]


async def test_a_flushed_stream_is_restored_from_the_outbox_with_identical_entries(tenant, gql, engine, redis):
    await _create_orgs(gql, 3)
    await relay.relay_all(engine, redis)
    before = await redis.xrange(streams.stream_key(tenant.id))
    await redis.delete(streams.stream_key(tenant.id))  # Redis lost it
    assert await streams.ensure_streams(engine, redis) >= 3
    assert await redis.xrange(streams.stream_key(tenant.id)) == before
    assert await streams.ensure_streams(engine, redis) == 0, "a complete stream must be left alone"


async def test_a_relay_after_a_flush_puts_earlier_events_back_first(tenant, gql, engine, redis):
    await _create_orgs(gql, 2)
    await relay.relay_all(engine, redis)
    await redis.delete(streams.stream_key(tenant.id))
    await gql(ORG, {"i": {"name": "After the flush"}})
    await relay.relay_all(engine, redis)
    assert [i for i, _ in await _entries(redis, tenant.id)] == ["1-0", "2-0", "3-0"]


async def test_prune_drops_old_relayed_events_only_and_trims_the_stream(tenant, gql, engine, redis):
    await _create_orgs(gql, 3)
    await relay.relay_all(engine, redis)
    await gql(ORG, {"i": {"name": "Not yet relayed"}})
    old = sa.func.now() - timedelta(days=8)
    async with engine.begin() as conn:
        await conn.execute(
            sa.update(OUTBOX)
            .where(OUTBOX.c.tenant_id == tenant.id, OUTBOX.c.seq.in_([1, 2, 4]))
            .values(occurred_at=old)
        )
    assert await streams.prune(engine, redis, retention_days=7) == 2
    assert [r["seq"] for r in await _outbox(engine, tenant.id)] == [3, 4], "only old *relayed* events go"
    assert [i for i, _ in await _entries(redis, tenant.id)] == ["3-0"]
    await relay.relay_all(engine, redis)
    assert [i for i, _ in await _entries(redis, tenant.id)] == ["3-0", "4-0"]


async def test_sweep_relays_what_waited_too_long(tenant, gql, engine, redis):
    await gql(ORG, {"i": {"name": "Missed"}})
    async with engine.begin() as conn:  # as if the NOTIFY was lost a minute ago
        await conn.execute(
            sa.update(OUTBOX)
            .where(OUTBOX.c.tenant_id == tenant.id)
            .values(occurred_at=sa.func.now() - timedelta(minutes=1))
        )
    assert await relay.sweep(engine, redis) >= 1
    assert [i for i, _ in await _entries(redis, tenant.id)] == ["1-0"]


async def test_the_worker_context_runs_the_relay_and_the_scheduled_jobs(tenant, gql, redis, database_url, redis_url):
    ctx: dict[str, Any] = {"redis": redis, "settings": Settings(database_url=database_url, redis_url=redis_url)}
    await worker.startup(ctx)
    try:
        await gql(ORG, {"i": {"name": "Live"}})
        await _eventually(lambda: _entries(redis, tenant.id), 5, "the in-process relay adds the event")
        await jobs.sweep_outbox(ctx)
        await jobs.prune_events(ctx)  # earlier tests leave old events behind: just that it runs
        assert [r["seq"] for r in await _outbox(ctx["engine"], tenant.id)] == [1], "a fresh event was pruned"
    finally:
        await worker.shutdown(ctx)
    assert ctx["relay"]._task is None, "shutdown must stop the relay"


@pytest.fixture
def worker_log(tmp_path: Path) -> Iterator[IO[str]]:
    with open(tmp_path / "worker.log", "w+") as log:
        yield log


async def test_the_worker_process_relays_a_mutation_within_seconds(
    tenant, gql, engine, redis, database_url, redis_url, worker_log
):
    env = {**os.environ, "CRM_DATABASE_URL": database_url, "CRM_REDIS_URL": redis_url}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "crm_graph", "worker", env=env, stdout=worker_log, stderr=worker_log
    )

    def output() -> str:
        worker_log.seek(0)
        return worker_log.read()

    async def listening() -> bool:
        assert proc.returncode is None, f"the worker exited: {output()}"
        async with engine.connect() as conn:
            return bool(
                (
                    await conn.execute(
                        sa.text(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            " AND application_name = :name"
                        ),
                        {"name": relay.LISTENER_NAME},
                    )
                ).scalar()
            )

    try:
        await _eventually(listening, 30, "the worker's relay listens")
        await gql(ORG, {"i": {"name": "Live"}})
        entries = await _eventually(lambda: _entries(redis, tenant.id), 5, "the event reaches the stream")
        assert [(i, e["type"]) for i, e in entries] == [("1-0", "organization.created")]
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 15) == 0, output()
        assert "events.relay_stopped" in output(), "SIGTERM must stop the relay through on_shutdown"
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
