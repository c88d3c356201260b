"""Pages on an origin a tenant (or the server) allows can call the API for that tenant;
pages anywhere else get nothing they can read. Tenant admins manage their list."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tests.conftest import SECRET, GraphQLClient, TenantFixture

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings

GLOBAL = "https://everyone.example"
VIEWER = "{ viewer { email } }"
READ = "{ tenantSettings { corsOrigins } }"
UPDATE = """mutation($i: TenantSettingsUpdateInput!) {
  tenantSettingsUpdate(input: $i) {
    settings { corsOrigins }
    errors { __typename message path ... on ValidationError { code } }
  }
}"""


@contextlib.asynccontextmanager
async def api(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """One API process (its own origin cache), with GLOBAL allowed for every tenant."""
    settings = Settings(database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, cors_origins=[GLOBAL])
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://api.test") as c,
    ):
        yield c


@pytest.fixture(scope="module")
async def client(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with api(database_url, redis_url) as c:
        yield c


def token_of(t: TenantFixture) -> str:
    c = t.client()
    assert c.token is not None
    return c.token


async def post(
    client: httpx.AsyncClient,
    token: str | None,
    query: str,
    origin: str | None = None,
    variables: dict[str, Any] | None = None,
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    if origin is not None:
        headers["Origin"] = origin
    return await client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)


async def preflight(
    client: httpx.AsyncClient, origin: str, headers: str = "authorization, content-type"
) -> httpx.Response:
    return await client.options(
        "/graphql",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": headers},
    )


async def set_origins(t: TenantFixture, origins: list[str], through: httpx.AsyncClient | None = None) -> dict[str, Any]:
    """As the tenant's admin, without an Origin; `through` another API process than the shared one."""
    admin = GraphQLClient(through, token_of(t)) if through is not None else t.client()
    data = await admin(UPDATE, {"i": {"corsOrigins": origins}})
    return data["tenantSettingsUpdate"]


def refused(response: httpx.Response) -> None:
    assert response.status_code == 403, response.text
    assert "access-control-allow-origin" not in response.headers
    assert response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN_ORIGIN"


async def test_an_admin_lists_origins_and_reads_them_back_as_browsers_send_them(tenant):
    result = await set_origins(
        tenant,
        [
            "HTTPS://Portal.Example.com:443/",
            "http://localhost:3000",
            "https://portal.example.com",
            "https://bücher.example",
        ],
    )
    assert result["errors"] == []
    expected = ["https://portal.example.com", "http://localhost:3000", "https://xn--bcher-kva.example"]
    assert result["settings"]["corsOrigins"] == expected
    assert (await tenant.client()(READ))["tenantSettings"]["corsOrigins"] == expected
    log = await tenant.client()(
        '{ auditLog(first: 1, filter: {actions: ["tenant.settings_updated"]}) '
        "{ edges { node { action recordType } } } }"
    )
    assert log["auditLog"]["edges"] == [{"node": {"action": "tenant.settings_updated", "recordType": "tenant"}}]


async def test_anything_but_an_origin_is_refused_field_by_field_and_nothing_changes(tenant):
    await set_origins(tenant, ["https://kept.example"])
    bad = [
        "https://ok.example",
        "https://app.example/path",
        "*",
        "https://*.example.com",
        "null",
        "ftp://files.example",
        "https://user:pw@app.example",
        "https://app.example?x=1",
        "app.example",
    ]
    result = await set_origins(tenant, bad)
    assert result["settings"] is None
    assert [(e["path"], e["code"]) for e in result["errors"]] == [
        (["input", "corsOrigins", str(i)], "INVALID_ORIGIN") for i in range(1, len(bad))
    ]
    too_many = await set_origins(tenant, [f"https://a{i}.example" for i in range(51)])
    assert [(e["path"], e["code"]) for e in too_many["errors"]] == [(["input", "corsOrigins"], "TOO_MANY")]
    assert (await tenant.client()(READ))["tenantSettings"]["corsOrigins"] == ["https://kept.example"]


async def test_only_those_who_may_change_tenant_settings_see_or_change_them(tenant):
    rep = tenant.client(await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
    for query, variables in ((READ, None), (UPDATE, {"i": {"corsOrigins": ["https://evil.example"]}})):
        body = (await rep.post(query, variables)).json()
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    assert (await tenant.client()(READ))["tenantSettings"]["corsOrigins"] == []


async def test_a_tenants_origin_may_call_the_api_for_that_tenant_only(tenant, other, client):
    origin = f"https://{tenant.slug}.portal.example"
    await set_origins(tenant, [origin], client)

    # The preflight carries no token: allowed because some tenant lists the origin.
    pre = await preflight(client, origin, "authorization, content-type, graphql-require-preflight")
    assert pre.status_code in (200, 204)
    assert pre.headers["access-control-allow-origin"] == origin
    assert {m.strip() for m in pre.headers["access-control-allow-methods"].split(",")} == {"GET", "POST"}
    allowed_headers = {h.strip().lower() for h in pre.headers["access-control-allow-headers"].split(",")}
    assert {
        "authorization",
        "content-type",
        "graphql-require-preflight",
        "x-requested-with",
        "apollo-require-preflight",
    } <= allowed_headers
    assert int(pre.headers["access-control-max-age"]) > 0
    assert "origin" in pre.headers["vary"].lower()
    assert "access-control-allow-credentials" not in pre.headers  # tokens, never cookies

    ok = await post(client, token_of(tenant), VIEWER, origin)
    assert ok.status_code == 200 and ok.json()["data"]["viewer"]["email"].startswith("admin@"), ok.text
    assert ok.headers["access-control-allow-origin"] == origin
    assert "origin" in ok.headers["vary"].lower()

    # The other tenant's token from the same page: refused before anything runs.
    refused(await post(client, token_of(other), VIEWER, origin))
    # A page the tenant removed is refused at once.
    await set_origins(tenant, [], client)
    refused(await post(client, token_of(tenant), VIEWER, origin))
    refused(await preflight(client, origin))


async def test_an_origin_no_one_lists_gets_no_cors_headers_and_a_403(tenant, client):
    refused(await preflight(client, "https://attacker.example"))
    refused(await post(client, token_of(tenant), VIEWER, "https://attacker.example"))
    # Sandboxed iframes and file:// pages send "null"; it never matches.
    refused(await post(client, token_of(tenant), VIEWER, "null"))
    # A mutation from such a page changes nothing.
    response = await post(
        client,
        token_of(tenant),
        UPDATE,
        "https://attacker.example",
        {"i": {"corsOrigins": ["https://attacker.example"]}},
    )
    refused(response)
    assert (await tenant.client()(READ))["tenantSettings"]["corsOrigins"] == []


async def test_the_servers_global_origins_serve_every_tenant(tenant, other, client):
    assert (await preflight(client, GLOBAL)).headers["access-control-allow-origin"] == GLOBAL
    for t in (tenant, other):
        response = await post(client, token_of(t), VIEWER, GLOBAL)
        assert response.status_code == 200, response.text
        assert response.headers["access-control-allow-origin"] == GLOBAL


async def test_servers_and_same_origin_pages_are_not_affected(tenant, client):
    no_origin = await post(client, token_of(tenant), VIEWER)
    assert no_origin.status_code == 200 and "access-control-allow-origin" not in no_origin.headers
    # The API's own origin (GraphiQL is served from it) needs no listing.
    same = await post(client, token_of(tenant), VIEWER, "http://api.test")
    assert same.status_code == 200 and same.json()["data"]["viewer"], same.text
    fetch_metadata = await client.post(
        "/graphql",
        json={"query": VIEWER},
        headers={
            "Authorization": f"Bearer {token_of(tenant)}",
            "Origin": "https://proxy-terminated.example",
            "Sec-Fetch-Site": "same-origin",
        },
    )
    assert fetch_metadata.status_code == 200, fetch_metadata.text


async def test_an_unauthenticated_answer_is_readable_by_an_allowed_page(tenant, client):
    response = await post(client, None, VIEWER, GLOBAL)
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == GLOBAL


async def test_a_change_reaches_another_api_process_at_once(tenant, client, database_url, redis_url):
    origin = f"https://{tenant.slug}.elsewhere.example"
    async with api(database_url, redis_url) as second:
        refused(await post(second, token_of(tenant), VIEWER, origin))  # the second process caches the lists now
        await set_origins(tenant, [origin], client)  # through the first process
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 2.0  # well within the 5 s the cache would otherwise keep
        while (response := await post(second, token_of(tenant), VIEWER, origin)).status_code != 200:
            assert loop.time() < deadline, "the second process still refuses the origin"
            await asyncio.sleep(0.05)
        assert response.headers["access-control-allow-origin"] == origin
