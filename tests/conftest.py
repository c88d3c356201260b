"""Session-wide PostgreSQL and Redis for the tests.

Real servers when CRM_DATABASE_URL / CRM_REDIS_URL are set, else throwaway embedded
ones in a temporary directory, so `make test` needs nothing installed but Python.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager

import pytest

from crm_graph.embedded import ServiceUrls, create_database, drop_database, start_throwaway_services
from crm_graph.migrate import upgrade_async
from crm_graph.settings import get_settings


@contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for the session, so get_settings() sees it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(name, value)
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServiceUrls]:
    database_url = os.environ.get("CRM_DATABASE_URL")
    redis_url = os.environ.get("CRM_REDIS_URL")
    if database_url and redis_url:
        yield ServiceUrls(database_url, redis_url)
        return
    started = start_throwaway_services(
        tmp_path_factory.mktemp("services"), database_url=database_url, redis_url=redis_url
    )
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="session")
async def database_url(services: ServiceUrls) -> AsyncIterator[str]:
    """A fresh database at the latest migration, dropped after the session."""
    name = f"crm_test_{secrets.token_hex(4)}"
    url = await create_database(services.database_url, name)
    try:
        await upgrade_async(url)
        with _environ("CRM_DATABASE_URL", url):
            yield url
    finally:
        await drop_database(services.database_url, name)


@pytest.fixture(scope="session")
def redis_url(services: ServiceUrls) -> Iterator[str]:
    with _environ("CRM_REDIS_URL", services.redis_url):
        yield services.redis_url


# --- API fixtures ---
