"""Apps with particular endpoint settings, for the GraphQL-over-HTTP tests.

`serve_app(database_url, redis_url, **settings)` runs a real app (its lifespan: engines,
Redis, documents, budgets) and yields an httpx client talking to it in this event
loop. Each module builds the few apps it needs once (module-scoped fixtures)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from tests.conftest import SECRET

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity.auth import issue_token

GRAPHQL_RESPONSE = "application/graphql-response+json"


@contextlib.asynccontextmanager
async def serve_app(database_url: str, redis_url: str, **settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    values: dict[str, Any] = {"database_url": database_url, "redis_url": redis_url, "jwt_secret": SECRET, **settings}
    app = create_app(Settings(**values))
    async with app.router.lifespan_context(app):
        # An exception escaping the app becomes a 500, as behind a real server.
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=60) as client:
            yield client


@pytest.fixture(scope="module")
async def dev(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A server with the default settings (development mode), one per test module."""
    async with serve_app(database_url, redis_url) as client:
        yield client


def bearer(tenant: Any, user_id: uuid.UUID | None = None) -> dict[str, str]:
    """The Authorization header of the tenant's admin (or of `user_id`)."""
    return {"Authorization": f"Bearer {issue_token(SECRET, tenant.id, user_id or tenant.admin_id)}"}


async def organization_names(engine: Any, tenant: Any) -> list[str]:
    """Names of the tenant's organizations, read straight from PostgreSQL (owner role)."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            sa.text("SELECT name FROM organizations WHERE tenant_id = :t ORDER BY name"), {"t": tenant.id}
        )
        return [r.name for r in rows]


def create_organization(name: str, selection: str = "organization { id }") -> str:
    """An organizationCreate mutation for `name`, selecting `selection` in its payload."""
    return f'mutation {{ organizationCreate(input: {{name: "{name}"}}) {{ {selection} errors {{ message }} }} }}'
