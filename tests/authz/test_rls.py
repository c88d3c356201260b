"""The second layer: PostgreSQL row-level security under the API's database role.

A statement that forgot its tenant filter, run as `crm_app`, still sees only the
tenant in `app.tenant_id` (nothing when it is unset), cannot write rows of another
tenant, and cannot rewrite the audit log.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from crm_graph.kernel.db import APP_ROLE, make_engine
from crm_graph.models import metadata

from .conftest import T0, World

# The tables the brief names first, then every other tenant table the migrations protect.
TABLES = (
    "organizations",
    "contacts",
    "opportunities",
    "interactions",
    "relationships",
    "users",
    "audit_log",
    "teams",
    "tasks",
    "pipelines",
    "stages",
    "relationship_kinds",
    "interaction_participants",
    "opportunity_stage_changes",
    "policy_rules",
    "audit_heads",
)
MUST_HAVE_ROWS = ("organizations", "contacts", "opportunities", "interactions", "relationships", "users", "audit_log")


@pytest.fixture(scope="module")
async def app_engine(database_url: str) -> AsyncIterator[Any]:
    engine = make_engine(database_url, pool_size=1, role=APP_ROLE)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
async def audited(world: World) -> World:
    """Both tenants wrote through the API, so both have audit entries."""
    await world.client("admin")(
        """mutation { organizationCreate(input: {name: "Audited A"}) { errors { message } } }"""
    )
    await world.b_client()("""mutation { organizationCreate(input: {name: "Audited B"}) { errors { message } } }""")
    return world


async def as_tenant(conn: Any, tenant_id: uuid.UUID | None) -> None:
    """Set the tenant for the session, as RequestDB does (it outlives transactions)."""
    if tenant_id is not None:
        await conn.execute(sa.select(sa.func.set_config("app.tenant_id", str(tenant_id), False)))
        await conn.commit()


async def owner_count(world: World, table: str, tenant_id: uuid.UUID) -> int:
    async with world.engine.connect() as conn:
        return int(
            (
                await conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant_id})
            ).scalar_one()
        )


async def app_count(app_engine: Any, table: str, tenant_id: uuid.UUID | None, where: str = "") -> int:
    async with app_engine.connect() as conn:
        await as_tenant(conn, tenant_id)
        count = int((await conn.execute(sa.text(f"SELECT count(*) FROM {table} {where}"))).scalar_one())
        await conn.execute(sa.text("RESET app.tenant_id"))
        return count


async def test_the_app_engine_really_is_the_app_role(app_engine: Any) -> None:
    async with app_engine.connect() as conn:
        assert (await conn.execute(sa.text("SELECT current_user"))).scalar_one() == APP_ROLE
        bypass = (
            await conn.execute(sa.text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"))
        ).scalar_one()
    assert bypass is False, "the app role must be subject to row-level security"


@pytest.mark.parametrize("table", TABLES)
async def test_an_unfiltered_select_sees_only_the_current_tenant(audited: World, app_engine: Any, table: str) -> None:
    a, b = audited.a.id, audited.b.id
    expected = await owner_count(audited, table, a)
    if table in MUST_HAVE_ROWS:
        assert expected > 0 and await owner_count(audited, table, b) > 0, "the probe needs rows in both tenants"
    assert await app_count(app_engine, table, a) == expected
    assert await app_count(app_engine, table, a, f"WHERE tenant_id <> '{a}'") == 0
    assert await app_count(app_engine, table, b) == await owner_count(audited, table, b)


@pytest.mark.parametrize("table", TABLES)
async def test_without_a_tenant_nothing_is_visible(audited: World, database_url: str, table: str) -> None:
    # A brand-new connection that never set app.tenant_id ...
    fresh = make_engine(database_url, pool_size=1, role=APP_ROLE)
    try:
        assert await app_count(fresh, table, None) == 0
        # ... and one where it was set, then reset (it reads as '' then, not as unset).
        async with fresh.connect() as conn:
            await as_tenant(conn, audited.a.id)
            await conn.execute(sa.text("RESET app.tenant_id"))
            assert (await conn.execute(sa.text(f"SELECT count(*) FROM {table}"))).scalar_one() == 0
            await conn.execute(sa.text("SET app.tenant_id = ''"))
            assert (await conn.execute(sa.text(f"SELECT count(*) FROM {table}"))).scalar_one() == 0
    finally:
        await fresh.dispose()


async def test_the_tenants_table_shows_only_ones_own_tenant(audited: World, app_engine: Any) -> None:
    async with app_engine.connect() as conn:
        await as_tenant(conn, audited.a.id)
        ids = (await conn.execute(sa.text("SELECT id FROM tenants"))).scalars().all()
    assert ids == [audited.a.id]


def _rows_of_tenant(world: World, tenant_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    """A valid new row per table, for `tenant_id`."""
    side = world.a if tenant_id == world.a.id else world.b
    return {
        "organizations": {"name": "Smuggled"},
        "contacts": {"first_name": "Smug", "last_name": "Gled"},
        "users": {"email": f"smuggled-{uuid.uuid4().hex[:6]}@x.example", "name": "Smuggled", "roles": ["admin"]},
        "teams": {"name": "Smuggled"},
        "relationships": {
            "kind": "partner_of",
            "source_type": "organization",
            "source_id": side.hub,
            "target_type": "organization",
            "target_id": side.hub,
        },
        "policy_rules": {
            "ptype": "p",
            "subject": "sales_rep",
            "object": "*",
            "action": "*",
            "scope": "tenant",
            "effect": "allow",
        },
        "audit_log": {
            "seq": 999_999,
            "occurred_at": T0,
            "action": "smuggled",
            "changes": {},
            "prev_hash": "",
            "hash": "",
        },
    }


def _insert(table: str, tenant_id: uuid.UUID, values: dict[str, Any]) -> Any:
    """The INSERT, through the table so that its column defaults fill the rest."""
    return sa.insert(metadata.tables[table]).values(id=uuid.uuid4(), tenant_id=tenant_id, **values)


WRITABLE = ("organizations", "contacts", "users", "teams", "relationships", "policy_rules", "audit_log")


@pytest.mark.parametrize("table", WRITABLE)
async def test_inserting_a_row_of_another_tenant_is_refused(world: World, app_engine: Any, table: str) -> None:
    values = _rows_of_tenant(world, world.b.id)[table]
    before = await owner_count(world, table, world.b.id)
    async with app_engine.connect() as conn:
        await as_tenant(conn, world.a.id)
        with pytest.raises(DBAPIError, match="row-level security"):
            async with conn.begin():
                await conn.execute(_insert(table, world.b.id, values))
    assert await owner_count(world, table, world.b.id) == before


@pytest.mark.parametrize("table", ["organizations", "contacts", "users", "teams", "relationships", "policy_rules"])
async def test_the_same_row_for_ones_own_tenant_is_accepted(world: World, app_engine: Any, table: str) -> None:
    # The refusal above is about the tenant, not a malformed row.
    values = _rows_of_tenant(world, world.a.id)[table]
    async with app_engine.connect() as conn:
        await as_tenant(conn, world.a.id)
        transaction = await conn.begin()
        await conn.execute(_insert(table, world.a.id, values))
        await transaction.rollback()


@pytest.mark.parametrize("table", ["organizations", "contacts", "opportunities", "interactions", "tasks", "users"])
async def test_rows_cannot_be_moved_to_or_touched_in_another_tenant(world: World, app_engine: Any, table: str) -> None:
    async with app_engine.connect() as conn:
        await as_tenant(conn, world.a.id)
        with pytest.raises(DBAPIError, match="row-level security"):
            async with conn.begin():
                await conn.execute(sa.text(f"UPDATE {table} SET tenant_id = :b"), {"b": world.b.id})
        async with conn.begin():
            updated = await conn.execute(
                sa.text(f"UPDATE {table} SET version = version WHERE tenant_id = :b"), {"b": world.b.id}
            )
            deleted = await conn.execute(sa.text(f"DELETE FROM {table} WHERE tenant_id = :b"), {"b": world.b.id})
            assert (updated.rowcount, deleted.rowcount) == (0, 0)
    assert await owner_count(world, table, world.b.id) > 0


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'rewritten'",
        "UPDATE audit_log SET action = 'rewritten' WHERE tenant_id = current_setting('app.tenant_id')::uuid",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE tenant_id = current_setting('app.tenant_id')::uuid",
        "TRUNCATE audit_log",
    ],
)
async def test_the_audit_log_is_append_only(audited: World, app_engine: Any, statement: str) -> None:
    before = await owner_count(audited, "audit_log", audited.a.id)
    async with app_engine.connect() as conn:
        await as_tenant(conn, audited.a.id)
        with pytest.raises(DBAPIError, match="permission denied"):
            async with conn.begin():
                await conn.execute(sa.text(statement))
    assert await owner_count(audited, "audit_log", audited.a.id) == before > 0


async def test_every_tenant_table_the_app_can_reach_has_row_level_security(world: World) -> None:
    """A table added later without `rls.protect` would be readable across tenants."""
    async with world.engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.text("""
            SELECT c.relname, c.relrowsecurity,
                   EXISTS (SELECT 1 FROM pg_policies p WHERE p.schemaname = 'public' AND p.tablename = c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
              AND EXISTS (SELECT 1 FROM information_schema.columns col
                          WHERE col.table_schema = 'public' AND col.table_name = c.relname
                            AND col.column_name = 'tenant_id')
              AND (has_table_privilege(:role, c.oid, 'SELECT') OR has_table_privilege(:role, c.oid, 'INSERT')
                   OR has_table_privilege(:role, c.oid, 'UPDATE') OR has_table_privilege(:role, c.oid, 'DELETE'))
        """),
                {"role": APP_ROLE},
            )
        ).all()
    assert rows, "the app role reaches no tenant table at all?"
    unprotected = sorted(name for name, enabled, has_policy in rows if not (enabled and has_policy))
    assert unprotected == []
