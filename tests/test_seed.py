"""The demo seed on a real, migrated PostgreSQL: what a demo user and the other tests rely on."""

from __future__ import annotations

import random
import secrets
import signal
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from crm_graph import seed_vocabulary as vocab
from crm_graph.domains.opportunities.defaults import DEFAULT_STAGES
from crm_graph.kernel.embedded import create_database, drop_database
from crm_graph.kernel.migrate import upgrade_async
from crm_graph.models import metadata
from crm_graph.seed import COLUMNS, Generator, seed_demo

ORGANIZATIONS = 20
SEED = 7
RECORD_TABLES = {"organization": "organizations", "contact": "contacts", "opportunity": "opportunities"}


@asynccontextmanager
async def fresh_database(database_url: str) -> AsyncIterator[str]:
    """A migrated database of our own on the session's server, dropped afterwards.

    Not `database_url` itself: other modules seed `demo` there with other sizes and
    seeds, and whoever seeds first wins, since seeding is a no-op for an existing tenant.
    """
    name = f"crm_seed_{secrets.token_hex(4)}"
    url = await create_database(database_url, name)
    try:
        await upgrade_async(url)
        yield url
    finally:
        await drop_database(database_url, name)


@pytest.fixture(scope="module")
async def seeded_url(database_url: str) -> AsyncIterator[str]:
    async with fresh_database(database_url) as url:
        await seed_demo(url, organizations=ORGANIZATIONS, seed=SEED)
        yield url


@pytest.fixture(scope="module")
async def engine(seeded_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_engine(seeded_url)
    yield engine
    await engine.dispose()


async def fetch(engine: AsyncEngine, sql: str, **params: Any) -> list[sa.Row[Any]]:
    async with engine.connect() as conn:
        return list((await conn.execute(sa.text(sql), params)).all())


async def demo_count(engine: AsyncEngine, table: str) -> int:
    rows = await fetch(
        engine, f"SELECT count(*) FROM {table} t JOIN tenants ON tenants.id = t.tenant_id WHERE slug = 'demo'"
    )
    return int(rows[0][0])


async def test_both_tenants_exist_with_the_documented_users_roles_and_teams(engine: AsyncEngine) -> None:
    tenants = {
        row.slug: row.name
        for row in await fetch(engine, "SELECT slug, name FROM tenants WHERE slug IN ('demo', 'other')")
    }
    assert tenants == {"demo": "Demo Inc.", "other": "Other Ltd."}

    users = {
        row.email: (row.roles, row.team)
        for row in await fetch(
            engine,
            """SELECT u.email, u.roles, team.name AS team FROM users u
               JOIN tenants t ON t.id = u.tenant_id LEFT JOIN teams team ON team.id = u.team_id
               WHERE t.slug = 'demo'""",
        )
    }
    assert users == {
        "admin@demo.example": (["admin"], None),
        "manager@demo.example": (["sales_manager"], "Sales"),
        "rep1@demo.example": (["sales_rep"], "Sales Reps"),
        "rep2@demo.example": (["sales_rep"], "Sales Reps"),
        "marketing@demo.example": (["marketing_manager"], "Marketing"),
        "service@demo.example": (["service_manager"], "Service"),
        "analyst@demo.example": (["analyst"], None),
    }
    parents = {
        row.team: row.parent
        for row in await fetch(
            engine,
            """SELECT team.name AS team, parent.name AS parent FROM teams team JOIN tenants t ON t.id = team.tenant_id
               LEFT JOIN teams parent ON parent.id = team.parent_id WHERE t.slug = 'demo'""",
        )
    }
    assert parents == {"Sales": None, "Sales Reps": "Sales", "Marketing": None, "Service": None}

    other = await fetch(
        engine,
        """SELECT u.email, u.roles, (SELECT count(*) FROM organizations o WHERE o.tenant_id = t.id) AS orgs
           FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE t.slug = 'other'""",
    )
    assert [(row.email, row.roles) for row in other] == [("admin@other.example", ["admin"])]
    assert other[0].orgs == 10, "tenant 'other' needs its own records for isolation tests"


async def test_each_demo_organization_has_a_realistic_amount_of_data(engine: AsyncEngine) -> None:
    assert await demo_count(engine, "organizations") == ORGANIZATIONS
    per_org = await fetch(
        engine,
        """SELECT o.name, o.kinds, o.region, o.country, o.website,
             (SELECT count(*) FROM contacts c WHERE c.organization_id = o.id) AS contacts,
             (SELECT count(*) FROM opportunities p WHERE p.organization_id = o.id) AS opportunities,
             (SELECT count(*) FROM interactions i WHERE i.organization_id = o.id) AS interactions,
             (SELECT count(*) FROM tasks k WHERE k.record_id = o.id OR k.record_id IN (
                 SELECT id FROM contacts WHERE organization_id = o.id
                 UNION ALL SELECT id FROM opportunities WHERE organization_id = o.id)) AS tasks
           FROM organizations o JOIN tenants t ON t.id = o.tenant_id WHERE t.slug = 'demo'""",
    )
    assert len({row.name for row in per_org}) == ORGANIZATIONS, "organization names repeat"
    for row in per_org:
        assert 3 <= row.contacts <= 7, row
        assert 1 <= row.opportunities <= 5, row
        assert 20 <= row.interactions <= 40, row
        assert 1 <= row.tasks <= 4, row
        assert row.kinds and row.region in {"EMEA", "NA", "LATAM", "APAC"} and len(row.country) == 2, row
        assert row.website.startswith("https://www."), row

    participants = await fetch(
        engine,
        """SELECT i.id, count(p.*) AS n, count(p.user_id) AS users,
                  bool_and(p.user_id IS NULL OR p.user_id = i.owner_id) AS owner_is_user,
                  bool_and(p.contact_id IS NULL OR c.organization_id = i.organization_id) AS org_contacts
           FROM interactions i JOIN tenants t ON t.id = i.tenant_id
           JOIN interaction_participants p ON p.interaction_id = i.id
           LEFT JOIN contacts c ON c.id = p.contact_id
           WHERE t.slug = 'demo' GROUP BY i.id""",
    )
    assert len(participants) == await demo_count(engine, "interactions"), "an interaction has no participant"
    for row in participants:
        assert 1 <= row.n <= 3 and row.users == 1, row
        assert row.owner_is_user and row.org_contacts, "participants are the owner and the organization's contacts"

    edges = await demo_count(engine, "relationships")
    assert ORGANIZATIONS <= edges <= 4 * ORGANIZATIONS, f"{edges} relationships for {ORGANIZATIONS} organizations"


async def test_seeding_again_changes_nothing(engine: AsyncEngine, seeded_url: str) -> None:
    tables = ["users", "organizations", "contacts", "opportunities", "interactions", "relationships", "tasks"]
    before = [await demo_count(engine, table) for table in tables]
    await seed_demo(seeded_url, organizations=ORGANIZATIONS + 5, seed=SEED)
    assert [await demo_count(engine, table) for table in tables] == before


async def test_the_same_seed_gives_the_same_records_in_another_database(engine: AsyncEngine, database_url: str) -> None:
    query = """SELECT o.id, o.name, o.owner_id, array_agg(c.emails[1] ORDER BY c.id) AS emails
               FROM organizations o JOIN tenants t ON t.id = o.tenant_id
               JOIN contacts c ON c.organization_id = o.id
               WHERE t.slug = 'demo' GROUP BY o.id ORDER BY o.id"""
    edges_query = """SELECT r.kind, r.source_id, r.target_id, r.strength FROM relationships r
                     JOIN tenants t ON t.id = r.tenant_id WHERE t.slug = 'demo' ORDER BY r.id"""
    async with fresh_database(database_url) as twin_url:
        await seed_demo(twin_url, organizations=ORGANIZATIONS, seed=SEED)
        twin = create_async_engine(twin_url)
        try:
            assert await fetch(twin, query) == await fetch(engine, query)
            assert await fetch(twin, edges_query) == await fetch(engine, edges_query)
        finally:
            await twin.dispose()


async def test_every_relationship_joins_existing_records_of_its_tenant_and_kind(engine: AsyncEngine) -> None:
    def endpoint(row: str, side: str) -> str:
        """SQL: `row`'s {side}_type/{side}_id name a record of row's own tenant."""
        return " OR ".join(
            f"({row}.{side}_type = '{record}' AND EXISTS (SELECT 1 FROM {table} x "
            f"WHERE x.id = {row}.{side}_id AND x.tenant_id = {row}.tenant_id))"
            for record, table in RECORD_TABLES.items()
        )

    broken = await fetch(
        engine,
        f"""SELECT r.kind, r.source_type, r.target_type FROM relationships r
            LEFT JOIN relationship_kinds k ON k.tenant_id = r.tenant_id AND k.key = r.kind
            WHERE k.id IS NULL OR r.source_id = r.target_id
               OR NOT r.source_type = ANY(k.source_types) OR NOT r.target_type = ANY(k.target_types)
               OR NOT ({endpoint("r", "source")}) OR NOT ({endpoint("r", "target")})""",
    )
    assert broken == []
    # A symmetric edge is stored once, not once per direction.
    mirrored = await fetch(
        engine,
        """SELECT a.kind FROM relationships a JOIN relationships b ON b.tenant_id = a.tenant_id
           AND b.kind = a.kind AND b.source_id = a.target_id AND b.target_id = a.source_id""",
    )
    assert mirrored == []
    # Tasks point at their record the same polymorphic way.
    tasks = await fetch(engine, f"SELECT k.title FROM tasks k WHERE NOT ({endpoint('k', 'record')})")
    assert tasks == []


async def test_opportunity_status_and_history_agree_with_the_stage(engine: AsyncEngine) -> None:
    wrong = await fetch(
        engine,
        """SELECT o.name, o.status, s.name AS stage FROM opportunities o JOIN stages s ON s.id = o.stage_id
           WHERE o.status <> CASE WHEN s.is_won THEN 'won' WHEN s.is_lost THEN 'lost' ELSE 'open' END
              OR o.probability <> s.probability OR s.pipeline_id <> o.pipeline_id
              OR (o.closed_at IS NULL) <> (o.status = 'open')
              OR (SELECT h.to_stage_id FROM opportunity_stage_changes h WHERE h.opportunity_id = o.id
                  ORDER BY h.changed_at DESC LIMIT 1) IS DISTINCT FROM o.stage_id
              OR (SELECT h.from_stage_id FROM opportunity_stage_changes h WHERE h.opportunity_id = o.id
                  ORDER BY h.changed_at LIMIT 1) IS NOT NULL""",
    )
    assert wrong == []


async def test_no_foreign_key_points_into_another_tenant(engine: AsyncEngine) -> None:
    for table in metadata.sorted_tables:
        if "tenant_id" not in table.c:
            continue
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent.name == "tenants" or "tenant_id" not in parent.c:
                continue
            column = fk.parent.name
            crossing = await fetch(
                engine,
                f"""SELECT count(*) FROM {table.name} child JOIN {parent.name} parent
                    ON parent.{fk.column.name} = child.{column} WHERE parent.tenant_id <> child.tenant_id""",
            )
            assert crossing[0][0] == 0, f"{table.name}.{column} points into another tenant"


def test_organization_names_stay_unique_beyond_the_vocabulary_and_the_seed_terminates() -> None:
    """A volume seed larger than the name combinations finishes, with unique names
    (and so unique website domains), and every edge points inside the rows made: a
    vocabulary of one prefix and one root (55 combinations) stands in for 99,000."""
    stages = [
        SimpleNamespace(
            pipeline_id=uuid.UUID(int=1),
            id=uuid.UUID(int=10 + position),
            position=position,
            probability=probability,
            is_won=won,
            is_lost=lost,
        )
        for position, (_, probability, won, lost) in enumerate(DEFAULT_STAGES, start=1)
    ]
    users = {user.email: uuid.UUID(int=100 + n) for n, user in enumerate(vocab.DEMO.users)}
    generator = Generator(
        random.Random(SEED),
        uuid.UUID(int=2),
        datetime.now(UTC),
        users,
        vocab.DEMO,
        stages,
        name_parts=(("Nord",), ("wind",)),
    )

    def stuck(signum: int, frame: Any) -> None:
        raise TimeoutError("drawing unique organization names never ends")

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(30)
    try:
        chunks = [{table: list(rows) for table, rows in chunk.items()} for chunk in generator.generate(300, chunk=120)]
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)

    assert [len(chunk["organizations"]) for chunk in chunks] == [120, 120, 60]
    organizations = [row for chunk in chunks for row in chunk["organizations"]]
    website = COLUMNS["organizations"].index("website")
    assert len({row[website] for row in organizations}) == 300, "two organizations share a website domain"
    assert len({row[COLUMNS["organizations"].index("name")] for row in organizations}) == 300
    records = {
        row[0] for chunk in chunks for table in ("organizations", "contacts", "opportunities") for row in chunk[table]
    }
    source, target = COLUMNS["relationships"].index("source_id"), COLUMNS["relationships"].index("target_id")
    edges = [row for chunk in chunks for row in chunk["relationships"]]
    assert edges and all(row[source] in records and row[target] in records for row in edges)


INDEXES = """SELECT i.indexname, i.indexdef, format('%I.%I', i.schemaname, i.indexname)::regclass::oid AS oid,
                    EXISTS (SELECT 1 FROM pg_constraint c
                            WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass) AS constraint
             FROM pg_indexes i WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables)"""

CONSTRAINTS = """SELECT DISTINCT c.conrelid::regclass::text AS tbl, c.conname, c.contype::text, pg_get_constraintdef(c.oid) AS def,
                        c.convalidated
                 FROM pg_constraint c
                 JOIN pg_class t ON t.oid = c.conrelid OR t.oid = c.confrelid
                 WHERE t.relname = ANY(:tables) AND t.relnamespace = current_schema()::regnamespace
                   AND c.contype IN ('p', 'u', 'f')"""


async def test_a_large_seed_builds_the_indexes_it_set_aside_again(engine: AsyncEngine, database_url: str) -> None:
    async with fresh_database(database_url) as url:
        bulk = create_async_engine(url)
        try:
            before = {r.indexname: r for r in await fetch(bulk, INDEXES, tables=list(COLUMNS))}
            constraints_before = await fetch(bulk, CONSTRAINTS, tables=list(COLUMNS))
            # Large mode from 1 organization on: the secondary indexes are dropped for the load.
            await seed_demo(url, organizations=ORGANIZATIONS, seed=SEED, rebuild_indexes_from=1)
            after = {r.indexname: r for r in await fetch(bulk, INDEXES, tables=list(COLUMNS))}

            # Every index is there again, with the very definition the migrations gave it...
            assert {n: r.indexdef for n, r in after.items()} == {n: r.indexdef for n, r in before.items()}
            assert sum(not r.constraint for r in before.values()) >= 50
            # ...built anew: the load ran without it, keys included.
            assert {n for n, r in after.items() if r.oid != before[n].oid} == set(before)
            # The keys and foreign keys from and to the bulk tables are back as the
            # migrations defined them, and were checked against the loaded rows.
            constraints_after = await fetch(bulk, CONSTRAINTS, tables=list(COLUMNS))
            assert sorted(constraints_after) == sorted(constraints_before)
            assert sum(r.contype == "f" for r in constraints_before) >= 25
            assert all(r.convalidated for r in constraints_after)
            # The same records as an ordinary seed, and the indexes serve queries.
            query = "SELECT o.id, o.name FROM organizations o JOIN tenants t ON t.id = o.tenant_id ORDER BY o.id"
            assert await fetch(bulk, query) == await fetch(engine, query)
            invalid = await fetch(bulk, "SELECT indexrelid::regclass FROM pg_index WHERE NOT indisvalid")
            assert invalid == []
        finally:
            await bulk.dispose()
