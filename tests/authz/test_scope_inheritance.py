"""Records with no owner of their own take their visibility from the record they
belong to or are about: a stage change from its opportunity, an audit entry (at
`own`/`team`) from the record it is about. And a contact merge changes only records
the caller may update. Queries run on both read paths (the `http` fixture compares
them); the expectations are written by hand.
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from crm_graph.domains.contacts.models import Contact
from crm_graph.domains.opportunities.models import Opportunity
from crm_graph.readside.ids import from_global_id, to_global_id
from crm_graph.readside.spec import entity_by_record_type

ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { message } } }"""
OPP = """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) { opportunity { id } errors { message } } }"""
CONTACT = """mutation($i: ContactCreateInput!) { contactCreate(input: $i) { contact { id } errors { message } } }"""
MOVE = """mutation($id: ID!, $s: ID!) { opportunityMoveStage(input: {id: $id, stageId: $s}) { errors { message } } }"""
HISTORY = """query($id: ID!) { node(id: $id) { ... on Opportunity { stageHistory(first: 10) {
  edges { node { id } } } } } }"""
CHANGE = """query($id: ID!, $ids: [ID!]!) {
  node(id: $id) { id ... on OpportunityStageChange { changedAt opportunity { id } toStage { name } } }
  nodes(ids: $ids) { id } }"""
MERGE = """mutation($s: ID!, $m: [ID!]!) { contactMerge(input: {survivorId: $s, mergedIds: $m}) {
  contact { id } errors { __typename path } } }"""


def random_gid(record_type: str) -> str:
    found = entity_by_record_type(record_type)
    assert found is not None
    return to_global_id(found, uuid.uuid4())


async def _second_stage(gql) -> str:
    data = await gql(
        "{ pipelines(first: 1) { edges { node { stages(first: 10) { edges { node { id position } } } } } } }"
    )
    stages = sorted(
        (e["node"] for e in data["pipelines"]["edges"][0]["node"]["stages"]["edges"]), key=lambda s: s["position"]
    )
    return stages[1]["id"]


async def _data(client, mutation, variables, key, field):
    data = await client(mutation, variables)
    assert data[key]["errors"] == [], data
    return data[key][field]["id"]


async def test_a_stage_change_is_as_visible_as_its_opportunity(tenant, gql):
    rep1 = tenant.client(await tenant.user(f"r1@{tenant.slug}.example", ["sales_rep"]))
    rep2 = tenant.client(await tenant.user(f"r2@{tenant.slug}.example", ["sales_rep"]))
    org = await _data(gql, ORG, {"i": {"name": "Acme"}}, "organizationCreate", "organization")
    opp = await _data(
        rep2, OPP, {"i": {"name": "Rep2 deal", "organizationId": org}}, "opportunityCreate", "opportunity"
    )
    assert (await rep2(MOVE, {"id": opp, "s": await _second_stage(gql)}))["opportunityMoveStage"]["errors"] == []
    changes = [e["node"]["id"] for e in (await rep2(HISTORY, {"id": opp}))["node"]["stageHistory"]["edges"]]
    assert len(changes) == 2  # created in the first stage, moved to the second
    hidden = changes[-1]

    # rep1 cannot read rep2's opportunity, so not its stage changes either: by ID they
    # answer exactly as an ID that names nothing.
    nothing = random_gid("opportunity_stage_change")
    assert await rep1(CHANGE, {"id": hidden, "ids": [hidden, *changes]}) == {"node": None, "nodes": [None, None, None]}
    assert await rep1(CHANGE, {"id": nothing, "ids": [nothing]}) == {"node": None, "nodes": [None]}

    seen = await rep2(CHANGE, {"id": hidden, "ids": [hidden]})
    assert seen["node"]["opportunity"] == {"id": opp} and seen["nodes"] == [{"id": hidden}]
    assert (await gql(CHANGE, {"id": hidden, "ids": [hidden]}))["node"]["opportunity"] == {"id": opp}


async def test_own_audit_entries_are_those_about_records_the_reader_owns(tenant, gql):
    await gql("""mutation { roleGrant(input: {role: "sales_rep", object: "audit_entry", action: "read", scope: OWN}) {
        errors { message } } }""")
    rep1 = tenant.client(await tenant.user(f"r1@{tenant.slug}.example", ["sales_rep"]))
    rep2 = tenant.client(await tenant.user(f"r2@{tenant.slug}.example", ["sales_rep"]))
    hub = await _data(gql, ORG, {"i": {"name": "Hub"}}, "organizationCreate", "organization")
    mine_org = await _data(rep1, ORG, {"i": {"name": "Rep1 Co"}}, "organizationCreate", "organization")
    mine_opp = await _data(
        rep1, OPP, {"i": {"name": "Rep1 deal", "organizationId": mine_org}}, "opportunityCreate", "opportunity"
    )
    theirs = await _data(
        rep2,
        OPP,
        {"i": {"name": "Rep2 deal", "organizationId": hub, "amount": "1000"}},
        "opportunityCreate",
        "opportunity",
    )
    data = await rep2(
        """mutation($id: ID!) { opportunityUpdate(input: {id: $id, amount: "250000"}) { errors { message } } }""",
        {"id": theirs},
    )
    assert data["opportunityUpdate"]["errors"] == []
    await gql('mutation { roleCreate(input: {name: "auditor"}) { errors { message } } }')

    query = "{ auditLog(first: 100) { totalCount edges { node { id action record { id } } } } }"
    everything = (await gql(query))["auditLog"]["edges"]
    assert {e["node"]["record"]["id"] for e in everything if e["node"]["record"]} >= {hub, mine_org, mine_opp, theirs}
    seen = (await rep1(query))["auditLog"]
    assert sorted((e["node"]["action"], (e["node"]["record"] or {}).get("id")) for e in seen["edges"]) == sorted(
        [("organization.created", mine_org), ("opportunity.created", mine_opp)]
    )
    assert seen["totalCount"] == 2

    # An entry about rep2's amount change answers by ID as an ID that names nothing.
    about_theirs = next(e["node"]["id"] for e in everything if e["node"]["action"] == "opportunity.updated")
    assert await rep1("query($id: ID!) { node(id: $id) { id } }", {"id": about_theirs}) == {"node": None}
    assert (await rep2(query))["auditLog"]["totalCount"] == 2  # its opportunity's creation and change


async def _pointing_at(engine, contact_ids, opportunity_id):
    c, o = Contact.__table__, Opportunity.__table__
    async with engine.connect() as conn:
        contacts = (
            await conn.execute(
                sa.select(c.c.id, c.c.version, c.c.archived_at).where(c.c.id.in_(contact_ids)).order_by(c.c.id)
            )
        ).all()
        opportunity = (
            await conn.execute(sa.select(o.c.primary_contact_id, o.c.version).where(o.c.id == opportunity_id))
        ).one()
    return [tuple(r) for r in contacts], tuple(opportunity)


async def test_a_merge_that_would_change_records_the_caller_may_not_update_is_refused(tenant, gql, engine):
    rep = tenant.client(await tenant.user(f"r1@{tenant.slug}.example", ["sales_rep"]))
    org = await _data(gql, ORG, {"i": {"name": "Acme"}}, "organizationCreate", "organization")
    keep = await _data(
        rep, CONTACT, {"i": {"firstName": "Ada", "lastName": "L", "organizationId": org}}, "contactCreate", "contact"
    )
    dupe = await _data(
        rep, CONTACT, {"i": {"firstName": "Ada", "lastName": "L.", "organizationId": org}}, "contactCreate", "contact"
    )
    # The admin's opportunity (the rep may not even read it) names the duplicate.
    admins = await _data(
        gql,
        OPP,
        {"i": {"name": "Admin deal", "organizationId": org, "primaryContactId": dupe}},
        "opportunityCreate",
        "opportunity",
    )
    ids = [from_global_id(x)[1] for x in (keep, dupe)]
    admins_id = from_global_id(admins)[1]
    before = await _pointing_at(engine, ids, admins_id)

    data = await rep(MERGE, {"s": keep, "m": [dupe]})
    assert data["contactMerge"] == {
        "contact": None,
        "errors": [{"__typename": "Forbidden", "path": ["input", "mergedIds"]}],
    }
    assert await _pointing_at(engine, ids, admins_id) == before  # nothing changed

    # Within the rep's scope the same merge goes through and re-points the rep's own deal.
    mine = await _data(
        rep,
        OPP,
        {"i": {"name": "Rep deal", "organizationId": org, "primaryContactId": dupe}},
        "opportunityCreate",
        "opportunity",
    )
    data = await gql(
        """mutation($id: ID!, $c: ID!) { opportunityUpdate(input: {id: $id, primaryContactId: $c}) {
        errors { message } } }""",
        {"id": admins, "c": keep},
    )
    assert data["opportunityUpdate"]["errors"] == []
    data = await rep(MERGE, {"s": keep, "m": [dupe]})
    assert data["contactMerge"] == {"contact": {"id": keep}, "errors": []}
    contact = await rep(
        "query($id: ID!) { node(id: $id) { ... on Opportunity { primaryContact { id } } } }", {"id": mine}
    )
    assert contact["node"]["primaryContact"] == {"id": keep}
