"""What the audit log records about who sent a change: the request id the caller gave
only when it is short and plain, and the client address from X-Forwarded-For only
when the connection comes from a configured proxy."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pydantic
import pytest
import sqlalchemy as sa
from tests.http.conftest import bearer, create_organization, serve_app

from crm_graph.kernel.settings import Settings

GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture(scope="module")
async def behind_proxy(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """The test client connects from 127.0.0.1, configured here as a trusted proxy."""
    async with serve_app(database_url, redis_url, trusted_proxies=["127.0.0.0/8", "10.0.0.0/8"]) as client:
        yield client


async def audited(client: httpx.AsyncClient, engine: Any, tenant: Any, headers: dict[str, Any]) -> Any:
    """Creates an organization with `headers`; its audit entry's request id and address."""
    name = f"Peer {uuid.uuid4().hex[:8]}"
    response = await client.post(
        "/graphql", json={"query": create_organization(name)}, headers={**bearer(tenant), **headers}
    )
    assert response.json()["data"]["organizationCreate"]["errors"] == [], response.text
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                sa.text(
                    "SELECT request_id, client_address FROM audit_log WHERE tenant_id = :t ORDER BY seq DESC LIMIT 1"
                ),
                {"t": tenant.id},
            )
        ).one()
    return row


async def test_a_plain_request_id_is_kept_and_any_other_replaced(dev, engine, tenant):
    kept = await audited(dev, engine, tenant, {"X-Request-Id": "trace-01HZ.abc:42_x"})
    assert kept.request_id == "trace-01HZ.abc:42_x"

    for sent in ("r" * 129, "line\nbreak", "<script>", "spaced id", "café".encode(), "a\x1b[31m"):
        row = await audited(dev, engine, tenant, {"X-Request-Id": sent})
        assert GENERATED.fullmatch(row.request_id), (sent, row.request_id)

    longest = "r" * 128
    assert (await audited(dev, engine, tenant, {"X-Request-Id": longest})).request_id == longest


async def test_x_forwarded_for_is_ignored_without_trusted_proxies(dev, engine, tenant):
    row = await audited(dev, engine, tenant, {"X-Forwarded-For": "203.0.113.9"})
    assert row.client_address == "127.0.0.1"


async def test_x_forwarded_for_from_a_trusted_proxy_names_the_client(behind_proxy, engine, tenant):
    row = await audited(behind_proxy, engine, tenant, {"X-Forwarded-For": "203.0.113.9"})
    assert row.client_address == "203.0.113.9"
    # What the client wrote left of the proxies' hops is not believed: the right-most
    # address that is not a trusted proxy is the client.
    row = await audited(behind_proxy, engine, tenant, {"X-Forwarded-For": "198.51.100.1, 203.0.113.9, 10.1.2.3"})
    assert row.client_address == "203.0.113.9"
    row = await audited(behind_proxy, engine, tenant, {"X-Forwarded-For": "not-an-address"})
    assert row.client_address == "127.0.0.1"


def test_a_malformed_trusted_proxy_stops_the_app_at_start():
    with pytest.raises(pydantic.ValidationError, match="trusted_proxies"):
        Settings(trusted_proxies=["10.0.0.0/33"])
