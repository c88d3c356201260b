"""Shared pieces of the benchmarks: a dedicated database, and reporting."""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from crm_graph.kernel.embedded import create_database, drop_database, start_throwaway_services
from crm_graph.kernel.migrate import upgrade_async

RESULTS = Path(__file__).resolve().parent / "results"


@asynccontextmanager
async def bench_database(name: str) -> AsyncIterator[tuple[str, str]]:
    """A fresh, migrated database (on CRM_DATABASE_URL's server, else an embedded one)."""
    services = None
    database_url, redis_url = os.environ.get("CRM_DATABASE_URL"), os.environ.get("CRM_REDIS_URL")
    if not (database_url and redis_url):
        services = start_throwaway_services(
            tempfile.mkdtemp(prefix="crm-bench-"), database_url=database_url, redis_url=redis_url
        )
        database_url, redis_url = services.database_url, services.redis_url
    db_name = f"crm_bench_{name}_{secrets.token_hex(3)}"
    url = await create_database(database_url, db_name)
    try:
        await upgrade_async(url)
        yield url, redis_url
    finally:
        await drop_database(database_url, db_name)
        if services is not None:
            services.stop()


@asynccontextmanager
async def server_database() -> AsyncIterator[str]:
    """The PostgreSQL server's URL (CRM_DATABASE_URL's, else an embedded one's), for a
    benchmark that makes its own databases on it."""
    services = None
    database_url = os.environ.get("CRM_DATABASE_URL")
    if not database_url:
        services = start_throwaway_services(tempfile.mkdtemp(prefix="crm-bench-"), redis_url="unused")
        database_url = services.database_url
    try:
        yield database_url
    finally:
        if services is not None:
            services.stop()


def report(name: str, results: dict[str, Any]) -> None:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{date.today().isoformat()}-{name}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    print(f"written to {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}")
