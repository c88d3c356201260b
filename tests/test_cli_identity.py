"""`crm-graph tenant create`, `user create` and `token`, run as an operator would: as
processes against the test database, the token then used on the API."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings

SECRET = "cli-test-secret-of-at-least-thirty-two-bytes"


def crm_graph(*args: str) -> subprocess.CompletedProcess[str]:
    # database_url / redis_url (tests/conftest.py) put CRM_DATABASE_URL / CRM_REDIS_URL in os.environ.
    env = {**os.environ, "CRM_JWT_SECRET": SECRET}
    return subprocess.run(
        [sys.executable, "-m", "crm_graph", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
async def api(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=database_url, redis_url=redis_url, jwt_secret=SECRET))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield client


async def test_an_operator_creates_a_tenant_and_a_user_and_gets_a_working_token(api):
    slug = f"cli-{uuid.uuid4().hex[:8]}"
    tenant = crm_graph("tenant", "create", "--slug", slug, "--name", "CLI Corp")
    assert tenant.returncode == 0, tenant.stderr
    tenant_id = uuid.UUID(tenant.stdout.strip())

    user = crm_graph(
        "user",
        "create",
        "--tenant",
        slug,
        "--email",
        "rep1@cli.example",
        "--role",
        "sales_rep",
        "--name",
        "Rae Rep",
        "--team",
        "Reps",
    )
    assert user.returncode == 0, user.stderr
    user_id = uuid.UUID(user.stdout.strip())

    token = crm_graph("token", "--tenant", slug, "--email", "REP1@cli.example", "--ttl", "2h")
    assert token.returncode == 0, token.stderr
    claims = jwt.decode(token.stdout.strip(), SECRET, algorithms=["HS256"])
    assert (claims["tid"], claims["sub"]) == (str(tenant_id), str(user_id))
    expires_in = datetime.fromtimestamp(claims["exp"], UTC) - datetime.now(UTC)
    assert timedelta(hours=1, minutes=58) < expires_in <= timedelta(hours=2)

    response = await api.post(
        "/graphql",
        json={"query": "{ viewer { email name roles team { name } } }"},
        headers={"Authorization": f"Bearer {token.stdout.strip()}"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["viewer"] == {
        "email": "rep1@cli.example",
        "name": "Rae Rep",
        "roles": ["sales_rep"],
        "team": {"name": "Reps"},
    }


def test_refusals_say_why_and_exit_non_zero():
    slug = f"cli-{uuid.uuid4().hex[:8]}"
    assert crm_graph("tenant", "create", "--slug", slug, "--name", "Once").returncode == 0
    cases = [
        (("tenant", "create", "--slug", slug, "--name", "Twice"), "exists"),
        (("tenant", "create", "--slug", "Not A Slug", "--name", "X"), "--slug"),
        (("user", "create", "--tenant", "no-such-tenant", "--email", "a@b.example", "--role", "admin"), "no tenant"),
        (("user", "create", "--tenant", slug, "--email", "a@b.example", "--role", "wizard"), "no role wizard"),
        (("token", "--tenant", slug, "--email", "ghost@b.example"), "no active user"),
    ]
    for args, says in cases:
        result = crm_graph(*args)
        assert result.returncode == 1 and says in result.stderr and result.stdout == "", (args, result.stderr)
    assert crm_graph("user", "create", "--tenant", slug, "--email", "a@b.example", "--role", "admin").returncode == 0
    duplicate = crm_graph("user", "create", "--tenant", slug, "--email", "a@b.example", "--role", "admin")
    assert duplicate.returncode == 1 and "already has a user" in duplicate.stderr
    bad_ttl = crm_graph("token", "--tenant", slug, "--email", "a@b.example", "--ttl", "soon")
    assert bad_ttl.returncode == 2 and "not a duration" in bad_ttl.stderr
