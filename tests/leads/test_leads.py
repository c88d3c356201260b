"""Leads through the public GraphQL API: create, read, update, archive, the row
scopes, duplicate candidates, merge and scoring."""

from __future__ import annotations

import pytest
from tests.leads.common import (
    ARCHIVE,
    CREATE,
    MERGE,
    READ,
    RESTORE,
    SCORING_CREATE,
    SCORING_UPDATE,
    UPDATE,
    create,
    gid,
    ok,
    problems,
    raw_id,
    team,
)

LIST = """query($filter: LeadFilter, $order: LeadOrder) {
  leads(first: 50, filter: $filter, orderBy: $order) { totalCount edges { node { lastName score status } } } }"""


# --- create, read, update ---------------------------------------------------------


async def test_create_stores_a_normalized_lead_owned_by_its_creator(tenant, gql):
    lead = await create(
        gql,
        firstName=" Ada ",
        lastName=" Lovelace ",
        company="Analytical Engines",
        emails=["ADA@Engines.example", "ada@engines.example"],
        phones=["+44 20 7946 0000"],
        title="Countess",
        source="REFERRAL",
        country="gb",
        region="EMEA",
        industry="Computing",
        campaignId="spring-2027",
        attributes={"budget": "high"},
        emailOptIn=True,
    )
    assert (lead["firstName"], lead["lastName"], lead["company"]) == ("Ada", "Lovelace", "Analytical Engines")
    assert lead["emails"] == ["ada@engines.example"] and lead["country"] == "GB"
    assert (lead["source"], lead["status"], lead["score"]) == ("REFERRAL", "NEW", 0)
    assert lead["owner"]["id"] == gid("User", tenant.admin_id)
    assert lead["attributes"] == {"budget": "high"} and lead["emailOptIn"] and not lead["smsOptIn"]
    assert (await gql(READ, {"id": lead["id"]}))["node"] == lead


async def test_create_refuses_bad_input_naming_every_field(gql):
    data = await gql(
        CREATE,
        {
            "input": {
                "emails": ["not-an-email"],
                "country": "Germany",
                "status": "DISQUALIFIED",
                "attributes": [1, 2],
            }
        },
    )
    assert problems(data, "leadCreate") == {
        (("input", "emails", "0"), "INVALID"),
        (("input", "country"), "INVALID"),
        (("input", "disqualifiedReason"), "REQUIRED"),
        (("input", "attributes"), "INVALID"),
    }
    nothing = await gql(CREATE, {"input": {"firstName": "Only"}})
    assert problems(nothing, "leadCreate") == {(("input", "lastName"), "REQUIRED")}
    converted = await gql(CREATE, {"input": {"lastName": "X", "status": "CONVERTED"}})
    assert problems(converted, "leadCreate") == {(("input", "status"), "USE_LEAD_CONVERT")}
    assert (await gql(LIST))["leads"]["totalCount"] == 0


async def test_update_changes_fields_and_refuses_a_stale_version(gql):
    lead = await create(gql, company="Acme")
    updated = ok(
        await gql(
            UPDATE,
            {
                "input": {
                    "id": lead["id"],
                    "expectedVersion": 1,
                    "status": "DISQUALIFIED",
                    "disqualifiedReason": "No budget",
                }
            },
        ),
        "leadUpdate",
    )
    assert (updated["status"], updated["disqualifiedReason"], updated["version"]) == ("DISQUALIFIED", "No budget", 2)
    stale = await gql(UPDATE, {"input": {"id": lead["id"], "expectedVersion": 1, "title": "CEO"}})
    assert problems(stale, "leadUpdate") == {(("input", "expectedVersion"), "Conflict")}
    # Leaving DISQUALIFIED clears the reason; coming back needs one again.
    working = ok(await gql(UPDATE, {"input": {"id": lead["id"], "status": "WORKING"}}), "leadUpdate")
    assert (working["status"], working["disqualifiedReason"]) == ("WORKING", None)
    again = await gql(UPDATE, {"input": {"id": lead["id"], "status": "DISQUALIFIED"}})
    assert problems(again, "leadUpdate") == {(("input", "disqualifiedReason"), "REQUIRED")}
    bad = await gql(UPDATE, {"input": {"id": lead["id"], "lastName": None, "company": None, "phones": ["nope"]}})
    assert problems(bad, "leadUpdate") == {(("input", "lastName"), "REQUIRED"), (("input", "phones", "0"), "INVALID")}
    missing = await gql(UPDATE, {"input": {"id": gid("Lead"), "title": "CEO"}})
    assert problems(missing, "leadUpdate") == {(("input", "id"), "NotFound")}


async def test_archive_and_restore(gql):
    lead = await create(gql)
    archived = ok(await gql(ARCHIVE, {"input": {"id": lead["id"]}}), "leadArchive")
    assert archived["archivedAt"] is not None
    assert (await gql(LIST))["leads"]["totalCount"] == 0
    stale = await gql(RESTORE, {"input": {"id": lead["id"], "expectedVersion": 1}})
    assert problems(stale, "leadRestore") == {(("input", "expectedVersion"), "Conflict")}
    assert ok(await gql(RESTORE, {"input": {"id": lead["id"]}}), "leadRestore")["archivedAt"] is None
    refused = await gql(UPDATE, {"input": {"id": lead["id"], "title": "x" * 300}})
    assert problems(refused, "leadUpdate") == {(("input", "title"), "TOO_LONG")}


# --- scopes -----------------------------------------------------------------------


async def test_reps_see_their_own_managers_their_team_admins_all(tenant, gql):
    reps = raw_id(await team(gql, "Reps"))
    manager = tenant.client(await tenant.user(f"mgr@{tenant.slug}.example", ["sales_manager"], reps))
    ann_id = await tenant.user(f"ann@{tenant.slug}.example", ["sales_rep"], reps)
    ann = tenant.client(ann_id)
    bob = tenant.client(await tenant.user(f"bob@{tenant.slug}.example", ["sales_rep"]))
    await create(ann, lastName="Ann's")
    await create(bob, lastName="Bob's")
    await create(gql, lastName="Admin's")
    names = lambda data: sorted(e["node"]["lastName"] for e in data["leads"]["edges"])  # noqa: E731
    assert names(await ann(LIST)) == ["Ann's"]
    assert names(await bob(LIST)) == ["Bob's"]
    assert names(await manager(LIST)) == ["Ann's"]
    assert names(await gql(LIST)) == ["Admin's", "Ann's", "Bob's"]
    # A rep cannot give a lead to someone else, nor touch another's.
    given = await ann(CREATE, {"input": {"lastName": "Gift", "ownerId": gid("User", tenant.admin_id)}})
    assert problems(given, "leadCreate") == {(("input", "ownerId"), "Forbidden")}
    bobs = (await gql(LIST, {"filter": {"search": "Bob"}}))["leads"]["edges"]
    assert len(bobs) == 1
    service = tenant.client(await tenant.user(f"svc@{tenant.slug}.example", ["service_agent"]))
    refused = (await service.post(LIST)).json()
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]


# --- filters and orderings ----------------------------------------------------------


async def test_score_filters_and_sorts(gql):
    rule = await gql(
        SCORING_CREATE,
        {"input": {"name": "Decision maker", "field": "TITLE", "operator": "CONTAINS", "value": "cto", "points": 30}},
    )
    ok(rule, "leadScoringRuleCreate", "leadScoringRule")
    await create(gql, lastName="Low")
    await create(gql, lastName="High", title="CTO")
    await create(gql, lastName="Mid", title="Deputy CTO", phones=["+1 555 0100"])
    await gql(SCORING_CREATE, {"input": {"name": "Phone", "field": "PHONE", "operator": "IS_SET", "points": 5}})
    data = await gql(LIST, {"order": {"field": "SCORE", "direction": "DESC"}})
    assert [(e["node"]["lastName"], e["node"]["score"]) for e in data["leads"]["edges"]] == [
        ("Mid", 35),
        ("High", 30),
        ("Low", 0),
    ]
    ranged = await gql(LIST, {"filter": {"score": {"from": 30, "to": 34}}})
    assert [e["node"]["lastName"] for e in ranged["leads"]["edges"]] == ["High"]


# --- scoring ------------------------------------------------------------------------

LOG = """mutation($input: InteractionLogInput!) { interactionLog(input: $input) { interaction { id } errors { message path } } }"""


async def test_activity_scores_the_lead_up_to_the_maximum(gql):
    data = await gql(
        SCORING_CREATE,
        {"input": {"name": "Engaged", "field": "INTERACTIONS", "points": 10, "maxPoints": 25}},
    )
    rule = ok(data, "leadScoringRuleCreate", "leadScoringRule")
    lead = await create(gql)
    for n, expected in ((1, 10), (2, 20), (3, 25)):
        logged = await gql(LOG, {"input": {"kind": "CALL", "subject": f"Call {n}", "leadId": lead["id"]}})
        assert logged["interactionLog"]["errors"] == []
        assert (await gql(READ, {"id": lead["id"]}))["node"]["score"] == expected
    # Changing a rule rescores open leads in the same transaction.
    ok(
        await gql(SCORING_UPDATE, {"input": {"id": rule["id"], "points": 5, "maxPoints": None}}),
        "leadScoringRuleUpdate",
        "leadScoringRule",
    )
    assert (await gql(READ, {"id": lead["id"]}))["node"]["score"] == 15


async def test_scoring_rule_bad_input(gql):
    data = await gql(SCORING_CREATE, {"input": {"name": " ", "field": "ATTRIBUTE", "points": 5000}})
    assert problems(data, "leadScoringRuleCreate") == {
        (("input", "name"), "BLANK"),
        (("input", "points"), "OUT_OF_RANGE"),
        (("input", "value"), "REQUIRED"),
        (("input", "attribute"), "REQUIRED"),
    }


# --- duplicates and merge -----------------------------------------------------------


async def test_create_returns_duplicate_candidates_among_leads_and_contacts(gql):
    first = await create(
        gql, firstName="Grace", lastName="Hopper", company="Remington Rand", emails=["grace@rr.example"]
    )
    by_phone = await create(gql, lastName="Other", phones=["+1 555 0199"])
    contact = await gql(
        "mutation($i: ContactCreateInput!) { contactCreate(input: $i) { contact { id } errors { message } } }",
        {"i": {"firstName": "Grace", "lastName": "Hopper", "emails": ["grace@navy.example"]}},
    )
    contact_id = contact["contactCreate"]["contact"]["id"]
    data = await gql(
        CREATE,
        {
            "input": {
                "firstName": "Grace",
                "lastName": "Hoppers",
                "company": "Remington Rand Inc",
                "emails": ["GRACE@navy.example"],
                "phones": ["+1 555 0199"],
            }
        },
    )
    found = {(d["record"]["__typename"], d["record"]["id"]): d for d in data["leadCreate"]["duplicates"]}
    assert set(found) == {("Lead", first["id"]), ("Lead", by_phone["id"]), ("Contact", contact_id)}
    assert found[("Lead", first["id"])]["reasons"] == ["NAME"] and found[("Lead", first["id"])]["similarity"] >= 0.5
    assert found[("Lead", by_phone["id"])]["reasons"] == ["PHONE"]
    assert found[("Contact", contact_id)]["reasons"] == ["EMAIL"]
    # The lead is created all the same, and a stranger has no candidates.
    assert data["leadCreate"]["lead"] is not None
    stranger = await gql(CREATE, {"input": {"lastName": "Nobody", "company": "Elsewhere", "emails": ["n@x.example"]}})
    assert stranger["leadCreate"]["duplicates"] == []
    # leadDuplicates offers the same for an existing lead.
    query = "query($id: ID!) { leadDuplicates(id: $id) { reasons record { id } } }"
    again = await gql(query, {"id": data["leadCreate"]["lead"]["id"]})
    assert {d["record"]["id"] for d in again["leadDuplicates"]} == {first["id"], by_phone["id"], contact_id}


async def test_duplicates_are_only_those_the_creator_may_see(tenant, gql):
    await create(gql, lastName="Secret", emails=["same@x.example"])
    rep = tenant.client(await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
    data = await rep(CREATE, {"input": {"lastName": "Mine", "emails": ["same@x.example"]}})
    assert data["leadCreate"]["duplicates"] == []


async def test_merge_folds_a_duplicate_into_the_survivor(gql):
    survivor = await create(gql, lastName="Hopper", emails=["a@x.example"])
    merged = await create(
        gql,
        firstName="Grace",
        lastName="Hopper",
        emails=["b@x.example"],
        phones=["+1 555 0100"],
        doNotCall=True,
        title="RADM",
    )
    task = await gql(
        "mutation($i: TaskCreateInput!) { taskCreate(input: $i) { task { id record { id } } errors { message path } } }",
        {"i": {"title": "Call back", "recordId": merged["id"]}},
    )
    assert task["taskCreate"]["errors"] == []
    result = ok(
        await gql(MERGE, {"input": {"survivorId": survivor["id"], "mergedId": merged["id"], "expectedVersion": 1}}),
        "leadMerge",
    )
    assert result["emails"] == ["a@x.example", "b@x.example"] and result["phones"] == ["+1 555 0100"]
    assert (result["firstName"], result["title"], result["doNotCall"]) == ("Grace", "RADM", True)
    gone = (await gql(READ, {"id": merged["id"]}))["node"]
    assert gone["archivedAt"] is not None and gone["mergedInto"] == {"id": survivor["id"]}
    moved = await gql(
        "query($id: ID!) { node(id: $id) { ... on Task { record { id } } } }", {"id": task["taskCreate"]["task"]["id"]}
    )
    assert moved["node"]["record"] == {"id": survivor["id"]}


async def test_merge_refusals(gql):
    a = await create(gql)
    b = await create(gql)
    itself = await gql(MERGE, {"input": {"survivorId": a["id"], "mergedId": a["id"]}})
    assert problems(itself, "leadMerge") == {(("input", "mergedId"), "SELF_MERGE")}
    stale = await gql(MERGE, {"input": {"survivorId": a["id"], "mergedId": b["id"], "expectedVersion": 7}})
    assert problems(stale, "leadMerge") == {(("input", "expectedVersion"), "Conflict")}
    missing = await gql(MERGE, {"input": {"survivorId": a["id"], "mergedId": gid("Lead")}})
    assert problems(missing, "leadMerge") == {(("input", "mergedId"), "NotFound")}
    wrong = await gql(MERGE, {"input": {"survivorId": a["id"], "mergedId": gid("Contact")}})
    assert problems(wrong, "leadMerge") == {(("input", "mergedId"), "INVALID_ID")}
    assert (await gql(READ, {"id": b["id"]}))["node"]["archivedAt"] is None


# --- archive and restore of the rules and forms -------------------------------------

SETUP = {
    "LeadScoringRule": (
        SCORING_CREATE,
        "leadScoringRuleCreate",
        "leadScoringRule",
        {"name": "P", "field": "PHONE", "operator": "IS_SET", "points": 1},
    ),
    "LeadForm": (
        "mutation($input: LeadFormCreateInput!) { leadFormCreate(input: $input) { leadForm { id } errors { message } } }",
        "leadFormCreate",
        "leadForm",
        {"name": "F", "fields": ["email"], "origins": ["*"]},
    ),
}


@pytest.mark.parametrize("type_name", ["LeadScoringRule", "LeadForm", "LeadAssignmentRule"])
async def test_rules_and_forms_archive_and_restore(tenant, gql, type_name):
    if type_name == "LeadAssignmentRule":
        made = await gql(
            'mutation($o: ID!) { leadAssignmentRuleCreate(input: {name: "F", method: OWNER, ownerId: $o}) { leadAssignmentRule { id } errors { message } } }',
            {"o": gid("User", tenant.admin_id)},
        )
        id_ = made["leadAssignmentRuleCreate"]["leadAssignmentRule"]["id"]
    else:
        operation, field, record, given = SETUP[type_name]
        id_ = ok(await gql(operation, {"input": given}), field, record)["id"]
    name = type_name[0].lower() + type_name[1:]
    archive = f"mutation($input: RecordArchiveInput!) {{ {name}Archive(input: $input) {{ {name} {{ archivedAt version }} errors {{ __typename path ... on ValidationError {{ code }} }} }} }}"
    restore = archive.replace("Archive(", "Restore(")
    archived = await gql(archive, {"input": {"id": id_, "expectedVersion": 1}})
    assert archived[f"{name}Archive"][name]["archivedAt"] is not None
    stale = await gql(restore, {"input": {"id": id_, "expectedVersion": 1}})
    assert problems(stale, f"{name}Restore") == {(("input", "expectedVersion"), "Conflict")}
    wrong = await gql(restore, {"input": {"id": gid("Lead")}})
    assert problems(wrong, f"{name}Restore") == {(("input", "id"), "INVALID_ID")}
    restored = await gql(restore, {"input": {"id": id_}})
    assert restored[f"{name}Restore"][name]["archivedAt"] is None


async def test_scoring_rule_update_conflict_and_archiving_rescores(gql):
    made = ok(
        await gql(SCORING_CREATE, {"input": {"name": "Phone", "field": "PHONE", "operator": "IS_SET", "points": 7}}),
        "leadScoringRuleCreate",
        "leadScoringRule",
    )
    lead = await create(gql, phones=["+1 555 0100"])
    assert lead["score"] == 7
    stale = await gql(SCORING_UPDATE, {"input": {"id": made["id"], "expectedVersion": 4, "points": 1}})
    assert problems(stale, "leadScoringRuleUpdate") == {(("input", "expectedVersion"), "Conflict")}
    await gql(
        "mutation($input: RecordArchiveInput!) { leadScoringRuleArchive(input: $input) { errors { message } } }",
        {"input": {"id": made["id"]}},
    )
    assert (await gql(READ, {"id": lead["id"]}))["node"]["score"] == 0
