"""A unit of work ends with one statement writing its outbox events and audit entries:
the tenant's head rows are held for that statement and the commit only, and the
guarantees stay (gap-free numbers in commit order, the hash chain, rollback)."""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from crm_graph.kernel import journal
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import DomainEvent, RequestDB, statement_counter
from crm_graph.platform.audit import chain
from crm_graph.platform.audit.models import AuditEntry, AuditHead
from crm_graph.platform.audit.verify import verify_chains
from crm_graph.platform.events.models import OutboxEvent, OutboxHead

LOG, AUDIT_HEADS = AuditEntry.__table__, AuditHead.__table__
OUTBOX, OUTBOX_HEADS = OutboxEvent.__table__, OutboxHead.__table__
ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { __typename } } }"""


async def _numbers(engine, tenant_id) -> tuple[list[int], list[int]]:
    async with engine.connect() as conn:
        events = (
            (await conn.execute(sa.select(OUTBOX.c.seq).where(OUTBOX.c.tenant_id == tenant_id).order_by(OUTBOX.c.seq)))
            .scalars()
            .all()
        )
        entries = (
            (await conn.execute(sa.select(LOG.c.seq).where(LOG.c.tenant_id == tenant_id).order_by(LOG.c.seq)))
            .scalars()
            .all()
        )
    return list(events), list(entries)


async def verify_chains_of(engine, tenant) -> list[str]:
    async with engine.connect() as conn:
        return await chain.verify(conn, tenant.id)


def _event() -> DomainEvent:
    return DomainEvent("organization.updated", "organization", uuid.uuid4(), 2, None, {"name": ("A", "B")})


async def _old_style_append(engine, tenant_id, actions: list[str]) -> None:
    """Entries as the six-statement writer before the one-statement journal wrote them
    (hashed in Python): chains already in databases hold such entries."""
    async with engine.begin() as conn:
        await conn.execute(
            sa.text(
                "INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (:t, 0, '') ON CONFLICT (tenant_id) DO NOTHING"
            ),
            {"t": tenant_id},
        )
        head = (
            await conn.execute(sa.select(AUDIT_HEADS).where(AUDIT_HEADS.c.tenant_id == tenant_id).with_for_update())
        ).one()
        seq, prev = head.seq, head.hash
        for action in actions:
            seq += 1
            row = {
                "id": uuid.uuid4(),
                "tenant_id": tenant_id,
                "seq": seq,
                "occurred_at": datetime.now(UTC),
                "actor_user_id": None,
                "actor_api_key_id": None,
                "action": action,
                "record_type": "organization",
                "record_id": uuid.uuid4(),
                "changes": {"name": [None, "Ünïcode ✓"], "n": [1, 2.5]},
                "request_id": "old",
                "client_address": "127.0.0.1",
                "prev_hash": prev,
            }
            row["hash"] = prev = chain.entry_hash(prev, row)
            await conn.execute(sa.insert(LOG), row)
        await conn.execute(
            sa.update(AUDIT_HEADS).where(AUDIT_HEADS.c.tenant_id == tenant_id).values(seq=seq, hash=prev)
        )


async def test_events_and_entries_are_written_by_one_statement(tenant, engine):
    db = RequestDB(engine, tenant.id)
    actor = Actor(tenant.id, tenant.admin_id)
    try:
        for _ in range(2):  # the second finds the tenant's head rows in place
            async with statement_counter() as n, db.unit_of_work(actor) as uow:
                uow.emit("organization.updated", "organization", uuid.uuid4(), 2, {"name": ("A", "B")})
                uow.emit("organization.archived", "organization", uuid.uuid4(), 3, {"archived_at": (None, "x")})
    finally:
        await db.close()
    assert n[0] == 1, f"the outbox and audit writes took {n[0]} statements, not one"
    assert await _numbers(engine, tenant.id) == ([1, 2, 3, 4], [1, 2, 3, 4])
    assert (await verify_chains_of(engine, tenant)) == []


async def test_hashes_are_the_ones_the_verifier_computes(tenant, engine):
    """PostgreSQL's sha256 over the split body equals chain.entry_hash, for each entry."""
    async with engine.begin() as conn:
        await journal.write(
            conn,
            tenant.id,
            [],
            [
                chain.Entry(
                    "contact.updated", "contact", uuid.uuid4(), {"title": ('Dr "Ö"', None), "when": ("2026-01-01", 1.5)}
                ),
                chain.Entry("api_key.used", None, None, None),
            ],
            actor_user_id=tenant.admin_id,
            request_id="r-1",
            client_address="::1",
        )
    async with engine.connect() as conn:
        rows = [
            dict(r._mapping)
            for r in (await conn.execute(sa.select(LOG).where(LOG.c.tenant_id == tenant.id).order_by(LOG.c.seq))).all()
        ]
    assert [r["seq"] for r in rows] == [1, 2]
    assert rows[0]["prev_hash"] == "" and rows[1]["prev_hash"] == rows[0]["hash"]
    for row in rows:
        assert row["hash"] == chain.entry_hash(row["prev_hash"], row)
        head, tail = chain.hashed_parts(row)
        assert (
            hashlib.sha256(row["prev_hash"].encode() + head + str(row["seq"]).encode() + tail).hexdigest()
            == row["hash"]
        )


async def test_concurrent_writers_of_a_tenant_get_gap_free_numbers_in_commit_order(tenant, gql, engine):
    """20 mutations at once, on a tenant with no head rows yet: every number 1..20 once,
    in outbox and audit log alike, and a reader never sees a later number before an
    earlier one (numbers follow commit order)."""
    seen: list[tuple[list[int], list[int]]] = []
    done = asyncio.Event()

    async def watch() -> None:
        while not done.is_set():
            seen.append(await _numbers(engine, tenant.id))

    watcher = asyncio.create_task(watch())
    results = await asyncio.gather(*(gql(ORG, {"i": {"name": f"Org {i}"}}) for i in range(20)))
    done.set()
    await watcher
    assert all(r["organizationCreate"]["errors"] == [] for r in results)
    assert await _numbers(engine, tenant.id) == (list(range(1, 21)), list(range(1, 21)))
    for events, entries in seen:
        assert events == list(range(1, len(events) + 1)), f"a reader saw {events}: a later number before an earlier"
        assert entries == list(range(1, len(entries) + 1)), f"a reader saw audit entries {entries}"
    assert (await verify_chains_of(engine, tenant)) == []
    # And once the head rows exist, a second burst continues the numbers.
    await asyncio.gather(*(gql(ORG, {"i": {"name": f"More {i}"}}) for i in range(20)))
    assert await _numbers(engine, tenant.id) == (list(range(1, 41)), list(range(1, 41)))


async def test_a_failure_after_the_write_rolls_back_events_and_entries(tenant, gql, engine):
    await gql(ORG, {"i": {"name": "Before"}})
    db = RequestDB(engine, tenant.id)
    actor = Actor(tenant.id, tenant.admin_id)
    with pytest.raises(ZeroDivisionError):
        async with engine.begin() as conn:
            await journal.write(
                conn,
                tenant.id,
                [_event()],
                [chain.Entry("organization.updated", "organization")],
                actor_user_id=tenant.admin_id,
            )
            # Written, still uncommitted: then the transaction fails.
            assert (
                await conn.execute(
                    sa.select(sa.func.count()).select_from(OUTBOX).where(OUTBOX.c.tenant_id == tenant.id)
                )
            ).scalar_one() == 2
            1 / 0  # noqa: B018
    try:
        with pytest.raises(ZeroDivisionError):
            async with db.unit_of_work(actor) as uow:
                uow.emit("organization.updated", "organization", uuid.uuid4(), 2, {"name": ("A", "B")})
                1 / 0  # noqa: B018
    finally:
        await db.close()
    assert await _numbers(engine, tenant.id) == ([1], [1])
    async with engine.connect() as conn:
        assert (
            await conn.execute(sa.select(OUTBOX_HEADS.c.seq).where(OUTBOX_HEADS.c.tenant_id == tenant.id))
        ).scalar_one() == 1
    await gql(ORG, {"i": {"name": "After"}})
    assert await _numbers(engine, tenant.id) == ([1, 2], [1, 2])
    assert (await verify_chains_of(engine, tenant)) == []


async def test_the_chain_verifies_across_old_style_and_new_style_entries(tenant, gql, database_url, engine):
    await _old_style_append(engine, tenant.id, ["organization.created", "organization.updated"])
    await gql(ORG, {"i": {"name": "New style"}})
    await _old_style_append(engine, tenant.id, ["organization.archived"])
    await gql(ORG, {"i": {"name": "New again"}})
    _, entries = await _numbers(engine, tenant.id)
    assert entries == [1, 2, 3, 4, 5]
    assert (await verify_chains(database_url, tenant.slug)) == {tenant.slug: []}
    async with engine.begin() as conn:  # and tampering with a new-style entry still shows
        await conn.execute(
            sa.update(LOG)
            .where(LOG.c.tenant_id == tenant.id, LOG.c.seq == 3)
            .values(changes={"name": [None, "Forged"]})
        )
    assert (await verify_chains(database_url, tenant.slug)) == {tenant.slug: ["entry 3: its content was changed"]}


async def test_two_first_writers_racing_to_create_the_audit_head_both_chain(tenant, engine, database_url):
    """The second waits for the first's new head row, then chains after it (a new
    statement sees the row its snapshot could not)."""
    async with engine.connect() as first, engine.connect() as second:
        await first.begin()
        await journal.write(
            first, tenant.id, [], [chain.Entry("api_key.used", "api_key", uuid.uuid4())], actor_user_id=None
        )
        await second.begin()
        racing = asyncio.create_task(
            journal.write(
                second, tenant.id, [], [chain.Entry("api_key.used", "api_key", uuid.uuid4())], actor_user_id=None
            )
        )
        await asyncio.sleep(0.3)
        assert not racing.done(), "the second writer must wait for the first's head row"
        await first.commit()
        await racing
        await second.commit()
    assert (await _numbers(engine, tenant.id))[1] == [1, 2]
    assert (await verify_chains(database_url, tenant.slug)) == {tenant.slug: []}


async def _staged(engine) -> int:
    async with engine.connect() as conn:
        return (await conn.execute(sa.text("SELECT count(*) FROM journal_pending"))).scalar_one()


async def test_a_unit_of_works_events_are_written_by_its_commit_holding_no_lock_before(tenant, engine, database_url):
    """Staged (a unit of work's last statement), the events and entries take no lock of
    the tenant's: another writer of the tenant goes ahead and commits first. COMMIT
    writes them after that writer's, numbered and chained, and leaves nothing staged;
    a rollback discards them."""
    async with engine.connect() as writer, engine.connect() as other:
        await writer.begin()
        await journal.stage(
            writer,
            tenant.id,
            [_event()],
            [chain.Entry("organization.updated", "organization", uuid.uuid4(), {"name": ["A", "B"]})],
            actor_user_id=tenant.admin_id,
            request_id="staged",
        )
        assert (
            await writer.execute(sa.select(sa.func.count()).select_from(OUTBOX).where(OUTBOX.c.tenant_id == tenant.id))
        ).scalar_one() == 0, "staged events are written at COMMIT, not before"
        async with other.begin():
            # Held heads would make this wait (and fail after 200 ms).
            await other.execute(sa.text("SET LOCAL lock_timeout = '200ms'"))
            await journal.write(
                other, tenant.id, [_event()], [chain.Entry("organization.updated", "organization")], actor_user_id=None
            )
        await writer.commit()
    assert await _numbers(engine, tenant.id) == ([1, 2], [1, 2])
    async with engine.connect() as conn:
        last = (await conn.execute(sa.select(LOG).where(LOG.c.tenant_id == tenant.id, LOG.c.seq == 2))).one()
    assert last.request_id == "staged" and last.changes == {"name": ["A", "B"]}
    assert await _staged(engine) == 0
    async with engine.connect() as conn:
        await conn.begin()
        await journal.stage(
            conn, tenant.id, [_event()], [chain.Entry("organization.updated", "organization")], actor_user_id=None
        )
        await conn.rollback()
    assert await _numbers(engine, tenant.id) == ([1, 2], [1, 2])
    assert await _staged(engine) == 0
    assert (await verify_chains(database_url, tenant.slug)) == {tenant.slug: []}
