"""The process remembers each user's actor (roles, team, policy version) so that a
compiled read is one statement; a change to any of it applies to the very next
request, on both read paths and for mutations."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from tests.api.builders import Builder, gid
from tests.conftest import SECRET, GraphQLClient, unreadable

from crm_graph import provisioning
from crm_graph.app import create_app
from crm_graph.kernel.db import statement_counter
from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity.auth import issue_token
from crm_graph.platform.identity.models import User

OPPORTUNITIES = "{ opportunities(first: 10) { totalCount edges { node { name } } } }"
USERS = User.__table__


async def _count(client: GraphQLClient) -> int:
    return int((await client(OPPORTUNITIES))["opportunities"]["totalCount"])


async def test_new_roles_apply_to_the_next_request(tenant, gql):
    await Builder(tenant).opportunity("Admin's deal", owner_id=tenant.admin_id)
    uid = await tenant.user(f"deputy@{tenant.slug}.example", ["admin"])
    deputy = tenant.client(uid)
    assert await _count(deputy) == 1  # an admin sees the whole tenant's deals
    assert await _count(deputy) == 1  # and now the process remembers the actor
    done = await gql(
        """mutation($u: ID!) { userAssignRole(input: {userId: $u, roles: ["sales_rep"]}) {
        errors { message } } }""",
        {"u": gid("User", uid)},
    )
    assert done["userAssignRole"]["errors"] == []
    assert await _count(deputy) == 0  # a sales rep sees only their own


async def test_a_team_change_applies_to_the_next_request(tenant):
    async with tenant.engine.begin() as conn:
        north = await provisioning.create_team(conn, tenant.id, "North")
        south = await provisioning.create_team(conn, tenant.id, "South")
    manager = tenant.client(await tenant.user(f"boss@{tenant.slug}.example", ["sales_manager"], north))
    rep = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"], south)
    await Builder(tenant).opportunity("Rep's deal", owner_id=rep)
    assert await _count(manager) == 0
    assert await _count(manager) == 0
    async with tenant.engine.begin() as conn:
        await conn.execute(sa.update(USERS).where(USERS.c.id == rep).values(team_id=north))
    assert await _count(manager) == 1  # the rep joined the manager's team
    async with tenant.engine.begin() as conn:
        await conn.execute(sa.update(USERS).where(USERS.c.id == rep).values(team_id=south))
    assert await _count(manager) == 0


async def test_a_user_deactivated_after_their_last_request_is_refused(tenant, http):
    uid = await tenant.user(f"leaver@{tenant.slug}.example", ["admin"])
    leaver = tenant.client(uid)
    assert await _count(leaver) == 0
    async with tenant.engine.begin() as conn:
        await conn.execute(sa.update(USERS).where(USERS.c.id == uid).values(archived_at=sa.func.now()))
    for operation in (
        OPPORTUNITIES,
        "{ __typename }",
        'mutation { organizationCreate(input: {name: "Gone"}) { errors { message } } }',
    ):
        response = await leaver.post(operation)
        assert response.status_code == 401, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert (await tenant.client()("{ organizations(first: 1) { totalCount } }"))["organizations"]["totalCount"] == 0


# --- the tenant on pooled connections -------------------------------------------------


@pytest.fixture
async def one_connection(database_url: str, redis_url: str) -> Any:
    """The API with one connection for each read path (and no overflow while requests run one by one)."""
    app = create_app(
        Settings(database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, db_pool_size=1, db_read_pool_size=1)
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client,
    ):
        yield client


async def test_a_pooled_connection_serves_each_tenant_only_its_rows(one_connection, tenant, other):
    await Builder(tenant).org("Ours")
    await Builder(other).org("Theirs")
    clients = {t.id: GraphQLClient(one_connection, issue_token(SECRET, t.id, t.admin_id)) for t in (tenant, other)}
    names = {tenant.id: ["Ours"], other.id: ["Theirs"]}
    query = "{ organizations(first: 5) { edges { node { name } } } }"
    settings_sent = []
    for tid in (tenant.id, tenant.id, other.id, tenant.id, other.id, other.id):
        async with statement_counter() as n:
            data = await clients[tid](query)
        assert [e["node"]["name"] for e in data["organizations"]["edges"]] == names[tid]
        settings_sent.append(n[1])
    # Two connections: the ordinary path's, which loads a tenant's actor on its first
    # request (the 1st and 3rd here), and the read pool's, which answers every query
    # (the actor's look-up gives its connection back first). Each sets the tenant when
    # it last served another one, and only then: the 3rd request sets it on both.
    assert settings_sent[1:] == [0, 2, 1, 1, 0]


async def test_the_session_tenant_survives_a_failed_statement_and_a_rolled_back_mutation(
    one_connection, tenant, other, engine
):
    await Builder(other).org("Theirs")
    ours = GraphQLClient(one_connection, issue_token(SECRET, tenant.id, tenant.admin_id))
    theirs = GraphQLClient(one_connection, issue_token(SECRET, other.id, other.admin_id))
    assert (await theirs("{ organizations(first: 1) { totalCount } }"))["organizations"]["totalCount"] == 1
    # A statement that fails (PostgreSQL refuses it) and a mutation with bad input
    # (rolled back): the connection still holds its tenant.
    async with unreadable(engine, "organizations"):
        failed = (await ours.post("{ organizations(first: 1) { totalCount } }")).json()
    assert failed["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR", failed
    bad = await ours('mutation { organizationCreate(input: {name: ""}) { errors { path } } }')
    assert bad["organizationCreate"]["errors"]
    assert (await ours("{ organizations(first: 1) { totalCount } }"))["organizations"]["totalCount"] == 0
    assert (await theirs("{ organizations(first: 1) { totalCount } }"))["organizations"]["totalCount"] == 1
