"""The operation timeout: an operation stuck in PostgreSQL (here, behind a table lock
another session holds) is answered TIMEOUT when the timeout passes, its SQL is
cancelled rather than left waiting in the database, and the server carries on."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from tests.http.conftest import (
    bearer,
    create_organization,
    organization_names,
    serve_app,
)

TIMEOUT = 0.5


@pytest.fixture(scope="module")
async def impatient(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_app(database_url, redis_url, operation_timeout_seconds=TIMEOUT) as client:
        yield client


@pytest.fixture(scope="module", params=["compiled", "ordinary"])
async def any_read_path(request: Any, database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The same server, answering queries on the compiled read path (asyncpg's read
    pool) or the ordinary way (SQLAlchemy's pool)."""
    compiled = request.param == "compiled"
    async with serve_app(database_url, redis_url, operation_timeout_seconds=TIMEOUT, compiled_reads=compiled) as client:
        yield client


@contextlib.asynccontextmanager
async def organizations_locked(engine: Any) -> AsyncIterator[Any]:
    """Another session holds an exclusive lock on organizations until the block ends."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            await conn.execute(sa.text("LOCK TABLE organizations IN ACCESS EXCLUSIVE MODE"))
            yield conn
        finally:
            await transaction.rollback()


async def still_running(conn: Any) -> list[dict[str, Any]]:
    """The API's sessions in this database that are doing or waiting for anything."""
    rows = await conn.execute(
        sa.text("""
        SELECT pid, state, wait_event_type, wait_event, left(query, 200) AS query
        FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'crm-graph'
          AND pid <> pg_backend_pid() AND state IS DISTINCT FROM 'idle'""")
    )
    return [dict(r._mapping) for r in rows]


async def cancelled_while_locked(conn: Any, within: float = 3.0) -> list[dict[str, Any]]:
    """The API's sessions still busy after at most `within` seconds, asked while the lock
    is still held. Cancelling a backend is asynchronous (PostgreSQL acts on the cancel
    request at its next interrupt check), so the answer may reach the client a moment
    before the backend is idle; a statement that was never cancelled would wait for the
    lock for as long as it is held and is still listed here."""
    deadline = time.monotonic() + within
    while True:
        busy = await still_running(conn)
        if not busy or time.monotonic() >= deadline:
            return busy
        await asyncio.sleep(0.05)


async def answered(client: httpx.AsyncClient, tenant: Any, query: str) -> dict[str, Any]:
    """`data` of an operation that must succeed. After a timeout the pool replaces the
    dropped connection, and a new connection's first statements (asyncpg's type
    look-ups) can take most of 0.5 s on a loaded machine: one TIMEOUT is retried."""
    for attempt in range(2):
        response = await client.post("/graphql", json={"query": query}, headers=bearer(tenant))
        if response.status_code == 504 and attempt == 0:
            continue
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return dict(body["data"])
    raise AssertionError("unreachable")


async def test_a_query_stuck_in_postgresql_times_out_and_leaves_nothing_running(any_read_path, tenant, engine):
    impatient = any_read_path
    query = "{ organizations(first: 10) { totalCount edges { node { name } } } }"
    async with organizations_locked(engine) as lock:
        started = time.perf_counter()
        response = await impatient.post("/graphql", json={"query": query}, headers=bearer(tenant))
        elapsed = time.perf_counter() - started

        assert response.status_code == 504, response.text
        body = response.json()
        assert "data" not in body or body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "TIMEOUT", body
        assert "0.5 s" in body["errors"][0]["message"]
        assert "organizations" not in body["errors"][0]["message"]  # no SQL
        assert TIMEOUT <= elapsed < TIMEOUT + 2.5, f"answered after {elapsed:.2f} s"
        # Before the lock is released: the statement was cancelled, not left waiting.
        assert await cancelled_while_locked(lock) == []

    # The server carries on (no connection of its pool was left broken).
    for _ in range(3):
        assert (await answered(impatient, tenant, query))["organizations"]["totalCount"] == 0


async def test_a_mutation_that_times_out_changes_nothing(impatient, tenant, engine):
    name = f"Timed out {uuid.uuid4().hex[:6]}"
    async with organizations_locked(engine) as lock:
        response = await impatient.post("/graphql", json={"query": create_organization(name)}, headers=bearer(tenant))

        assert response.status_code == 504, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "TIMEOUT"
        assert await cancelled_while_locked(lock) == []

    assert name not in await organization_names(engine, tenant)
    later = f"After {uuid.uuid4().hex[:6]}"
    assert (await answered(impatient, tenant, create_organization(later)))["organizationCreate"]["errors"] == []
    assert later in await organization_names(engine, tenant)


@contextlib.asynccontextmanager
async def outbox_locked(engine: Any) -> AsyncIterator[Any]:
    """Another session holds an exclusive lock on the event outbox until the block ends:
    every read a subscription makes of it waits."""
    async with engine.connect() as conn:
        transaction = await conn.begin()
        try:
            await conn.execute(sa.text("LOCK TABLE outbox IN ACCESS EXCLUSIVE MODE"))
            yield conn
        finally:
            await transaction.rollback()


async def test_a_subscription_over_sse_stuck_in_postgresql_times_out(impatient, tenant, engine):
    # A real subscription: on joining, it reads the outbox's newest event, which waits
    # behind the lock; the same statement timeout as an operation's must cancel it.
    subscription = "subscription { events { id type } }"
    async with outbox_locked(engine) as lock:
        started = time.perf_counter()
        response = await asyncio.wait_for(
            impatient.post(
                "/graphql", json={"query": subscription}, headers={**bearer(tenant), "Accept": "text/event-stream"}
            ),
            10,
        )
        elapsed = time.perf_counter() - started

        assert response.headers["content-type"].startswith("text/event-stream"), response.text
        payloads = [
            json.loads(line[len("data:") :])
            for line in response.text.splitlines()
            if line.startswith("data:") and line[len("data:") :].strip()
        ]
        errors = [e for p in payloads for e in p.get("errors", [])]
        assert [e["extensions"]["code"] for e in errors] == ["TIMEOUT"], response.text
        assert "0.5 s" in errors[0]["message"]
        assert "outbox" not in errors[0]["message"]  # no SQL
        assert elapsed < TIMEOUT + 2.5, f"answered after {elapsed:.2f} s"
        assert await cancelled_while_locked(lock) == []


async def test_an_operation_within_the_timeout_is_untouched(impatient, tenant):
    response = await impatient.post("/graphql", json={"query": "{ viewer { email } }"}, headers=bearer(tenant))

    assert response.status_code == 200
    assert response.json()["data"] == {"viewer": {"email": f"admin@{tenant.slug}.example"}}
