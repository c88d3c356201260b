"""Fixtures of the differential tests: the API's database role, and users of the demo tenant."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from tests.compiled.paths import Both

from crm_graph.kernel.db import APP_ROLE, make_engine


@pytest.fixture(scope="session")
async def app_engine(database_url: str) -> AsyncIterator[Any]:
    """Connections as the API's role: row-level security applies, as in production."""
    eng = make_engine(database_url, pool_size=2, role=APP_ROLE)
    yield eng
    await eng.dispose()


@pytest.fixture(autouse=True)
def _quiet_strawberry() -> None:
    logging.getLogger("strawberry.execution").setLevel(logging.CRITICAL)


@pytest.fixture(scope="module")
def as_user_module(demo: Any, app_engine: Any) -> Any:
    def make(email: str) -> Both:
        tid, uid = demo.users[email]
        return Both(app_engine, tid, uid)

    return make


@pytest.fixture
def as_user(demo: Any, app_engine: Any) -> Any:
    def make(email: str) -> Both:
        tid, uid = demo.users[email]
        return Both(app_engine, tid, uid)

    return make
