"""API keys through the public endpoint: created by an admin, shown once, used as a
bearer credential with the key's role, revoked or expired into 401s."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from crm_graph import provisioning
from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity.api_key_models import ApiKey
from crm_graph.platform.identity.auth import issue_token

SECRET = "test-secret-of-at-least-thirty-two-bytes"  # the `http` fixture's (conftest.py)
KEYS = ApiKey.__table__

CREATE = """mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) {
  apiKey { id name prefix role expiresAt lastUsedAt revokedAt createdBy { email } } secret
  errors { __typename message path ... on ValidationError { code } } } }"""
REVOKE = """mutation($id: ID!) { apiKeyRevoke(input: {id: $id}) {
  apiKey { id revokedAt } errors { __typename message } } }"""
LIST = "{ apiKeys(first: 10) { totalCount edges { node { id name prefix role lastUsedAt revokedAt } } } }"


@pytest.fixture(scope="module")
async def keys_http(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=database_url, redis_url=redis_url, jwt_secret=SECRET))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield client


async def call(
    client: httpx.AsyncClient, credential: str, query: str, variables: dict[str, Any] | None = None
) -> httpx.Response:
    return await client.post(
        "/graphql",
        json={"query": query, "variables": variables or {}},
        headers={"Authorization": f"Bearer {credential}"},
    )


async def data(
    client: httpx.AsyncClient, credential: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    response = await call(client, credential, query, variables)
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return dict(body["data"])


def admin(tenant: Any) -> str:
    return issue_token(SECRET, tenant.id, tenant.admin_id)


async def create_key(client: httpx.AsyncClient, tenant: Any, **given: Any) -> dict[str, Any]:
    created = await data(
        client, admin(tenant), CREATE, {"input": {"name": "Billing sync", "role": "integration", **given}}
    )
    payload = created["apiKeyCreate"]
    assert payload["errors"] == [], payload
    return dict(payload)


def assert_refused(response: httpx.Response, says: str) -> None:
    assert response.status_code == 401, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED" and says in error["message"], error


async def test_a_new_key_shows_its_secret_once_and_never_again(keys_http, tenant):
    created = await create_key(keys_http, tenant)
    key, secret = created["apiKey"], created["secret"]
    assert secret.startswith(f"crm_{key['prefix']}_")
    assert key | {"id": None} == {
        "id": None,
        "name": "Billing sync",
        "prefix": key["prefix"],
        "role": "integration",
        "expiresAt": None,
        "lastUsedAt": None,
        "revokedAt": None,
        "createdBy": {"email": f"admin@{tenant.slug}.example"},
    }
    listed = await call(keys_http, admin(tenant), LIST)
    assert listed.json()["data"]["apiKeys"]["edges"][0]["node"]["id"] == key["id"]
    assert secret.split("_", 2)[2] not in listed.text
    async with tenant.engine.connect() as conn:
        stored = (await conn.execute(sa.select(KEYS.c.secret_hash).where(KEYS.c.prefix == key["prefix"]))).scalar()
    assert stored and secret.split("_", 2)[2] not in stored


async def test_the_api_key_type_has_no_secret_fields(keys_http, tenant):
    fields = await data(keys_http, admin(tenant), '{ __type(name: "ApiKey") { fields { name } } }')
    names = {f["name"] for f in fields["__type"]["fields"]}
    assert "prefix" in names and not {n for n in names if "secret" in n.lower() or "hash" in n.lower()}


async def test_a_key_acts_with_its_role_and_records_when_it_was_used(keys_http, tenant):
    secret = (await create_key(keys_http, tenant))["secret"]
    assert (await data(keys_http, secret, "{ organizations(first: 1) { totalCount } }"))["organizations"][
        "totalCount"
    ] == 0
    # The integration role may not manage keys: the key cannot mint more keys.
    forbidden = (await call(keys_http, secret, CREATE, {"input": {"name": "x", "role": "integration"}})).json()
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    async with tenant.engine.connect() as conn:
        first_use = (await conn.execute(sa.select(KEYS.c.last_used_at).where(KEYS.c.tenant_id == tenant.id))).scalar()
    assert first_use is not None and datetime.now(UTC) - first_use < timedelta(minutes=1)
    await data(keys_http, secret, "{ __typename }")
    async with tenant.engine.connect() as conn:
        again = (await conn.execute(sa.select(KEYS.c.last_used_at).where(KEYS.c.tenant_id == tenant.id))).scalar()
    assert again == first_use, "last_used_at is written at most once a minute"
    listed = await data(keys_http, admin(tenant), LIST)
    assert listed["apiKeys"]["edges"][0]["node"]["lastUsedAt"] is not None


async def test_a_revoked_key_is_refused(keys_http, tenant):
    created = await create_key(keys_http, tenant)
    await data(keys_http, created["secret"], "{ __typename }")
    revoked = (await data(keys_http, admin(tenant), REVOKE, {"id": created["apiKey"]["id"]}))["apiKeyRevoke"]
    assert revoked["errors"] == [] and revoked["apiKey"]["revokedAt"] is not None
    assert_refused(await call(keys_http, created["secret"], "{ __typename }"), "revoked")


async def test_an_expired_key_is_refused(keys_http, tenant):
    soon = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    created = await create_key(keys_http, tenant, expiresAt=soon)
    assert created["apiKey"]["expiresAt"] is not None
    await data(keys_http, created["secret"], "{ __typename }")
    async with tenant.engine.begin() as conn:
        await conn.execute(
            sa.update(KEYS)
            .where(KEYS.c.prefix == created["apiKey"]["prefix"])
            .values(expires_at=sa.func.now() - timedelta(seconds=1))
        )
    assert_refused(await call(keys_http, created["secret"], "{ __typename }"), "expired")


async def test_a_wrong_or_unknown_key_is_refused(keys_http, tenant):
    secret = (await create_key(keys_http, tenant))["secret"]
    prefix = secret.split("_")[1]
    wrong = f"crm_{prefix}_" + "A" * 43
    assert_refused(await call(keys_http, wrong, "{ __typename }"), "not valid")
    assert_refused(await call(keys_http, "crm_ffffffffffff_" + "A" * 43, "{ __typename }"), "not valid")
    assert_refused(await call(keys_http, secret[:-1], "{ __typename }"), "not valid")
    assert_refused(await call(keys_http, "crm_" + prefix, "{ __typename }"), "malformed")


@pytest.mark.parametrize(
    ("given", "field", "code"),
    [
        ({"name": " "}, "name", "BLANK"),
        ({"role": "no_such_role"}, "role", "UNKNOWN_ROLE"),
        ({"role": "Not A Role"}, "role", "INVALID"),
        ({"expiresAt": "2001-01-01T00:00:00+00:00"}, "expiresAt", "IN_THE_PAST"),
    ],
)
async def test_bad_key_input_is_reported_per_field(keys_http, tenant, given, field, code):
    payload = (
        await data(keys_http, admin(tenant), CREATE, {"input": {"name": "Sync", "role": "integration", **given}})
    )["apiKeyCreate"]
    assert payload["apiKey"] is None and payload["secret"] is None
    assert [(e["path"], e["code"]) for e in payload["errors"]] == [(["input", field], code)]


async def test_a_sales_rep_may_not_manage_keys(keys_http, tenant):
    rep = issue_token(SECRET, tenant.id, await tenant.user("rep@example.test", ["sales_rep"]))
    for query, variables in ((CREATE, {"input": {"name": "x", "role": "sales_rep"}}), (LIST, None)):
        body = (await call(keys_http, rep, query, variables)).json()
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body


async def test_a_key_cannot_carry_a_role_its_creator_does_not_hold(keys_http, tenant):
    manager = await tenant.user("manager@example.test", ["sales_manager"])
    async with tenant.engine.begin() as conn:  # let sales managers manage keys in this tenant
        await conn.execute(
            sa.text(
                "INSERT INTO policy_rules (tenant_id, ptype, subject, object, action, scope, effect) "
                "VALUES (:t, 'p', 'sales_manager', 'api_key', 'create', 'tenant', 'allow')"
            ),
            {"t": tenant.id},
        )
        await conn.execute(
            sa.text("UPDATE tenants SET policy_version = policy_version + 1 WHERE id = :t"), {"t": tenant.id}
        )
    token = issue_token(SECRET, tenant.id, manager)
    escalate = (await data(keys_http, token, CREATE, {"input": {"name": "x", "role": "admin"}}))["apiKeyCreate"]
    assert escalate["secret"] is None and escalate["errors"][0]["__typename"] == "Forbidden"
    own = (await data(keys_http, token, CREATE, {"input": {"name": "x", "role": "sales_manager"}}))["apiKeyCreate"]
    assert own["errors"] == [] and own["secret"]


async def test_keys_of_another_tenant_are_invisible_and_cannot_be_revoked(keys_http, tenant, engine):
    key_id = (await create_key(keys_http, tenant))["apiKey"]["id"]
    slug = f"o-{uuid.uuid4().hex[:10]}"
    async with engine.begin() as conn:
        other = await provisioning.create_tenant(conn, slug, "Other")
        other_admin = await provisioning.create_user(conn, other, f"admin@{slug}.example", "Admin", ["admin"])
    outsider = issue_token(SECRET, other, other_admin)
    assert (await data(keys_http, outsider, LIST))["apiKeys"]["totalCount"] == 0
    revoke = (await data(keys_http, outsider, REVOKE, {"id": key_id}))["apiKeyRevoke"]
    assert revoke["apiKey"] is None and revoke["errors"][0]["__typename"] == "NotFound"
