"""Migrations build the schema from nothing, and match the models exactly."""

from __future__ import annotations

import ast
import asyncio
import os
import secrets
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from crm_graph.kernel.db import make_engine
from crm_graph.kernel.embedded import create_database, drop_database
from crm_graph.kernel.migrate import check_async, downgrade, upgrade_async
from crm_graph.models import metadata
from crm_graph.platform.authz.defaults import DEFAULT_ROLES
from crm_graph.provisioning import create_tenant

VERSIONS = Path(__file__).resolve().parents[1] / "migrations" / "versions"


async def test_migrate_command_on_an_empty_database(services):
    name = f"crm_mig_{secrets.token_hex(4)}"
    url = await create_database(services.database_url, name)
    try:
        env = {**os.environ, "CRM_DATABASE_URL": url, "CRM_REDIS_URL": services.redis_url}
        subprocess.run([sys.executable, "-m", "crm_graph", "migrate"], env=env, check=True, capture_output=True)
        engine = make_engine(url)
        async with engine.connect() as conn:
            tables = set(
                (await conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).scalars()
            )
        await engine.dispose()
        assert {
            "organizations",
            "contacts",
            "relationships",
            "opportunities",
            "interactions",
            "tasks",
            "pipelines",
            "stages",
            "users",
            "teams",
            "tenants",
            "alembic_version",
        } <= tables
        assert await check_async(url, metadata) == [], "models and migrations differ: autogenerate a revision"
    finally:
        await drop_database(services.database_url, name)


def _imported_modules(tree: ast.Module) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.append(str(node.args[0].value))
    return names


def test_no_revision_imports_application_code():
    """A revision must do tomorrow what it did the day it was written: the data it needs
    (role rules, CHECK lists, SQL helpers) is written into it, never imported from
    crm_graph, whose values change with the code."""
    revisions = sorted(VERSIONS.glob("*.py"))
    assert revisions, f"no revisions found in {VERSIONS}"
    offenders = {
        path.name: bad
        for path in revisions
        if (
            bad := [
                m
                for m in _imported_modules(ast.parse(path.read_text(), str(path)))
                if m == "crm_graph" or m.startswith("crm_graph.")
            ]
        )
    }
    assert offenders == {}, f"revisions importing live application code: {offenders}"


async def tables_of(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return set(
                (await conn.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).scalars()
            )
    finally:
        await engine.dispose()


async def test_every_migration_downgrades_to_base_and_upgrades_again(services):
    """Each revision's downgrade runs (to an empty schema) and the chain upgrades again
    to a schema equal to the models."""
    name = f"crm_mig_{secrets.token_hex(4)}"
    url = await create_database(services.database_url, name)
    try:
        await upgrade_async(url)
        assert "organizations" in await tables_of(url)
        await asyncio.to_thread(downgrade, url, "base")
        assert await tables_of(url) == {"alembic_version"}, "a downgrade left tables behind"
        assert await check_async(url, metadata) == [], "after a downgrade, the upgrade no longer matches the models"
    finally:
        await drop_database(services.database_url, name)


# Two revisions before head: the last ones add tenants.cors_origins and a check on
# relationship endpoint types, both over existing rows.
OLDER = "7c1e5a9d3b20"
SURVIVORS = {
    "tenants": "SELECT slug FROM tenants ORDER BY slug",
    "organizations": "SELECT name FROM organizations ORDER BY id",
    "contacts": "SELECT first_name, last_name, emails FROM contacts ORDER BY id",
    "opportunities": "SELECT name, amount FROM opportunities ORDER BY id",
    "relationships": "SELECT kind, source_type, source_id, target_type, target_id FROM relationships ORDER BY id",
    "audit_log": "SELECT count(*) FROM audit_log",
}


async def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return {table: [tuple(row) for row in await conn.execute(sa.text(sql))] for table, sql in SURVIVORS.items()}
    finally:
        await engine.dispose()


async def test_upgrading_a_database_that_holds_data_keeps_every_row(services):
    name = f"crm_mig_{secrets.token_hex(4)}"
    url = await create_database(services.database_url, name)
    try:
        await upgrade_async(url, OLDER)
        await insert_rows(url)
        before = await snapshot(url)
        assert all(before[table] for table in SURVIVORS), before
        await upgrade_async(url)
        assert await snapshot(url) == before
        engine = make_engine(url)
        async with engine.connect() as conn:
            origins = (await conn.execute(sa.text("SELECT DISTINCT cors_origins FROM tenants"))).scalars().all()
        await engine.dispose()
        assert origins == [[]], "the new column's default reached the existing tenants"
        assert await check_async(url, metadata) == []
    finally:
        await drop_database(services.database_url, name)


async def insert_rows(url: str) -> None:
    """Rows of every kind the later revisions touch, written as plain SQL against the
    older schema (the models describe head)."""
    tenant, user, org, contact, pipeline, stage, deal, edge = (uuid.uuid4() for _ in range(8))
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            statements = [
                ("INSERT INTO tenants (id, slug, name) VALUES (:tenant, 'acme', 'Acme')", {}),
                (
                    (
                        "INSERT INTO users (id, tenant_id, email, name, roles) "
                        "VALUES (:user, :tenant, 'a@acme.example', 'A', ARRAY['admin'])"
                    ),
                    {},
                ),
                (
                    (
                        "INSERT INTO organizations (id, tenant_id, name, owner_id, lifecycle_stage) "
                        "VALUES (:org, :tenant, 'Org', :user, 'lead')"
                    ),
                    {},
                ),
                (
                    (
                        "INSERT INTO contacts (id, tenant_id, first_name, last_name, emails, organization_id, lifecycle_stage, "
                        "email_opt_in, sms_opt_in, do_not_call) "
                        "VALUES (:contact, :tenant, 'Ann', 'Lee', ARRAY['ann@org.example'], :org, 'lead', true, false, false)"
                    ),
                    {},
                ),
                (
                    (
                        "INSERT INTO pipelines (id, tenant_id, name, is_default, stale_after_days) "
                        "VALUES (:pipeline, :tenant, 'Sales', true, 30)"
                    ),
                    {},
                ),
                (
                    (
                        "INSERT INTO stages (id, tenant_id, pipeline_id, name, position, probability, is_won, is_lost) "
                        "VALUES (:stage, :tenant, :pipeline, 'Open', 1, 10, false, false)"
                    ),
                    {},
                ),
                (
                    (
                        "INSERT INTO opportunities (id, tenant_id, name, organization_id, pipeline_id, stage_id, amount, "
                        "currency, status) VALUES (:deal, :tenant, 'Deal', :org, :pipeline, :stage, 1234.50, 'EUR', 'open')"
                    ),
                    {},
                ),
                (
                    (
                        "INSERT INTO relationship_kinds (id, tenant_id, key, label, inverse_label, source_types, target_types, "
                        "\"symmetric\", built_in) VALUES (gen_random_uuid(), :tenant, 'works_at', 'works at', 'employs', "
                        "ARRAY['contact'], ARRAY['organization'], false, true)"
                    ),
                    {},
                ),
                (
                    (
                        "INSERT INTO relationships (id, tenant_id, kind, source_type, source_id, target_type, target_id) "
                        "VALUES (:edge, :tenant, 'works_at', 'contact', :contact, 'organization', :org)"
                    ),
                    {},
                ),
                ("INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (:tenant, 0, '')", {}),
            ]
            ids = {
                "tenant": tenant,
                "user": user,
                "org": org,
                "contact": contact,
                "pipeline": pipeline,
                "stage": stage,
                "deal": deal,
                "edge": edge,
            }
            for sql, extra in statements:
                await conn.execute(sa.text(sql), {**{k: v for k, v in ids.items() if f":{k}" in sql}, **extra})
    finally:
        await engine.dispose()


# The record types this round's domains added (leads, products, quotes, approvals).
SALES_TYPES = {
    "lead",
    "lead_assignment_rule",
    "lead_form",
    "lead_scoring_rule",
    "product",
    "price_book",
    "price_book_entry",
    "quote",
    "quote_line",
    "approval_request",
}


async def _rules(conn: Any, tenant_id: uuid.UUID) -> set[tuple[str, str, str, str, str]]:
    rows = await conn.execute(
        sa.text("SELECT subject, object, action, scope, effect FROM policy_rules WHERE tenant_id = :t AND ptype = 'p'"),
        {"t": tenant_id},
    )
    return {tuple(r) for r in rows if r.object.split(".")[0] in SALES_TYPES}


async def test_an_existing_tenant_gets_the_new_domains_default_rules_a_new_tenant_gets(services):
    name = f"crm_mig_{secrets.token_hex(4)}"
    url = await create_database(services.database_url, name)
    try:
        await upgrade_async(url, "5b7e2c1d9a40")  # before leads, products, quotes and approvals
        old = uuid.uuid4()
        engine = make_engine(url)
        try:
            async with engine.begin() as conn:
                await conn.execute(
                    sa.text("INSERT INTO tenants (id, slug, name) VALUES (:t, 'old', 'Old')"), {"t": old}
                )
                for role in DEFAULT_ROLES:
                    await conn.execute(
                        sa.text(
                            "INSERT INTO roles (id, tenant_id, name, built_in) VALUES (gen_random_uuid(), :t, :n, true)"
                        ),
                        {"t": old, "n": role},
                    )
            await upgrade_async(url)
            async with engine.begin() as conn:
                new = await create_tenant(conn, "new", "New")
                existing, made = await _rules(conn, old), await _rules(conn, new)
        finally:
            await engine.dispose()
        assert made, "the new domains grant the built-in roles something"
        assert existing == made
    finally:
        await drop_database(services.database_url, name)
