"""Fixtures of the live-event tests: two API instances, and the worker's relay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Redis
from tests.events.test_subscriptions import Server

from crm_graph.platform.events.relay import Relay


@pytest.fixture(scope="module")
async def servers(database_url: str, redis_url: str) -> AsyncIterator[tuple[Server, Server]]:
    """Two API instances sharing PostgreSQL and Redis."""
    a, b = Server(database_url, redis_url), Server(database_url, redis_url)
    await a.start()
    await b.start()
    yield a, b
    await a.stop()
    await b.stop()


@pytest.fixture
async def relaying(engine: Any, redis_url: str, database_url: str) -> AsyncIterator[None]:
    """The worker's relay, copying the outbox into the streams as it commits."""
    redis = Redis.from_url(redis_url)
    relay = Relay(engine, redis, database_url, poll_interval=0.2)
    await relay.start()
    yield
    await relay.stop()
    await redis.aclose()
