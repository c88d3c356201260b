"""Every committed change leaves exactly its events in the outbox; readers catch up
with `events(after:)` and see only what they may see."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from crm_graph.platform.events.models import OutboxEvent

OUTBOX = OutboxEvent.__table__
ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id version } errors { __typename } } }"""
ORG_UPDATE = """mutation($i: OrganizationUpdateInput!) { organizationUpdate(input: $i) { organization { version } errors { __typename } } }"""
CONTACT = """mutation($i: ContactCreateInput!) { contactCreate(input: $i) { contact { id } errors { __typename } } }"""
CONTACT_UPDATE = (
    """mutation($i: ContactUpdateInput!) { contactUpdate(input: $i) { contact { id } errors { __typename } } }"""
)
OPP = """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) { opportunity { id } errors { __typename message } } }"""
WIN = """mutation($id: ID!) { opportunityWin(input: {id: $id}) { opportunity { status } errors { __typename } } }"""
EVENTS = """query($after: String, $types: [String!], $first: Int!) { events(after: $after, types: $types, first: $first) {
  pageInfo { hasNextPage endCursor } edges { cursor node { id type recordType recordId version
  changes { field before after } actor { email } record { id } } } } }"""


async def _outbox(engine, tenant_id):
    async with engine.connect() as conn:
        rows = (
            await conn.execute(sa.select(OUTBOX).where(OUTBOX.c.tenant_id == tenant_id).order_by(OUTBOX.c.seq))
        ).all()
    return [r._mapping for r in rows]


async def test_each_change_writes_its_events_and_a_refused_one_none(tenant, gql, engine):
    org = (await gql(ORG, {"i": {"name": "Acme"}}))["organizationCreate"]["organization"]
    stale = await gql(ORG_UPDATE, {"i": {"id": org["id"], "expectedVersion": 9, "name": "Nope"}})
    assert stale["organizationUpdate"]["errors"] == [{"__typename": "Conflict"}]
    await gql(ORG_UPDATE, {"i": {"id": org["id"], "expectedVersion": 1, "name": "Acme Corp"}})
    opp = await gql(OPP, {"i": {"name": "Deal", "organizationId": org["id"], "amount": "100"}})
    await gql(WIN, {"id": opp["opportunityCreate"]["opportunity"]["id"]})
    rows = await _outbox(engine, tenant.id)
    assert [r["type"] for r in rows] == [
        "organization.created",
        "organization.updated",
        "opportunity.created",
        "opportunity.won",
    ]
    assert [r["seq"] for r in rows] == [1, 2, 3, 4]
    assert rows[1]["changes"]["name"] == ["Acme", "Acme Corp"]
    assert rows[1]["record_version"] == 2 and rows[1]["actor_user_id"] == tenant.admin_id


async def test_concurrent_writers_get_gap_free_numbers(tenant, gql, engine):
    await asyncio.gather(*(gql(ORG, {"i": {"name": f"Org {i}"}}) for i in range(12)))
    assert [r["seq"] for r in await _outbox(engine, tenant.id)] == list(range(1, 13))


async def test_catch_up_by_polling_resumes_without_gap_or_duplicate(tenant, gql):
    for i in range(7):
        await gql(ORG, {"i": {"name": f"Org {i}"}})
    seen, after = [], None
    while True:
        page = (await gql(EVENTS, {"after": after, "first": 3}))["events"]
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen) and len(seen) == len(set(seen)) == 7
    await gql(ORG, {"i": {"name": "Later"}})
    late = (await gql(EVENTS, {"after": seen[-1], "first": 10}))["events"]["edges"]
    assert [e["node"]["type"] for e in late] == ["organization.created"]


async def test_types_filter_and_event_fields(tenant, gql):
    org = (await gql(ORG, {"i": {"name": "Acme"}}))["organizationCreate"]["organization"]
    await gql(ORG_UPDATE, {"i": {"id": org["id"], "website": "https://acme.example"}})
    edges = (await gql(EVENTS, {"types": ["organization.updated"], "first": 10}))["events"]["edges"]
    assert len(edges) == 1
    node = edges[0]["node"]
    assert node["recordId"] == org["id"] and node["record"]["id"] == org["id"] and node["version"] == 2
    assert node["changes"] == [{"field": "website", "before": None, "after": "https://acme.example"}]
    assert node["actor"]["email"].startswith("admin@")


async def test_readers_see_only_events_of_records_they_may_see(tenant, gql):
    rep1 = await tenant.user(f"rep1@{tenant.slug}.example", ["sales_rep"])
    rep2 = await tenant.user(f"rep2@{tenant.slug}.example", ["sales_rep"])
    org = (await gql(ORG, {"i": {"name": "Shared"}}))["organizationCreate"]["organization"]
    for owner in (rep1, rep2):
        client = tenant.client(owner)
        await client(OPP, {"i": {"name": f"Deal of {owner}", "organizationId": org["id"]}})
    admin_events = (await gql(EVENTS, {"types": ["opportunity.created"], "first": 10}))["events"]
    assert len(admin_events["edges"]) == 2
    # One predicate serves both reps (their ids are its parameters): each sees its own.
    for rep in (rep1, rep2):
        events = (await tenant.client(rep)(EVENTS, {"types": ["opportunity.created"], "first": 10}))["events"]
        assert len(events["edges"]) == 1, "a rep must not see events of another rep's opportunity"
        changes = events["edges"][0]["node"]["changes"]
        assert next(c for c in changes if c["field"] == "name")["after"] == f"Deal of {rep}"


async def test_hidden_fields_are_left_out_of_changes(tenant, gql):
    marketing = tenant.client(await tenant.user(f"mkt@{tenant.slug}.example", ["marketing_manager"]))
    contact = await gql(CONTACT, {"i": {"firstName": "Ada", "lastName": "L", "phones": ["+1 555 0100"]}})
    cid = contact["contactCreate"]["contact"]["id"]
    await gql(CONTACT_UPDATE, {"i": {"id": cid, "phones": ["+1 555 0199"], "title": "CTO"}})
    admin_fields = [
        c["field"]
        for e in (await gql(EVENTS, {"types": ["contact.updated"], "first": 5}))["events"]["edges"]
        for c in e["node"]["changes"]
    ]
    seen = (await marketing(EVENTS, {"types": ["contact.updated"], "first": 5}))["events"]["edges"]
    assert "phones" in admin_fields
    assert len(seen) == 1 and [c["field"] for c in seen[0]["node"]["changes"]] == ["title"]


async def test_other_tenants_events_never_arrive(tenant, other, gql):
    await other.client()(ORG, {"i": {"name": "Theirs"}})
    assert (await gql(EVENTS, {"first": 10}))["events"]["edges"] == []


async def test_a_bad_event_id_is_refused(gql):
    body = (await gql.post(EVENTS, {"after": "not-an-id", "first": 1})).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
