"""The demo users see different, correct slices of the seeded demo data."""

from __future__ import annotations

import sqlalchemy as sa

from crm_graph.domains.opportunities.models import Opportunity

OPPS = "{ opportunities(first: 100) { totalCount edges { node { owner { email } amount } } } }"


async def _owners_count(engine, tenant_id, emails):
    from crm_graph.platform.identity.models import User

    users, opps = User.__table__, Opportunity.__table__
    stmt = (
        sa.select(sa.func.count())
        .select_from(opps.join(users, users.c.id == opps.c.owner_id))
        .where(opps.c.tenant_id == tenant_id, users.c.email.in_(emails), opps.c.archived_at.is_(None))
    )
    async with engine.connect() as conn:
        return (await conn.execute(stmt)).scalar_one()


async def test_sales_rep_sees_only_own_opportunities(demo, engine):
    data = await demo.client("rep1@demo.example")(OPPS)
    owners = {e["node"]["owner"]["email"] for e in data["opportunities"]["edges"]}
    assert owners == {"rep1@demo.example"}
    expected = await _owners_count(engine, demo.tenants["demo"], ["rep1@demo.example"])
    assert data["opportunities"]["totalCount"] == expected > 0


async def test_sales_manager_sees_the_team_including_both_reps(demo, engine):
    data = await demo.client("manager@demo.example")(OPPS)
    owners = {e["node"]["owner"]["email"] for e in data["opportunities"]["edges"]}
    assert {"rep1@demo.example", "rep2@demo.example"} <= owners
    assert owners <= {"rep1@demo.example", "rep2@demo.example", "manager@demo.example"}
    expected = await _owners_count(
        engine, demo.tenants["demo"], ["rep1@demo.example", "rep2@demo.example", "manager@demo.example"]
    )
    assert data["opportunities"]["totalCount"] == expected


async def test_reps_see_every_organization_of_the_tenant(demo):
    rep = await demo.client("rep2@demo.example")("{ organizations(first: 1) { totalCount } }")
    admin = await demo.client("admin@demo.example")("{ organizations(first: 1) { totalCount } }")
    assert rep["organizations"]["totalCount"] == admin["organizations"]["totalCount"] == 40


async def test_analyst_sees_contacts_without_personal_data(demo):
    response = await demo.client("analyst@demo.example").post(
        "{ contacts(first: 3) { totalCount edges { node { lastName emails phones } } } }"
    )
    body = response.json()
    edges = body["data"]["contacts"]["edges"]
    assert len(edges) == 3 and all(e["node"]["lastName"] for e in edges)
    assert all(e["node"]["emails"] is None and e["node"]["phones"] is None for e in edges)
    forbidden_paths = {tuple(err["path"]) for err in body["errors"]}
    assert ("contacts", "edges", 0, "node", "emails") in forbidden_paths
    assert {err["extensions"]["code"] for err in body["errors"]} == {"FORBIDDEN"}


async def test_marketing_cannot_list_opportunities(demo):
    body = (await demo.client("marketing@demo.example").post(OPPS)).json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_service_manager_sees_opportunities_without_amounts(demo):
    body = (await demo.client("service@demo.example").post(OPPS)).json()
    edges = body["data"]["opportunities"]["edges"]
    assert edges and all(e["node"]["amount"] is None for e in edges)
    assert {err["extensions"]["code"] for err in body["errors"]} == {"FORBIDDEN"}


async def test_other_tenant_admin_sees_none_of_demo(demo):
    data = await demo.client("admin@other.example")(
        "{ organizations(first: 100) { totalCount edges { node { name } } } }"
    )
    demo_names = {
        e["node"]["name"]
        for e in (await demo.client("admin@demo.example")("{ organizations(first: 100) { edges { node { name } } } }"))[
            "organizations"
        ]["edges"]
    }
    assert data["organizations"]["totalCount"] == 10
    assert not demo_names & {e["node"]["name"] for e in data["organizations"]["edges"]}
