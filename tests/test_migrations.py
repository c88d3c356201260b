"""Migrations build the schema from nothing, and match the models exactly."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import sqlalchemy as sa

from crm_graph.db import make_engine
from crm_graph.embedded import create_database, drop_database
from crm_graph.migrate import check_async


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
