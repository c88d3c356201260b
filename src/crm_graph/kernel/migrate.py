"""Alembic, run from code: `upgrade` to head, and `check` that migrations match the models."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import pool
from sqlalchemy.ext.asyncio import create_async_engine

__all__ = ["CONTEXT_OPTIONS", "check", "check_async", "downgrade", "upgrade", "upgrade_async"]

# The repository root, holding alembic.ini and migrations/ (the package is installed
# editable from src/, so these files are not inside the package).
ROOT = Path(__file__).resolve().parents[3]

# Shared by migrations/env.py and check(), so both compare the schema the same way.
CONTEXT_OPTIONS: dict[str, Any] = {"compare_type": True}


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    # Config values go through configparser interpolation: a URL-encoded socket path
    # (%2F) would be read as an interpolation and fail.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """`alembic upgrade head`. Sync: env.py calls asyncio.run, so use upgrade_async in a loop."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    """`alembic downgrade <revision>` ("base": an empty schema). Sync, like upgrade."""
    command.downgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str, revision: str = "head") -> None:
    await asyncio.to_thread(upgrade, database_url, revision)


def check(database_url: str, metadata: sa.MetaData) -> list[Any]:
    """Upgrade to head, then return what autogenerate would still change against
    `metadata` (every table: crm_graph.models.metadata) ([] when current).

    Each item is an Alembic diff tuple such as ("add_table", Table) or a list of
    column modifications.
    """
    upgrade(database_url)
    return asyncio.run(_diff(database_url, metadata))


async def check_async(database_url: str, metadata: sa.MetaData) -> list[Any]:
    return await asyncio.to_thread(check, database_url, metadata)


async def _diff(database_url: str, metadata: sa.MetaData) -> list[Any]:
    engine = create_async_engine(database_url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync_conn: compare_metadata(
                    MigrationContext.configure(sync_conn, opts=CONTEXT_OPTIONS), metadata
                )
            )
    finally:
        await engine.dispose()
