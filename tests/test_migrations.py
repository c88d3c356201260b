"""Migrations build the schema from nothing, and match the models exactly."""

from __future__ import annotations

import ast
import os
import secrets
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from crm_graph.db import make_engine
from crm_graph.embedded import create_database, drop_database
from crm_graph.migrate import check_async

VERSIONS = Path(__file__).resolve().parents[1] / "migrations" / "versions"


async def test_migrate_command_on_an_empty_database(services):
    name = f"crm_mig_{secrets.token_hex(4)}"
    url = await create_database(services.database_url, name)
    try:
        env = {**os.environ, "CRM_DATABASE_URL": url, "CRM_REDIS_URL": services.redis_url}
        subprocess.run([sys.executable, "-m", "crm_graph", "migrate"], env=env, check=True, capture_output=True)
        engine = make_engine(url)
        async with engine.connect() as conn:
            tables = set((await conn.execute(sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))).scalars())
        await engine.dispose()
        assert {"organizations", "contacts", "relationships", "opportunities", "interactions", "tasks",
                "pipelines", "stages", "users", "teams", "tenants", "alembic_version"} <= tables
        assert await check_async(url) == [], "models and migrations differ: autogenerate a revision"
    finally:
        await drop_database(services.database_url, name)


def _imported_modules(tree: ast.Module) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
        elif (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None))
              in ("import_module", "__import__") and node.args and isinstance(node.args[0], ast.Constant)):
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
        if (bad := [m for m in _imported_modules(ast.parse(path.read_text(), str(path)))
                    if m == "crm_graph" or m.startswith("crm_graph.")])
    }
    assert offenders == {}, f"revisions importing live application code: {offenders}"
