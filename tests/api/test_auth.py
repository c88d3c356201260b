"""Authentication at the public endpoint: HS256 tokens, OpenID Connect, dev login, and
which routes need no credentials. (API keys: test_api_keys.py.)"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from crm_graph import provisioning
from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity.auth import issue_token
from crm_graph.platform.identity.models import User

SECRET = "test-secret-of-at-least-thirty-two-bytes"  # the `http` fixture's (conftest.py)
PROBE = {"query": "{ viewer { email } }"}
ISSUER, AUDIENCE = "https://idp.example.test/", "crm-graph"


@contextlib.asynccontextmanager
async def serve(**settings: Any) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an app built with these Settings (on the test database)."""
    app = create_app(Settings(**{"jwt_secret": SECRET, **settings}))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield client


async def ask(client: httpx.AsyncClient, authorization: str | None) -> httpx.Response:
    headers = {"Authorization": authorization} if authorization is not None else {}
    return await client.post("/graphql", json=PROBE, headers=headers)


def assert_refused(response: httpx.Response, says: str | None = None) -> None:
    assert response.status_code == 401, response.text
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    assert response.headers["www-authenticate"] == "Bearer"
    if says:
        assert says in error["message"]


def viewer_email(response: httpx.Response) -> str:
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body
    return str(body["data"]["viewer"]["email"])


# --- no credentials, bad credentials ------------------------------------------------


async def test_a_request_without_credentials_is_refused(http):
    assert_refused(await ask(http, None), "No credentials")


@pytest.mark.parametrize(
    "authorization",
    [
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer ",
        "Token abc",
        "Bearer not-a-jwt",
        "Bearer a.b.c",
        "Bearer crm_short",
        "Bearer crm_0123456789ab_" + "x" * 43 + "!",
    ],
)
async def test_a_malformed_authorization_header_is_refused(http, authorization):
    assert_refused(await ask(http, authorization))


async def test_a_token_signed_with_another_secret_is_refused(http, tenant):
    token = issue_token("another-secret-of-at-least-thirty-two-bytes", tenant.id, tenant.admin_id)
    assert_refused(await ask(http, f"Bearer {token}"), "not valid")


async def test_an_expired_token_is_refused(http, tenant):
    token = issue_token(SECRET, tenant.id, tenant.admin_id, ttl=timedelta(minutes=-1))
    assert_refused(await ask(http, f"Bearer {token}"), "expired")


async def test_a_token_accepted_before_is_refused_once_it_expires(http, tenant):
    token = issue_token(SECRET, tenant.id, tenant.admin_id, ttl=timedelta(seconds=2))
    assert viewer_email(await ask(http, f"Bearer {token}")) == f"admin@{tenant.slug}.example"  # now remembered
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    await asyncio.sleep(max(0.0, expires - time.time()) + 0.05)
    assert_refused(await ask(http, f"Bearer {token}"), "expired")


async def test_a_token_without_expiry_is_refused(http, tenant):
    token = jwt.encode({"sub": str(tenant.admin_id), "tid": str(tenant.id)}, SECRET, algorithm="HS256")
    assert_refused(await ask(http, f"Bearer {token}"))


async def test_an_unsigned_token_is_refused(http, tenant):
    claims = {"sub": str(tenant.admin_id), "tid": str(tenant.id), "exp": datetime.now(UTC) + timedelta(hours=1)}
    assert_refused(await ask(http, f"Bearer {jwt.encode(claims, None, algorithm='none')}"), "algorithm")


async def test_a_valid_token_acts_as_its_user(http, tenant):
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    assert viewer_email(await ask(http, f"Bearer {token}")) == f"admin@{tenant.slug}.example"


async def test_the_token_of_a_deleted_user_is_refused(http, tenant):
    uid = await tenant.user("leaver@example.test", ["sales_rep"])
    token = issue_token(SECRET, tenant.id, uid)
    assert viewer_email(await ask(http, f"Bearer {token}")) == "leaver@example.test"
    async with tenant.engine.begin() as conn:
        await conn.execute(sa.delete(User.__table__).where(User.__table__.c.id == uid))
    assert_refused(await ask(http, f"Bearer {token}"))


async def test_the_token_of_a_deactivated_user_is_refused(http, tenant):
    uid = await tenant.user("paused@example.test", ["sales_rep"])
    async with tenant.engine.begin() as conn:
        users = User.__table__
        await conn.execute(sa.update(users).where(users.c.id == uid).values(archived_at=sa.func.now()))
    assert_refused(await ask(http, f"Bearer {issue_token(SECRET, tenant.id, uid)}"))


async def test_a_token_naming_a_user_of_another_tenant_is_refused(http, tenant, engine):
    async with engine.begin() as conn:
        other = await provisioning.create_tenant(conn, f"o-{uuid.uuid4().hex[:10]}", "Other")
    assert_refused(await ask(http, f"Bearer {issue_token(SECRET, other, tenant.admin_id)}"))
    assert_refused(await ask(http, f"Bearer {issue_token(SECRET, uuid.uuid4(), tenant.admin_id)}"))


async def test_claim_names_are_configurable(tenant, database_url, redis_url):
    async with serve(
        database_url=database_url, redis_url=redis_url, jwt_tenant_claim="org", jwt_user_claim="uid"
    ) as client:
        custom = issue_token(SECRET, tenant.id, tenant.admin_id, tenant_claim="org", user_claim="uid")
        assert jwt.decode(custom, SECRET, algorithms=["HS256"])["org"] == str(tenant.id)
        assert viewer_email(await ask(client, f"Bearer {custom}")) == f"admin@{tenant.slug}.example"
        default_names = issue_token(SECRET, tenant.id, tenant.admin_id)
        assert_refused(await ask(client, f"Bearer {default_names}"))


# --- public routes ---------------------------------------------------------------------


async def test_health_and_ready_need_no_credentials(http):
    assert (await http.get("/health")).status_code == 200
    ready = await http.get("/ready")
    assert ready.status_code == 200 and ready.json()["database"] == "ok"


async def test_the_graphiql_page_is_public_but_operations_are_not(http):
    page = await http.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<html" in page.text.lower()
    # A GET with ?query= runs the operation: it must not slip through as "the page".
    get_query = await http.get("/graphql", params={"query": "{ __typename }"}, headers={"Accept": "text/html"})
    assert_refused(get_query)
    assert_refused(await http.get("/graphql", params={"query": "{ __typename }"}))
    assert_refused(await ask(http, None))


# --- OpenID Connect ----------------------------------------------------------------------


class IdentityProvider:
    """An RSA and an EC signing key, and a JWKS served over real HTTP on loopback."""

    def __init__(self) -> None:
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        self.fetches = 0
        keys = [
            {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.rsa.public_key())), "kid": "rsa-1", "use": "sig"},
            {**json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.ec.public_key())), "kid": "ec-1", "use": "sig"},
        ]
        body = json.dumps({"keys": keys}).encode()
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                provider.fetches += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.jwks_url = f"http://127.0.0.1:{self.server.server_address[1]}/.well-known/jwks.json"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def token(self, alg: str = "RS256", kid: str | None = None, key: Any = None, **claims: Any) -> str:
        now = datetime.now(UTC)
        payload = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + timedelta(minutes=5), **claims}
        payload = {k: v for k, v in payload.items() if v is not None}
        signing_key = key or (self.rsa if alg == "RS256" else self.ec)
        return jwt.encode(
            payload, signing_key, algorithm=alg, headers={"kid": kid or ("rsa-1" if alg == "RS256" else "ec-1")}
        )


@pytest.fixture(scope="module")
def idp() -> Iterator[IdentityProvider]:
    provider = IdentityProvider()
    provider.thread.start()
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


@pytest.fixture(scope="module")
async def oidc_http(idp: IdentityProvider, database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(
        database_url=database_url,
        redis_url=redis_url,
        oidc_issuer=ISSUER,
        oidc_audience=AUDIENCE,
        oidc_jwks_url=idp.jwks_url,
    ) as client:
        yield client


def _oidc_claims(tenant, email: str | None = None) -> dict[str, Any]:
    return {"sub": "idp-user-1", "tenant": tenant.slug, "email": email or f"Admin@{tenant.slug.upper()}.example"}


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
async def test_an_oidc_token_acts_as_the_user_with_that_email(oidc_http, idp, tenant, alg):
    token = idp.token(alg, **_oidc_claims(tenant))
    assert viewer_email(await ask(oidc_http, f"Bearer {token}")) == f"admin@{tenant.slug}.example"


async def test_our_own_tokens_still_work_beside_oidc(oidc_http, tenant):
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    assert viewer_email(await ask(oidc_http, f"Bearer {token}")) == f"admin@{tenant.slug}.example"


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"aud": "someone-else"}, "not valid"),
        ({"iss": "https://evil.example.test/"}, "not valid"),
        ({"exp": datetime.now(UTC) - timedelta(minutes=5)}, "expired"),
        ({"aud": None}, "not valid"),
        ({"email": "nobody@example.test"}, "No active user"),
        ({"tenant": "no-such-tenant"}, "No active user"),
        ({"tenant": None}, "must carry"),
        ({"email_verified": False}, "not verified"),
    ],
)
async def test_a_bad_oidc_token_is_refused(oidc_http, idp, tenant, change, says):
    assert_refused(await ask(oidc_http, f"Bearer {idp.token(**{**_oidc_claims(tenant), **change})}"), says)


async def test_an_oidc_token_with_an_unknown_key_is_refused(oidc_http, idp, tenant):
    await ask(oidc_http, f"Bearer {idp.token(**_oidc_claims(tenant))}")  # keys fetched
    fetches = idp.fetches
    for _ in range(3):
        assert_refused(
            await ask(oidc_http, f"Bearer {idp.token(kid='made-up', **_oidc_claims(tenant))}"), "unknown key"
        )
    # Made-up kids do not make every request a request to the identity provider.
    assert idp.fetches - fetches <= 1


async def test_an_oidc_token_signed_by_another_key_is_refused(oidc_http, idp, tenant):
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert_refused(await ask(oidc_http, f"Bearer {idp.token(key=impostor, **_oidc_claims(tenant))}"), "not valid")


async def test_an_oidc_token_whose_algorithm_does_not_match_its_key_is_refused(oidc_http, idp, tenant):
    token = idp.token("ES256", kid="rsa-1", **_oidc_claims(tenant))
    assert_refused(await ask(oidc_http, f"Bearer {token}"), "does not match")


async def test_oidc_tokens_are_refused_when_oidc_is_not_configured(http, idp, tenant):
    assert_refused(await ask(http, f"Bearer {idp.token(**_oidc_claims(tenant))}"), "not configured")


# --- dev login ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
async def dev_http(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(database_url=database_url, redis_url=redis_url, dev_login=True) as client:
        yield client


async def test_dev_login_lists_users_and_hands_out_tokens(dev_http, tenant):
    users = (await dev_http.get("/dev/users")).json()["users"]
    assert {
        "tenant": tenant.slug,
        "email": f"admin@{tenant.slug}.example",
        "name": "Admin",
        "roles": ["admin"],
    } in users
    login = await dev_http.post("/dev/login", json={"tenant": tenant.slug, "email": f"admin@{tenant.slug}.example"})
    token = login.json()["token"]
    claims = jwt.decode(token, SECRET, algorithms=["HS256"])
    assert (
        timedelta(hours=7, minutes=59)
        < datetime.fromtimestamp(claims["exp"], UTC) - datetime.now(UTC)
        <= timedelta(hours=8)
    )
    assert viewer_email(await ask(dev_http, f"Bearer {token}")) == f"admin@{tenant.slug}.example"


async def test_dev_login_refuses_unknown_users_and_bad_requests(dev_http, tenant):
    unknown = await dev_http.post("/dev/login", json={"tenant": tenant.slug, "email": "ghost@example.test"})
    assert unknown.status_code == 404
    assert (await dev_http.post("/dev/login", content=b"not json")).status_code == 400
    assert (await dev_http.post("/dev/login", json={"tenant": tenant.slug})).status_code == 400


async def test_dev_login_leads_to_the_bundled_explorer_with_its_sign_in(dev_http, http):
    # GraphiQL from a CDN is blank offline: in development /graphql leads a browser to
    # the web app's bundled explorer, which signs in with the same demo user picker.
    page = (await dev_http.get("/graphql", headers={"Accept": "text/html"})).text
    assert 'url=/app/explorer"' in page and "cdn" not in page.lower()
    explorer = await dev_http.get("/app/explorer")
    assert explorer.status_code == 200 and '<div id="root">' in explorer.text
    stock = (await http.get("/graphql", headers={"Accept": "text/html"})).text
    assert "/app/explorer" not in stock and 'id="who"' not in stock


async def test_dev_login_is_off_by_default_and_in_production(http, database_url, redis_url):
    assert (await http.get("/dev/users")).status_code == 404
    assert (await http.post("/dev/login", json={})).status_code in (404, 405)
    async with serve(database_url=database_url, redis_url=redis_url, dev_login=True, env="production") as prod:
        assert (await prod.get("/dev/users")).status_code == 404


async def test_production_refuses_tokens_signed_with_the_public_default_secret(database_url, redis_url, tenant):
    default = Settings.model_fields["jwt_secret"].default
    async with serve(database_url=database_url, redis_url=redis_url, env="production", jwt_secret=default) as prod:
        assert_refused(await ask(prod, f"Bearer {issue_token(default, tenant.id, tenant.admin_id)}"), "public default")
