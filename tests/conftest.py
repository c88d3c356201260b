"""Session-wide PostgreSQL and Redis for the tests.

Real servers when CRM_DATABASE_URL / CRM_REDIS_URL are set, else throwaway embedded
ones in a temporary directory, so `make test` needs nothing installed but Python.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import orjson
import pytest
import sqlalchemy as sa

import graphql
from crm_graph import provisioning
from crm_graph.app import create_app
from crm_graph.kernel.db import make_engine, statement_counter, uncounted
from crm_graph.kernel.embedded import ServiceUrls, create_database, drop_database, start_throwaway_services
from crm_graph.kernel.migrate import upgrade_async
from crm_graph.kernel.settings import Settings, get_settings
from crm_graph.platform.authz.rls import APP_ROLE
from crm_graph.platform.identity.auth import issue_token
from crm_graph.platform.identity.models import Tenant, User


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
# Each test that writes gets a fresh tenant of its own (`tenant`), so tests never see
# each other's data; read-only tests share the seeded demo tenants (`demo`).
SECRET = "test-secret-of-at-least-thirty-two-bytes"


def without_extensions(body: dict[str, Any]) -> dict[str, Any]:
    """A response body without `extensions` (the cost report), for comparing answers."""
    return {k: v for k, v in body.items() if k != "extensions"}


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient
    token: str | None = None

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)

    async def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run an operation that must succeed without GraphQL errors; returns `data`."""
        response = await self.post(query, variables)
        body = response.json()
        assert response.status_code == 200, body
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def counted(self, query: str, variables: dict[str, Any] | None = None) -> tuple[dict[str, Any], int]:
        """`data` and the number of SQL statements the request sent."""
        async with statement_counter() as n:
            data = await self(query, variables)
        return data, n[0]


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[Any]:
    eng = make_engine(database_url, pool_size=2)
    yield eng
    await eng.dispose()


@asynccontextmanager
async def unreadable(engine: Any, table: str) -> AsyncIterator[None]:
    """The API's database role may not read `table` meanwhile: every statement that
    reads it fails in PostgreSQL (a genuine unexpected failure, no mock)."""
    async with engine.begin() as conn:
        await conn.execute(sa.text(f"REVOKE SELECT ON {table} FROM {APP_ROLE}"))
    try:
        yield
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.text(f"GRANT SELECT ON {table} TO {APP_ROLE}"))


def _in_order(value: Any) -> Any:
    """JSON with its key order made visible to ==."""
    if isinstance(value, dict):
        return [(k, _in_order(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_in_order(v) for v in value]
    return value


def _query_operation(request: httpx.Request) -> bool:
    if request.method != "POST" or request.url.path != "/graphql":
        return False
    try:
        params = orjson.loads(request.content)
        document = graphql.parse(params["query"])
        operation = graphql.get_operation_ast(document, params.get("operationName"))
    except (orjson.JSONDecodeError, KeyError, TypeError, graphql.GraphQLError):  # not a query to run twice
        return False
    return operation is not None and operation.operation is graphql.OperationType.QUERY


class BothPaths(httpx.AsyncBaseTransport):
    """Runs every query operation on the compiled and on the ordinary read path (two
    apps on one database) and fails the test unless both answer the same, key order
    included; the compiled path's response is the one the test sees."""

    def __init__(self, compiled: Any, ordinary: Any) -> None:
        self.compiled = httpx.ASGITransport(app=compiled)
        self.ordinary = httpx.ASGITransport(app=ordinary)
        self.compared = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.compiled.handle_async_request(request)
        if not _query_operation(request):
            return response
        body = await response.aread()
        with uncounted():
            expected = await self.ordinary.handle_async_request(request)
            expected_body = await expected.aread()
        ours, theirs = orjson.loads(body), orjson.loads(expected_body)
        assert (response.status_code, _in_order(ours)) == (expected.status_code, _in_order(theirs)), (
            f"compiled and ordinary paths differ for {request.content!r}:\n{body!r}\n{expected_body!r}"
        )
        self.compared += 1
        return httpx.Response(response.status_code, headers=response.headers, content=body)


@pytest.fixture(scope="session")
async def apps(database_url: str, redis_url: str) -> AsyncIterator[tuple[Any, Any]]:
    """The API twice on one database: with the compiled read path, and without it."""
    settings = Settings(database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, compiled_reads=True)
    compiled = create_app(settings)
    ordinary = create_app(settings.model_copy(update={"compiled_reads": False}))
    async with compiled.router.lifespan_context(compiled), ordinary.router.lifespan_context(ordinary):
        yield compiled, ordinary


@pytest.fixture(scope="session")
async def http(apps: tuple[Any, Any]) -> AsyncIterator[httpx.AsyncClient]:
    """The API in-process. Query operations run on both read paths (BothPaths)."""
    async with httpx.AsyncClient(transport=BothPaths(*apps), base_url="http://test") as client:
        yield client


@pytest.fixture(scope="session")
async def http_ordinary(apps: tuple[Any, Any]) -> AsyncIterator[httpx.AsyncClient]:
    """The API with every operation on the ordinary executor (resolvers and loaders)."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[1]), base_url="http://test") as client:
        yield client


@dataclass
class TenantFixture:
    """A fresh tenant with an admin; `user(...)` adds users, `client(...)` acts as one."""

    id: uuid.UUID
    slug: str
    admin_id: uuid.UUID
    engine: Any
    http: httpx.AsyncClient
    users: dict[str, uuid.UUID] = field(default_factory=dict)

    def client(self, user_id: uuid.UUID | None = None) -> GraphQLClient:
        return GraphQLClient(self.http, issue_token(SECRET, self.id, user_id or self.admin_id))

    async def user(self, email: str, roles: list[str], team_id: uuid.UUID | None = None) -> uuid.UUID:
        async with self.engine.begin() as conn:
            uid = await provisioning.create_user(conn, self.id, email, email.split("@")[0], roles, team_id)
        self.users[email] = uid
        return uid


@pytest.fixture
async def tenant(engine: Any, http: httpx.AsyncClient) -> TenantFixture:
    return await _new_tenant(engine, http, "t")


@pytest.fixture
async def other(engine: Any, http: httpx.AsyncClient) -> TenantFixture:
    """A second, unrelated tenant with its own admin: for isolation checks."""
    return await _new_tenant(engine, http, "o")


async def _new_tenant(engine: Any, http: httpx.AsyncClient, prefix: str) -> TenantFixture:
    slug = f"{prefix}-{uuid.uuid4().hex[:10]}"
    async with engine.begin() as conn:
        tid = await provisioning.create_tenant(conn, slug, f"Tenant {slug}")
        admin = await provisioning.create_user(conn, tid, f"admin@{slug}.example", "Admin", ["admin"])
    return TenantFixture(tid, slug, admin, engine, http, {f"admin@{slug}.example": admin})


@pytest.fixture
def gql(tenant: TenantFixture) -> GraphQLClient:
    """A client acting as the fresh tenant's admin."""
    return tenant.client()


@dataclass
class Demo:
    tenants: dict[str, uuid.UUID]
    users: dict[str, tuple[uuid.UUID, uuid.UUID]]  # email -> (tenant id, user id)
    http: httpx.AsyncClient

    def client(self, email: str) -> GraphQLClient:
        tid, uid = self.users[email]
        return GraphQLClient(self.http, issue_token(SECRET, tid, uid))


@pytest.fixture(scope="session")
async def demo(database_url: str, engine: Any, http: httpx.AsyncClient) -> Demo:
    """The demo data (`crm-graph seed --demo`, 40 organizations), seeded once per session."""
    from crm_graph.seed import seed_demo

    await seed_demo(database_url, organizations=40, seed=7)
    async with engine.connect() as conn:
        tenants = {r.slug: r.id for r in (await conn.execute(sa.select(Tenant.__table__))).all()}
        rows = (
            await conn.execute(sa.select(User.__table__.c.email, User.__table__.c.tenant_id, User.__table__.c.id))
        ).all()
    return Demo(tenants, {r.email: (r.tenant_id, r.id) for r in rows}, http)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How the suite's query operations were answered (crm_graphql_compiled_total):
    the compiled read path's share, and why the others fell back."""
    from crm_graph.platform.observability.metrics import COMPILED

    counts: dict[tuple[str, str], float] = {}
    for metric in COMPILED.collect():
        for sample in metric.samples:
            if sample.name.endswith("_total") and sample.value:
                counts[(sample.labels["path"], sample.labels["reason"])] = sample.value
    total = sum(counts.values())
    if not total:
        return
    compiled = counts.get(("compiled", ""), 0)
    others = ", ".join(
        f"{path} {reason or '-'} {int(n)}"
        for (path, reason), n in sorted(counts.items(), key=lambda kv: -kv[1])
        if path != "compiled"
    )
    terminalreporter.write_line(
        f"compiled read path: {int(compiled)} of {int(total)} query operations "
        f"({100 * compiled / total:.1f}%); the others: {others}"
    )
