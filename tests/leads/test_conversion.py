"""leadConvert through the API: creates or links the organization and contact,
optionally an opportunity, moves the lead's interactions and tasks, marks the lead
converted, emits events; a failure at any step leaves nothing changed."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from tests.leads.common import CONVERT, MERGE, READ, UPDATE, create, gid, ok, problems

from crm_graph.platform.authz.rls import APP_ROLE

LOG = (
    "mutation($input: InteractionLogInput!) { interactionLog(input: $input) { interaction { id } errors { message } } }"
)
TASK = "mutation($i: TaskCreateInput!) { taskCreate(input: $i) { task { id } errors { message } } }"
AFTER = """query($i: ID!, $t: ID!) {
  interaction: node(id: $i) { ... on Interaction { organization { id } contacts(first: 5) { edges { node { id } } } lead { id } } }
  task: node(id: $t) { ... on Task { record { __typename id } } } }"""
COUNTS = "{ organizations(first: 1) { totalCount } contacts(first: 1) { totalCount } opportunities(first: 1) { totalCount } }"


async def qualified(gql: Any) -> tuple[dict[str, Any], str, str]:
    lead = await create(
        gql,
        firstName="Ada",
        lastName="Lovelace",
        company="Analytical Engines",
        emails=["ada@engines.example"],
        country="GB",
        status="QUALIFIED",
        emailOptIn=True,
    )
    logged = await gql(LOG, {"input": {"kind": "CALL", "subject": "Discovery", "leadId": lead["id"]}})
    task = await gql(TASK, {"i": {"title": "Send the proposal", "recordId": lead["id"]}})
    return lead, logged["interactionLog"]["interaction"]["id"], task["taskCreate"]["task"]["id"]


async def events_of(tenant: Any) -> list[str]:
    async with tenant.engine.connect() as conn:
        rows = await conn.execute(
            sa.text("SELECT type FROM outbox WHERE tenant_id = :t ORDER BY seq"), {"t": tenant.id}
        )
        return [r.type for r in rows]


async def test_convert_creates_organization_contact_and_opportunity_and_moves_activity(tenant, gql):
    lead, interaction, task = await qualified(gql)
    result = ok(
        await gql(
            CONVERT,
            {
                "input": {
                    "id": lead["id"],
                    "expectedVersion": lead["version"],
                    "createOpportunity": True,
                    "amount": "12000.50",
                }
            },
        ),
        "leadConvert",
    )
    assert result["status"] == "CONVERTED" and result["convertedAt"] is not None
    assert result["convertedOrganization"]["name"] == "Analytical Engines"
    contact = result["convertedContact"]
    assert (contact["firstName"], contact["lastName"], contact["emails"]) == (
        "Ada",
        "Lovelace",
        ["ada@engines.example"],
    )
    assert result["convertedOpportunity"]["name"] == "Analytical Engines: new business"
    moved = await gql(AFTER, {"i": interaction, "t": task})
    assert moved["interaction"]["organization"] == {"id": result["convertedOrganization"]["id"]}
    assert moved["interaction"]["contacts"]["edges"] == [{"node": {"id": contact["id"]}}]
    assert moved["interaction"]["lead"] == {"id": lead["id"]}  # still says where it began
    assert moved["task"]["record"] == {"__typename": "Contact", "id": contact["id"]}
    types = await events_of(tenant)
    tail = types[types.index("lead.converted") - 6 :]
    assert {
        "organization.created",
        "contact.created",
        "opportunity.created",
        "interaction.updated",
        "task.updated",
    } <= set(tail)
    assert types[-1] == "lead.converted"
    # A converted lead is read-only and cannot be converted again.
    again = await gql(CONVERT, {"input": {"id": lead["id"]}})
    assert problems(again, "leadConvert") == {(("input", "id"), "CONVERTED")}
    edit = await gql(UPDATE, {"input": {"id": lead["id"], "title": "CEO"}})
    assert problems(edit, "leadUpdate") == {(("input", "id"), "CONVERTED")}


async def test_convert_links_existing_duplicates_instead_of_creating(gql):
    org = await gql(
        'mutation { organizationCreate(input: {name: "Engines Ltd"}) { organization { id } errors { message } } }'
    )
    org_id = org["organizationCreate"]["organization"]["id"]
    contact = await gql(
        "mutation($i: ContactCreateInput!) { contactCreate(input: $i) { contact { id } errors { message } } }",
        {"i": {"firstName": "Ada", "lastName": "Lovelace", "organizationId": org_id}},
    )
    contact_id = contact["contactCreate"]["contact"]["id"]
    lead, _, _ = await qualified(gql)
    result = ok(
        await gql(CONVERT, {"input": {"id": lead["id"], "organizationId": org_id, "contactId": contact_id}}),
        "leadConvert",
    )
    assert result["convertedOrganization"]["id"] == org_id and result["convertedContact"]["id"] == contact_id
    assert result["convertedOpportunity"] is None
    counts = await gql(COUNTS)
    assert (counts["organizations"]["totalCount"], counts["contacts"]["totalCount"]) == (1, 1)


async def test_convert_bad_input_and_conflict_leave_nothing(gql):
    lead = await create(gql, lastName="Solo")  # no company, no first name
    stale = await gql(CONVERT, {"input": {"id": lead["id"], "expectedVersion": 9}})
    assert problems(stale, "leadConvert") == {(("input", "expectedVersion"), "Conflict")}
    no_company = await gql(CONVERT, {"input": {"id": lead["id"]}})
    assert problems(no_company, "leadConvert") == {(("input", "organizationName"), "REQUIRED")}
    no_name = await gql(CONVERT, {"input": {"id": lead["id"], "organizationName": "Solo Inc"}})
    assert problems(no_name, "leadConvert") == {(("input", "contactId"), "REQUIRED")}
    missing = await gql(CONVERT, {"input": {"id": lead["id"], "organizationId": gid("Organization")}})
    assert problems(missing, "leadConvert") == {(("input", "organizationId"), "NOT_FOUND")}
    disqualified = await create(gql, company="Nope", status="DISQUALIFIED", disqualifiedReason="Student")
    refused = await gql(CONVERT, {"input": {"id": disqualified["id"]}})
    assert problems(refused, "leadConvert") == {(("input", "id"), "DISQUALIFIED")}
    counts = await gql(COUNTS)
    assert [counts[k]["totalCount"] for k in ("organizations", "contacts", "opportunities")] == [0, 0, 0]
    assert (await gql(READ, {"id": lead["id"]}))["node"]["status"] == "NEW"


async def test_a_failure_midway_leaves_nothing_changed(tenant, gql, engine):
    lead, interaction, task = await qualified(gql)
    before_events = await events_of(tenant)
    before = await gql(AFTER, {"i": interaction, "t": task})
    # The organization, contact and opportunity are written, then moving the tasks
    # fails in PostgreSQL: the API's role may not update tasks meanwhile.
    async with engine.begin() as conn:
        await conn.execute(sa.text(f"REVOKE UPDATE ON tasks FROM {APP_ROLE}"))
    try:
        response = await gql.post(CONVERT, {"input": {"id": lead["id"], "createOpportunity": True}})
    finally:
        async with engine.begin() as conn:
            await conn.execute(sa.text(f"GRANT UPDATE ON tasks TO {APP_ROLE}"))
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    counts = await gql(COUNTS)
    assert [counts[k]["totalCount"] for k in ("organizations", "contacts", "opportunities")] == [0, 0, 0]
    after = (await gql(READ, {"id": lead["id"]}))["node"]
    assert (after["status"], after["convertedAt"], after["convertedContact"], after["version"]) == (
        "QUALIFIED",
        None,
        None,
        lead["version"],
    )
    assert await gql(AFTER, {"i": interaction, "t": task}) == before
    assert await events_of(tenant) == before_events
    # With the privilege back the same conversion goes through.
    ok(await gql(CONVERT, {"input": {"id": lead["id"], "createOpportunity": True}}), "leadConvert")


async def test_a_rep_converts_their_own_lead_but_not_anothers(tenant, gql):
    rep_id = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    rep = tenant.client(rep_id)
    mine = await create(rep, firstName="Ada", company="Engines")
    assert ok(await rep(CONVERT, {"input": {"id": mine["id"]}}), "leadConvert")["convertedContact"] is not None
    theirs = await create(gql, firstName="Bo", company="Other")
    refused = await rep(CONVERT, {"input": {"id": theirs["id"]}})
    assert problems(refused, "leadConvert") == {(("input", "id"), "NotFound")}


async def test_converting_or_merging_stays_within_what_the_actor_may_update(tenant, gql):
    rep_id = await tenant.user(f"rep2@{tenant.slug}.example", ["sales_rep"])
    rep = tenant.client(rep_id)
    mine = await create(rep, firstName="Ada", company="Engines")
    other = await create(rep, firstName="Ada", company="Engines Ltd")
    # The admin logs a call about each of the rep's leads: the rep may not update it.
    for lead in (mine, other):
        logged = await gql(LOG, {"input": {"kind": "CALL", "subject": "Admin's call", "leadId": lead["id"]}})
        assert logged["interactionLog"]["errors"] == []
    counts = await gql(COUNTS)
    refused = await rep(CONVERT, {"input": {"id": mine["id"], "createOpportunity": True}})
    assert problems(refused, "leadConvert") == {(("input", "id"), "Forbidden")}
    merged = await rep(MERGE, {"input": {"survivorId": mine["id"], "mergedId": other["id"]}})
    assert problems(merged, "leadMerge") == {(("input", "mergedId"), "Forbidden")}
    assert await gql(COUNTS) == counts
    assert (await gql(READ, {"id": other["id"]}))["node"]["archivedAt"] is None
    # The admin may update every one of them: the same conversion goes through.
    ok(await gql(CONVERT, {"input": {"id": mine["id"]}}), "leadConvert")


async def test_convert_creates_the_opportunity_in_the_given_pipeline_and_stage(gql):
    pipelines = await gql(
        "{ pipelines(first: 5) { edges { node { id isDefault stages(first: 10) { edges { node { id name isWon isLost } } } } } } }"
    )
    pipeline = next(e["node"] for e in pipelines["pipelines"]["edges"] if e["node"]["isDefault"])
    stages = [e["node"] for e in pipeline["stages"]["edges"]]
    second = [s for s in stages if not (s["isWon"] or s["isLost"])][1]
    won = next(s for s in stages if s["isWon"])
    lead, _, _ = await qualified(gql)
    closed = await gql(CONVERT, {"input": {"id": lead["id"], "createOpportunity": True, "stageId": won["id"]}})
    assert problems(closed, "leadConvert") == {(("input", "stageId"), "STAGE_CLOSED")}
    converted = ok(
        await gql(
            CONVERT,
            {
                "input": {
                    "id": lead["id"],
                    "createOpportunity": True,
                    "opportunityName": "Engines rollout",
                    "pipelineId": pipeline["id"],
                    "stageId": second["id"],
                    "currency": "EUR",
                }
            },
        ),
        "leadConvert",
    )
    opportunity = await gql(
        "query($id: ID!) { node(id: $id) { ... on Opportunity { name currency source stage { id } primaryContact { id } } } }",
        {"id": converted["convertedOpportunity"]["id"]},
    )
    assert opportunity["node"] == {
        "name": "Engines rollout",
        "currency": "EUR",
        "source": "lead:manual",
        "stage": {"id": second["id"]},
        "primaryContact": {"id": converted["convertedContact"]["id"]},
    }
