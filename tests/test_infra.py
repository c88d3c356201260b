"""Embedded PostgreSQL and Redis: shared between processes, data kept, stopped clean."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
import redis.asyncio as aioredis
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from crm_graph.kernel.embedded import ServiceUrls, ensure_services
from crm_graph.kernel.settings import Settings

REUSE = """
import json
from crm_graph.kernel.embedded import ensure_services
from crm_graph.kernel.settings import Settings
s = ensure_services(Settings())
print(json.dumps([s.database_url, s.redis_url, s.postgres_pid, s.redis_pid]))
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The session fixtures may have pointed these at the test servers.
    monkeypatch.delenv("CRM_DATABASE_URL", raising=False)
    monkeypatch.delenv("CRM_REDIS_URL", raising=False)
    monkeypatch.setenv("CRM_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def foreign_listener() -> Iterator[int]:
    """A port held by some other program, as the preferred Redis port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        return bool(psutil.Process(pid).status() != psutil.STATUS_ZOMBIE)
    except psutil.NoSuchProcess:
        return False


def _postmasters(pgdata: Path) -> list[int]:
    return [
        p.pid
        for p in psutil.process_iter(["name", "cmdline"])
        if p.info["name"] == "postgres" and str(pgdata) in (p.info["cmdline"] or []) and _alive(p.pid)
    ]


async def _sql(url: str, *statements: str) -> object:
    """Run statements in one transaction; returns the last one's scalar."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            for statement in statements:
                result = await conn.execute(sa.text(statement))
            return result.scalar() if result.returns_rows else None
    finally:
        await engine.dispose()


def _assert_stopped(services: ServiceUrls, data_dir: Path) -> None:
    assert services.postgres_pid and services.redis_pid
    assert not _alive(services.postgres_pid), "PostgreSQL still running after stop()"
    assert not _alive(services.redis_pid), "Redis still running after stop()"
    assert _postmasters((data_dir / "postgres").resolve()) == [], "a postmaster outlived stop()"
    assert json.loads((data_dir / "services.json").read_text()) == {}


def test_real_servers_are_used_as_given(tmp_path: Path) -> None:
    settings = Settings(
        database_url="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
        redis_url="redis://127.0.0.1:6379/0",
        data_dir=tmp_path / "data",
    )
    services = ensure_services(settings)
    assert (services.database_url, services.redis_url) == (settings.database_url, settings.redis_url)
    assert services.postgres_pid is None and services.redis_pid is None
    services.stop()
    assert not settings.data_dir.exists(), "nothing embedded should be started"


async def test_a_second_process_shares_the_running_servers(data_dir: Path, foreign_listener: int) -> None:
    services = ensure_services(Settings(embedded_redis_port=foreign_listener))
    try:
        assert services.database_url.startswith("postgresql+asyncpg://")
        assert services.redis_url != f"redis://127.0.0.1:{foreign_listener}/0", "took a busy port"
        assert await _sql(services.database_url, "SELECT current_database()") == "crm"
        assert await aioredis.Redis.from_url(services.redis_url).ping()

        child = subprocess.run([sys.executable, "-c", REUSE], capture_output=True, text=True, env=os.environ)
        assert child.returncode == 0, child.stderr
        assert json.loads(child.stdout) == [
            services.database_url,
            services.redis_url,
            services.postgres_pid,
            services.redis_pid,
        ], "the second process started its own servers"
        # Only the starter stops the servers: the exited child must not have.
        assert await _sql(services.database_url, "SELECT 1") == 1
        assert await aioredis.Redis.from_url(services.redis_url).ping()
    finally:
        services.stop()
    _assert_stopped(services, data_dir)


async def test_data_survives_a_restart(data_dir: Path) -> None:
    first = ensure_services(Settings())
    try:
        await _sql(first.database_url, "CREATE TABLE kept (note text)", "INSERT INTO kept VALUES ('hello')")
        await aioredis.Redis.from_url(first.redis_url).set("kept", "hello")
    finally:
        first.stop()
    _assert_stopped(first, data_dir)

    second = ensure_services(Settings())
    try:
        assert second.postgres_pid != first.postgres_pid
        assert await _sql(second.database_url, "SELECT note FROM kept") == "hello"
        assert await aioredis.Redis.from_url(second.redis_url).get("kept") == b"hello"
    finally:
        second.stop()
    _assert_stopped(second, data_dir)
