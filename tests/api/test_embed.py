"""Embed tokens for the widget: made by an API key for its own role, minutes long, for
an origin the tenant allows, refused once expired, from another page, or after the key
is revoked."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt
import pytest
from tests.api.test_api_keys import REVOKE, admin, call, create_key, data
from tests.conftest import SECRET

from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity import embed
from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import entity

PORTAL = "https://portal.example.com"
SISTER = "https://sister.example.com"  # also allowed for the tenant, but not the token's origin
CREATE = """mutation($input: EmbedTokenCreateInput!) { embedTokenCreate(input: $input) {
  token expiresAt errors { __typename message path ... on ValidationError { code } } } }"""
COUNT = "{ organizations(first: 1) { totalCount } }"


@pytest.fixture
async def key(http: httpx.AsyncClient, tenant: Any) -> str:
    """An integration key of a tenant whose pages on PORTAL may call the API."""
    allowed = await data(
        http,
        admin(tenant),
        "mutation($o: [String!]) { tenantSettingsUpdate(input: {corsOrigins: $o}) { errors { message } } }",
        {"o": [PORTAL, SISTER]},
    )
    assert allowed["tenantSettingsUpdate"]["errors"] == []
    created = await create_key(http, tenant)
    return str(created["secret"])


async def make(http: httpx.AsyncClient, credential: str, **given: Any) -> dict[str, Any]:
    body = (await call(http, credential, CREATE, {"input": {"origin": PORTAL, **given}})).json()
    assert not body.get("errors"), body
    return dict(body["data"]["embedTokenCreate"])


def claims(token: str) -> dict[str, Any]:
    return dict(jwt.decode(token.removeprefix("embed_"), options={"verify_signature": False}))


async def test_a_key_gets_a_token_bound_to_tenant_role_origin_and_minutes(http, tenant, key):
    made = await make(http, key, ttlMinutes=5)
    assert made["errors"] == [] and made["token"].startswith("embed_")
    expires = datetime.fromisoformat(made["expiresAt"])
    assert timedelta(minutes=4) < expires - datetime.now(UTC) <= timedelta(minutes=5)
    said = claims(made["token"])
    assert (said["tid"], said["role"], said["org"], said["rec"]) == (str(tenant.id), "integration", PORTAL, None)
    # It works as the key does, from the portal's pages and from the widget frame (no cross origin).
    for origin in ({"Origin": PORTAL}, {}):
        response = await http.post(
            "/graphql", json={"query": COUNT}, headers={"Authorization": f"Bearer {made['token']}", **origin}
        )
        assert response.status_code == 200 and "errors" not in response.json(), response.text


async def test_the_default_lifetime_is_ten_minutes_and_at_most_an_hour(http, key):
    made = await make(http, key)
    assert timedelta(minutes=9) < datetime.fromisoformat(made["expiresAt"]) - datetime.now(UTC) <= timedelta(minutes=10)
    for bad in (0, 61):
        refused = await make(http, key, ttlMinutes=bad)
        assert refused["token"] is None
        assert [(e["path"], e["code"]) for e in refused["errors"]] == [(["input", "ttlMinutes"], "OUT_OF_RANGE")]


async def test_an_origin_the_tenant_does_not_allow_gets_no_token(http, key):
    for origin, code in (
        ("https://elsewhere.example.com", "ORIGIN_NOT_ALLOWED"),
        ("not an origin", "INVALID_ORIGIN"),
        (PORTAL + "/path", "INVALID_ORIGIN"),
    ):
        refused = await make(http, key, origin=origin)
        assert refused["token"] is None
        assert [(e["__typename"], e["path"], e["code"]) for e in refused["errors"]] == [
            ("ValidationError", ["input", "origin"], code)
        ]


async def test_only_the_keys_own_role_and_only_keys(http, tenant, key):
    other_role = await make(http, key, role="admin")
    assert other_role["token"] is None
    assert [(e["__typename"], e["path"]) for e in other_role["errors"]] == [("Forbidden", ["input", "role"])]
    by_user = await make(http, admin(tenant))
    assert by_user["token"] is None and by_user["errors"][0]["__typename"] == "Forbidden"


async def test_a_record_binding_takes_a_contact_or_organization_id(http, tenant, key):
    organization = (
        await data(
            http, admin(tenant), 'mutation { organizationCreate(input: {name: "Bound"}) { organization { id } } }'
        )
    )["organizationCreate"]["organization"]
    made = await make(http, key, recordId=organization["id"])
    assert claims(made["token"])["rec"] == organization["id"]
    refused = await make(http, key, recordId=to_global_id(entity("User"), tenant.admin_id))
    assert refused["token"] is None and refused["errors"][0]["path"] == ["input", "recordId"]


async def test_another_tenants_record_is_not_found(http, other, key):
    theirs = (
        await data(
            http, admin(other), 'mutation { organizationCreate(input: {name: "Theirs"}) { organization { id } } }'
        )
    )["organizationCreate"]["organization"]["id"]
    for record in (theirs, to_global_id(entity("Organization"), uuid.uuid4())):
        refused = await make(http, key, recordId=record)
        assert refused["token"] is None
        assert [(e["__typename"], e["path"]) for e in refused["errors"]] == [("NotFound", ["input", "recordId"])]


async def test_the_token_is_refused_from_another_origin(http, key):
    made = await make(http, key)
    sister = await http.post(
        "/graphql", json={"query": COUNT}, headers={"Authorization": f"Bearer {made['token']}", "Origin": SISTER}
    )
    assert sister.status_code == 401 and PORTAL in sister.json()["errors"][0]["message"], sister.text
    # An origin no tenant allows is refused before that, by CORS.
    evil = await http.post(
        "/graphql",
        json={"query": COUNT},
        headers={"Authorization": f"Bearer {made['token']}", "Origin": "https://evil.example"},
    )
    assert evil.status_code == 403


async def test_an_expired_token_is_refused(http, tenant, key):
    made = await make(http, key)
    said = claims(made["token"]) | {"exp": datetime.now(UTC) - timedelta(seconds=1)}
    settings = Settings(jwt_secret=SECRET)
    expired = embed.PREFIX + jwt.encode(said, embed.signing_key(settings), algorithm="HS256")
    response = await call(http, expired, COUNT)
    assert response.status_code == 401 and "expired" in response.json()["errors"][0]["message"]
    # Signed with the user-token secret instead of the derived key: not an embed token.
    forged = embed.PREFIX + jwt.encode(claims(made["token"]), SECRET, algorithm="HS256")
    assert (await call(http, forged, COUNT)).status_code == 401


async def test_revoking_the_key_ends_its_tokens(http, tenant, key):
    made = await make(http, key)
    assert (await call(http, made["token"], COUNT)).status_code == 200
    keys = await data(http, admin(tenant), "{ apiKeys(first: 1) { edges { node { id } } } }")
    revoked = await data(http, admin(tenant), REVOKE, {"id": keys["apiKeys"]["edges"][0]["node"]["id"]})
    assert revoked["apiKeyRevoke"]["errors"] == []
    response = await call(http, made["token"], COUNT)
    assert response.status_code == 401 and "no longer valid" in response.json()["errors"][0]["message"]


async def test_only_the_tenants_origins_may_frame_the_widget(http, tenant, key):
    response = await http.get("/widget/frame", params={"tenant": tenant.slug})
    assert response.status_code == 200 and 'id="widget"' in response.text
    policy = response.headers["content-security-policy"]
    assert f"frame-ancestors {PORTAL} {SISTER}" in policy and "script-src 'self'" in policy
    assert response.headers["cache-control"] == "no-store"
    assert (await http.get("/widget/frame", params={"tenant": "no-such-tenant"})).status_code == 404
    loader = await http.get("/widget/crm-widget.js")
    assert loader.status_code == 200 and "crm-widget" in loader.text and len(loader.content) < 8_000


async def test_a_tenant_without_origins_cannot_be_framed_anywhere(http, other):
    response = await http.get("/widget/frame", params={"tenant": other.slug})
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


async def test_an_embed_token_cannot_mint_embed_tokens(http, key):
    made = await make(http, key, ttlMinutes=1)
    again = await make(http, made["token"], ttlMinutes=60)
    assert again["token"] is None and again["errors"][0]["__typename"] == "Forbidden"


def _widget_documents() -> dict[str, str]:
    return dict(json.loads(embed.WIDGET_DOCUMENTS.read_text()))


async def test_a_record_bound_token_runs_only_the_widgets_requests_about_that_record(http, tenant, key):
    made = {}
    for name in ("Bound Co", "Other Co"):
        created = await data(
            http,
            admin(tenant),
            "mutation($n: String!) { organizationCreate(input: {name: $n}) { organization { id } } }",
            {"n": name},
        )
        made[name] = created["organizationCreate"]["organization"]["id"]
    bound = (await make(http, key, recordId=made["Bound Co"]))["token"]
    documents = _widget_documents()

    async def post(body: dict[str, Any], **headers: str) -> httpx.Response:
        return await http.post("/graphql", json=body, headers={"Authorization": f"Bearer {bound}", **headers})

    opened = await post({"query": documents["byId"], "variables": {"id": made["Bound Co"]}})
    assert opened.status_code == 200 and opened.json()["data"]["node"]["name"] == "Bound Co", opened.text
    log = {"kind": "NOTE", "subject": "From the widget", "organizationId": made["Bound Co"]}
    logged = await post({"query": documents["log"], "variables": {"input": log}})
    assert logged.json()["data"]["interactionLog"]["errors"] == [], logged.text

    for refused in (
        {"query": documents["byId"], "variables": {"id": made["Other Co"]}},  # another record
        {"query": documents["log"], "variables": {"input": {**log, "organizationId": made["Other Co"]}}},
        {"query": documents["byEmail"], "variables": {"email": "a@example.com"}},  # not by record
        {"query": COUNT},  # not the widget's
    ):
        response = await post(refused)
        assert response.status_code == 403 and response.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN", (
            refused
        )
    stream = await post({"query": "subscription { events { id } }"}, accept="text/event-stream")
    assert stream.status_code == 403
    # The same key's unbound token is not restricted.
    free = (await make(http, key))["token"]
    assert (await call(http, free, COUNT)).status_code == 200
