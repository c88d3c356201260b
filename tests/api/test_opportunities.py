"""Pipelines and opportunities through the public GraphQL API: create, edit, move, win, lose."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.contacts.models import Contact
from crm_graph.readside.ids import from_global_id, to_global_id
from crm_graph.readside.spec import entity

ERRORS = "errors { __typename message path ... on ValidationError { code } ... on Conflict { currentVersion } }"
STAGES = "stages(first: 50) { edges { node { id name position probability isWon isLost } } }"
PIPELINE = f"id name isDefault staleAfterDays version {STAGES}"
OPPORTUNITY = """id name amount currency probability status closedAt lostReason expectedCloseDate source version
  stage { id name } pipeline { id name } owner { id } organization { id } primaryContact { id }
  stageHistory(first: 10) { edges { node { fromStage { name } toStage { name } changedBy { id } changedAt } } }"""

PIPELINE_CREATE = f"mutation($input: PipelineCreateInput!) {{ pipelineCreate(input: $input) {{ pipeline {{ {PIPELINE} }} {ERRORS} }} }}"
PIPELINE_UPDATE = f"mutation($input: PipelineUpdateInput!) {{ pipelineUpdate(input: $input) {{ pipeline {{ {PIPELINE} }} {ERRORS} }} }}"
CREATE = f"mutation($input: OpportunityCreateInput!) {{ opportunityCreate(input: $input) {{ opportunity {{ {OPPORTUNITY} }} {ERRORS} }} }}"
UPDATE = f"mutation($input: OpportunityUpdateInput!) {{ opportunityUpdate(input: $input) {{ opportunity {{ {OPPORTUNITY} }} {ERRORS} }} }}"
MOVE = f"mutation($input: OpportunityMoveStageInput!) {{ opportunityMoveStage(input: $input) {{ opportunity {{ {OPPORTUNITY} }} {ERRORS} }} }}"
WIN = f"mutation($input: OpportunityWinInput!) {{ opportunityWin(input: $input) {{ opportunity {{ {OPPORTUNITY} }} {ERRORS} }} }}"
LOSE = f"mutation($input: OpportunityLoseInput!) {{ opportunityLose(input: $input) {{ opportunity {{ {OPPORTUNITY} }} {ERRORS} }} }}"
READ = (
    f"query($id: ID!) {{ node(id: $id) {{ ... on Opportunity {{ {OPPORTUNITY} }} ... on Pipeline {{ {PIPELINE} }} }} }}"
)
PIPELINES = f"{{ pipelines(first: 10) {{ totalCount edges {{ node {{ {PIPELINE} }} }} }} }}"


def gid(entity_name: str, id_: uuid.UUID | None = None) -> str:
    return to_global_id(entity(entity_name), id_ or uuid.uuid4())


def ok(data: dict[str, Any], field: str, record: str) -> dict[str, Any]:
    assert data[field]["errors"] == [], data[field]["errors"]
    return data[field][record]


def errors(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    assert data[field][next(k for k in data[field] if k != "errors")] is None
    return data[field]["errors"]


def stage_names(pipeline: dict[str, Any]) -> list[str]:
    return [e["node"]["name"] for e in pipeline["stages"]["edges"]]


def history(opportunity: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [
        ((e["node"]["fromStage"] or {}).get("name"), e["node"]["toStage"]["name"])
        for e in opportunity["stageHistory"]["edges"]
    ]


async def default_pipeline(gql: Any) -> dict[str, Any]:
    data = await gql(PIPELINES)
    return next(e["node"] for e in data["pipelines"]["edges"] if e["node"]["isDefault"])


def stage_id(pipeline: dict[str, Any], name: str) -> str:
    return next(e["node"]["id"] for e in pipeline["stages"]["edges"] if e["node"]["name"] == name)


async def read(gql: Any, id_: str) -> dict[str, Any]:
    return (await gql(READ, {"id": id_}))["node"]


async def organization(gql: Any, name: str = "Acme") -> str:
    data = await gql(
        "mutation($n: String!) { organizationCreate(input: {name: $n}) { organization { id } errors { message } } }",
        {"n": name},
    )
    return data["organizationCreate"]["organization"]["id"]


async def contact(tenant: Any, organization_id: str | None, first: str = "Ada") -> str:
    # Inserted directly: these tests are about opportunities, not the contact mutations.
    org = from_global_id(organization_id)[1] if organization_id else None  # type: ignore[index]
    async with tenant.engine.begin() as conn:
        row = await conn.execute(
            sa.insert(Contact.__table__)
            .values(tenant_id=tenant.id, first_name=first, last_name="Lovelace", organization_id=org)
            .returning(Contact.__table__.c.id)
        )
        return gid("Contact", row.scalar_one())


async def opportunity(gql: Any, **given: Any) -> dict[str, Any]:
    return ok(await gql(CREATE, {"input": {"name": "Big deal", **given}}), "opportunityCreate", "opportunity")


NEW_STAGES = [
    {"name": "Lead", "probability": 10},
    {"name": "Demo", "probability": 40},
    {"name": "Won", "isWon": True},
    {"name": "Lost", "isLost": True},
]


# --- pipelines ------------------------------------------------------------------


async def test_pipeline_create_keeps_stage_order_and_takes_over_the_default(gql):
    created = ok(
        await gql(
            PIPELINE_CREATE,
            {"input": {"name": " Enterprise ", "isDefault": True, "staleAfterDays": 30, "stages": NEW_STAGES}},
        ),
        "pipelineCreate",
        "pipeline",
    )
    assert created["name"] == "Enterprise" and created["isDefault"] and created["staleAfterDays"] == 30
    nodes = [e["node"] for e in created["stages"]["edges"]]
    assert [(n["name"], n["position"], n["probability"], n["isWon"], n["isLost"]) for n in nodes] == [
        ("Lead", 1, 10, False, False),
        ("Demo", 2, 40, False, False),
        ("Won", 3, 100, True, False),
        ("Lost", 4, 0, False, True),
    ]
    defaults = {e["node"]["name"]: e["node"]["isDefault"] for e in (await gql(PIPELINES))["pipelines"]["edges"]}
    assert defaults == {"Enterprise": True, "Sales": False}
    # New opportunities now start in the new default pipeline.
    assert (await opportunity(gql))["stage"]["name"] == "Lead"


async def test_pipeline_create_reports_every_bad_stage_and_creates_nothing(gql):
    stages = [
        {"name": "Lead", "probability": 120},
        {"name": "lead"},
        {"name": "Won", "isWon": True, "probability": 90},
        {"name": "Odd", "isWon": True, "isLost": True},
    ]
    data = await gql(PIPELINE_CREATE, {"input": {"name": "Broken", "stages": stages}})
    found = {(tuple(e["path"]), e["code"]) for e in errors(data, "pipelineCreate")}
    assert found == {
        (("input", "stages", "0", "probability"), "OUT_OF_RANGE"),
        (("input", "stages", "1", "name"), "DUPLICATE"),
        (("input", "stages", "2", "probability"), "OUT_OF_RANGE"),
        (("input", "stages", "3", "isLost"), "INVALID"),
        (("input", "stages"), "WON_STAGE"),
    }
    only_open = [{"name": "Lead"}, {"name": "Won", "isWon": True}]
    data = await gql(PIPELINE_CREATE, {"input": {"name": "Broken", "stages": only_open}})
    assert [(e["path"], e["code"]) for e in errors(data, "pipelineCreate")] == [(["input", "stages"], "LOST_STAGE")]
    data = await gql(PIPELINE_CREATE, {"input": {"name": "sales", "stages": NEW_STAGES}})
    assert [(e["path"], e["code"]) for e in errors(data, "pipelineCreate")] == [(["input", "name"], "DUPLICATE")]
    assert (await gql(PIPELINES))["pipelines"]["totalCount"] == 1


async def test_pipeline_update_reorders_renames_adds_and_removes_stages(gql):
    sales = await default_pipeline(gql)
    ids = {e["node"]["name"]: e["node"]["id"] for e in sales["stages"]["edges"]}
    stages = [
        {"id": ids["Discovery"], "name": "Discovery call", "probability": 15},
        {"id": ids["Qualification"], "name": "Qualification", "probability": 10},
        {"name": "Trial", "probability": 60},
        {"id": ids["Closed Won"], "name": "Closed Won", "isWon": True},
        {"id": ids["Closed Lost"], "name": "Closed Lost", "isLost": True},
    ]  # Proposal and Negotiation are left out
    updated = ok(
        await gql(PIPELINE_UPDATE, {"input": {"id": sales["id"], "expectedVersion": 1, "stages": stages}}),
        "pipelineUpdate",
        "pipeline",
    )
    assert updated["version"] == 2
    assert stage_names(updated) == ["Discovery call", "Qualification", "Trial", "Closed Won", "Closed Lost"]
    assert [e["node"]["position"] for e in updated["stages"]["edges"]] == [1, 2, 3, 4, 5]
    assert stage_id(updated, "Discovery call") == ids["Discovery"]  # renamed, same stage
    assert stage_names(await read(gql, sales["id"])) == stage_names(updated)


async def test_pipeline_update_cannot_remove_a_stage_holding_opportunities(gql):
    sales = await default_pipeline(gql)
    await opportunity(gql)  # sits in Qualification
    keep = [
        {
            "id": e["node"]["id"],
            "name": e["node"]["name"],
            "isWon": e["node"]["isWon"],
            "isLost": e["node"]["isLost"],
            "probability": e["node"]["probability"],
        }
        for e in sales["stages"]["edges"]
        if e["node"]["name"] != "Qualification"
    ]
    data = await gql(PIPELINE_UPDATE, {"input": {"id": sales["id"], "name": "Renamed", "stages": keep}})
    (error,) = errors(data, "pipelineUpdate")
    assert (error["__typename"], error["path"], error["code"]) == (
        "ValidationError",
        ["input", "stages"],
        "STAGE_IN_USE",
    )
    assert "Qualification" in error["message"]
    # Nor may it become the won stage (Closed Won turning open): its opportunities are open.
    swapped = [{**s, "isWon": False, "probability": 0} if s["name"] == "Closed Won" else s for s in keep]
    qualification = {"id": stage_id(sales, "Qualification"), "name": "Qualification", "isWon": True, "probability": 100}
    data = await gql(PIPELINE_UPDATE, {"input": {"id": sales["id"], "stages": [qualification, *swapped]}})
    assert [(e["path"], e["code"]) for e in errors(data, "pipelineUpdate")] == [
        (["input", "stages", "0", "isWon"], "STAGE_IN_USE")
    ]
    assert await read(gql, sales["id"]) == sales  # name, stages and version untouched


async def test_pipeline_update_rejects_bad_input_and_changes_nothing(gql, tenant):
    sales = await default_pipeline(gql)
    other = ok(
        await gql(PIPELINE_CREATE, {"input": {"name": "Partners", "stages": NEW_STAGES}}), "pipelineCreate", "pipeline"
    )
    foreign = [
        {"id": stage_id(other, "Lead"), "name": "Lead"},
        {"name": "Won", "isWon": True},
        {"name": "Lost", "isLost": True},
    ]
    cases = [
        ({"stages": foreign}, ["input", "stages", "0", "id"], "NOT_FOUND"),
        ({"stages": [{"id": sales["id"], "name": "x"}]}, ["input", "stages", "0", "id"], "INVALID_ID"),
        ({"isDefault": False}, ["input", "isDefault"], "DEFAULT_REQUIRED"),
        ({"name": "  "}, ["input", "name"], "BLANK"),
        ({"staleAfterDays": 0}, ["input", "staleAfterDays"], "OUT_OF_RANGE"),
    ]
    for given, path, code in cases:
        data = await gql(PIPELINE_UPDATE, {"input": {"id": sales["id"], **given}})
        assert [(e["path"], e["code"]) for e in errors(data, "pipelineUpdate")] == [(path, code)], given
    assert await read(gql, sales["id"]) == sales


async def test_pipeline_update_with_a_stale_version_is_a_conflict(gql):
    sales = await default_pipeline(gql)
    ok(await gql(PIPELINE_UPDATE, {"input": {"id": sales["id"], "staleAfterDays": 7}}), "pipelineUpdate", "pipeline")
    data = await gql(PIPELINE_UPDATE, {"input": {"id": sales["id"], "expectedVersion": 1, "name": "Mine"}})
    (error,) = errors(data, "pipelineUpdate")
    assert (error["__typename"], error["currentVersion"], error["path"]) == (
        "Conflict",
        2,
        ["input", "expectedVersion"],
    )
    assert (await read(gql, sales["id"]))["name"] == "Sales"


async def test_pipeline_update_of_an_unknown_or_foreign_pipeline_is_not_found(gql, other):
    theirs = await default_pipeline(other.client())
    for id_ in (gid("Pipeline"), theirs["id"]):
        data = await gql(PIPELINE_UPDATE, {"input": {"id": id_, "name": "Hijacked"}})
        assert [(e["__typename"], e["path"]) for e in errors(data, "pipelineUpdate")] == [("NotFound", ["input", "id"])]
    assert (await default_pipeline(other.client()))["name"] == "Sales"


# --- opportunityCreate / opportunityUpdate ---------------------------------------


async def test_opportunity_create_defaults_to_the_default_pipeline_first_stage_and_you(gql, tenant):
    created = await opportunity(gql)
    assert (created["pipeline"]["name"], created["stage"]["name"], created["probability"]) == (
        "Sales",
        "Qualification",
        10,
    )
    assert (created["status"], created["currency"], created["closedAt"]) == ("OPEN", "USD", None)
    assert created["owner"]["id"] == gid("User", tenant.admin_id)
    (first,) = created["stageHistory"]["edges"]
    assert first["node"]["fromStage"] is None and first["node"]["toStage"]["name"] == "Qualification"
    assert first["node"]["changedBy"]["id"] == gid("User", tenant.admin_id)
    assert await read(gql, created["id"]) == created


async def test_opportunity_create_with_organization_contact_and_stage(gql, tenant):
    org = await organization(gql)
    ada = await contact(tenant, org)
    sales = await default_pipeline(gql)
    created = await opportunity(
        gql,
        organizationId=org,
        primaryContactId=ada,
        stageId=stage_id(sales, "Proposal"),
        amount="12500.50",
        currency="eur",
        probability=35,
        expectedCloseDate="2030-06-30",
        source="Referral",
    )
    assert (created["organization"]["id"], created["primaryContact"]["id"]) == (org, ada)
    assert (created["amount"], created["currency"], created["probability"]) == ("12500.50", "EUR", 35)
    assert (created["stage"]["name"], created["expectedCloseDate"], created["source"]) == (
        "Proposal",
        "2030-06-30",
        "Referral",
    )
    assert history(created) == [(None, "Proposal")]
    listed = await gql(
        "query($id: ID!) { node(id: $id) { ... on Organization { opportunities(first: 5) { edges { node { id } } } } } }",
        {"id": org},
    )
    assert listed["node"]["opportunities"]["edges"] == [{"node": {"id": created["id"]}}]


async def test_opportunity_create_rejects_bad_input_and_creates_nothing(gql, tenant, other):
    org, elsewhere = await organization(gql, "Acme"), await organization(gql, "Globex")
    stranger = await contact(tenant, elsewhere)
    partners = ok(
        await gql(PIPELINE_CREATE, {"input": {"name": "Partners", "stages": NEW_STAGES}}), "pipelineCreate", "pipeline"
    )
    sales = await default_pipeline(gql)
    cases = [
        ({"amount": "-1"}, ["input", "amount"], "OUT_OF_RANGE"),
        ({"amount": "1.005"}, ["input", "amount"], "INVALID"),
        ({"currency": "EURO"}, ["input", "currency"], "INVALID"),
        ({"probability": 101}, ["input", "probability"], "OUT_OF_RANGE"),
        ({"name": " "}, ["input", "name"], "BLANK"),
        ({"stageId": stage_id(partners, "Lead")}, ["input", "stageId"], "WRONG_PIPELINE"),
        ({"stageId": stage_id(sales, "Closed Won")}, ["input", "stageId"], "STAGE_CLOSED"),
        ({"organizationId": org, "primaryContactId": stranger}, ["input", "primaryContactId"], "MISMATCH"),
        ({"organizationId": await organization(other.client())}, ["input", "organizationId"], "NOT_FOUND"),
        ({"organizationId": gid("Organization")}, ["input", "organizationId"], "NOT_FOUND"),
        ({"organizationId": stranger}, ["input", "organizationId"], "INVALID_ID"),
    ]
    for given, path, code in cases:
        data = await gql(CREATE, {"input": {"name": "Deal", **given}})
        assert [(e["path"], e["code"]) for e in errors(data, "opportunityCreate")] == [(path, code)], given
    assert (await gql("{ opportunities(first: 1) { totalCount } }"))["opportunities"]["totalCount"] == 0


async def test_opportunity_update_changes_only_the_given_fields(gql, tenant):
    org = await organization(gql)
    created = await opportunity(gql, organizationId=org, amount="100")
    ada = await contact(tenant, org)
    data = await gql(
        UPDATE,
        {
            "input": {
                "id": created["id"],
                "expectedVersion": 1,
                "name": "Bigger deal",
                "amount": "250.00",
                "primaryContactId": ada,
                "expectedCloseDate": None,
            }
        },
    )
    updated = ok(data, "opportunityUpdate", "opportunity")
    assert (updated["name"], updated["amount"], updated["primaryContact"]["id"], updated["version"]) == (
        "Bigger deal",
        "250.00",
        ada,
        2,
    )
    assert (updated["stage"], updated["organization"], history(updated)) == (
        created["stage"],
        created["organization"],
        history(created),
    )
    assert await read(gql, created["id"]) == updated


async def test_opportunity_update_rejects_bad_input_stale_versions_and_foreign_ids(gql, tenant, other):
    org = await organization(gql)
    created = await opportunity(gql, organizationId=org)
    stranger = await contact(tenant, await organization(gql, "Globex"))
    cases = [
        ({"name": None}, "ValidationError", ["input", "name"]),
        ({"currency": None}, "ValidationError", ["input", "currency"]),
        ({"amount": "-0.01"}, "ValidationError", ["input", "amount"]),
        ({"primaryContactId": stranger}, "ValidationError", ["input", "primaryContactId"]),
        ({"expectedVersion": 0, "name": "Stale"}, "Conflict", ["input", "expectedVersion"]),
    ]
    for given, kind, path in cases:
        data = await gql(UPDATE, {"input": {"id": created["id"], **given}})
        assert [(e["__typename"], e["path"]) for e in errors(data, "opportunityUpdate")] == [(kind, path)], given
    assert await read(gql, created["id"]) == created
    theirs = await opportunity(other.client())
    for id_ in (gid("Opportunity"), theirs["id"]):
        data = await gql(UPDATE, {"input": {"id": id_, "name": "Mine now"}})
        assert [(e["__typename"], e["path"]) for e in errors(data, "opportunityUpdate")] == [
            ("NotFound", ["input", "id"])
        ]
    assert (await read(other.client(), theirs["id"]))["name"] == "Big deal"


# --- opportunityMoveStage / opportunityWin / opportunityLose ----------------------


async def test_move_stage_records_history_and_closes_and_reopens(gql, tenant):
    sales = await default_pipeline(gql)
    created = await opportunity(gql, probability=5)
    moved = ok(
        await gql(MOVE, {"input": {"id": created["id"], "stageId": stage_id(sales, "Proposal"), "expectedVersion": 1}}),
        "opportunityMoveStage",
        "opportunity",
    )
    assert (moved["stage"]["name"], moved["probability"], moved["status"], moved["version"]) == (
        "Proposal",
        50,
        "OPEN",
        2,
    )
    won = ok(
        await gql(MOVE, {"input": {"id": created["id"], "stageId": stage_id(sales, "Closed Won")}}),
        "opportunityMoveStage",
        "opportunity",
    )
    assert (won["status"], won["probability"]) == ("WON", 100) and won["closedAt"] is not None
    reopened = ok(
        await gql(MOVE, {"input": {"id": created["id"], "stageId": stage_id(sales, "Discovery")}}),
        "opportunityMoveStage",
        "opportunity",
    )
    assert (reopened["status"], reopened["closedAt"], reopened["stage"]["name"]) == ("OPEN", None, "Discovery")
    again = await read(gql, created["id"])
    assert history(again) == [
        (None, "Qualification"),
        ("Qualification", "Proposal"),
        ("Proposal", "Closed Won"),
        ("Closed Won", "Discovery"),
    ]
    times = [e["node"]["changedAt"] for e in again["stageHistory"]["edges"]]
    assert times == sorted(times) and len(set(times)) == 4
    assert {e["node"]["changedBy"]["id"] for e in again["stageHistory"]["edges"]} == {gid("User", tenant.admin_id)}
    # Moving to the stage it is in changes nothing.
    same = ok(
        await gql(MOVE, {"input": {"id": created["id"], "stageId": stage_id(sales, "Discovery")}}),
        "opportunityMoveStage",
        "opportunity",
    )
    assert same == again


async def test_move_stage_refuses_other_pipelines_stale_versions_and_foreign_ids(gql, other):
    partners = ok(
        await gql(PIPELINE_CREATE, {"input": {"name": "Partners", "stages": NEW_STAGES}}), "pipelineCreate", "pipeline"
    )
    sales = await default_pipeline(gql)
    created = await opportunity(gql)
    cases = [
        ({"stageId": stage_id(partners, "Demo")}, "ValidationError", ["input", "stageId"]),
        ({"stageId": gid("Stage")}, "ValidationError", ["input", "stageId"]),
        ({"stageId": created["id"]}, "ValidationError", ["input", "stageId"]),
        ({"stageId": stage_id(sales, "Proposal"), "expectedVersion": 7}, "Conflict", ["input", "expectedVersion"]),
    ]
    for given, kind, path in cases:
        data = await gql(MOVE, {"input": {"id": created["id"], **given}})
        assert [(e["__typename"], e["path"]) for e in errors(data, "opportunityMoveStage")] == [(kind, path)], given
    assert await read(gql, created["id"]) == created
    theirs = await opportunity(other.client())
    for id_ in (gid("Opportunity"), theirs["id"]):
        data = await gql(MOVE, {"input": {"id": id_, "stageId": stage_id(sales, "Proposal")}})
        assert [(e["__typename"], e["path"]) for e in errors(data, "opportunityMoveStage")] == [
            ("NotFound", ["input", "id"])
        ]
    assert history(await read(other.client(), theirs["id"])) == [(None, "Qualification")]


async def test_win_closes_in_the_won_stage_once(gql):
    created = await opportunity(gql)
    won = ok(await gql(WIN, {"input": {"id": created["id"], "expectedVersion": 1}}), "opportunityWin", "opportunity")
    assert (won["status"], won["stage"]["name"], won["probability"], won["version"]) == ("WON", "Closed Won", 100, 2)
    assert won["closedAt"] is not None and history(won) == [(None, "Qualification"), ("Qualification", "Closed Won")]
    data = await gql(WIN, {"input": {"id": created["id"]}})
    assert [(e["path"], e["code"]) for e in errors(data, "opportunityWin")] == [(["input", "id"], "ALREADY_CLOSED")]
    data = await gql(LOSE, {"input": {"id": created["id"], "lostReason": "Changed our mind"}})
    assert [(e["path"], e["code"]) for e in errors(data, "opportunityLose")] == [(["input", "id"], "ALREADY_CLOSED")]
    assert await read(gql, created["id"]) == won


async def test_win_refuses_stale_versions_and_foreign_ids(gql, other):
    created = await opportunity(gql)
    data = await gql(WIN, {"input": {"id": created["id"], "expectedVersion": 2}})
    assert [(e["__typename"], e["currentVersion"]) for e in errors(data, "opportunityWin")] == [("Conflict", 1)]
    assert await read(gql, created["id"]) == created
    theirs = await opportunity(other.client())
    for id_ in (gid("Opportunity"), theirs["id"]):
        data = await gql(WIN, {"input": {"id": id_}})
        assert [(e["__typename"], e["path"]) for e in errors(data, "opportunityWin")] == [("NotFound", ["input", "id"])]
    assert (await read(other.client(), theirs["id"]))["status"] == "OPEN"


async def test_lose_needs_a_reason_and_closes_in_the_lost_stage(gql, other):
    created = await opportunity(gql)
    data = await gql(LOSE, {"input": {"id": created["id"], "lostReason": "   "}})
    assert [(e["path"], e["code"]) for e in errors(data, "opportunityLose")] == [(["input", "lostReason"], "BLANK")]
    data = await gql(LOSE, {"input": {"id": created["id"], "lostReason": "Price", "expectedVersion": 3}})
    assert [(e["__typename"], e["currentVersion"]) for e in errors(data, "opportunityLose")] == [("Conflict", 1)]
    assert await read(gql, created["id"]) == created
    lost = ok(
        await gql(LOSE, {"input": {"id": created["id"], "lostReason": " Price ", "expectedVersion": 1}}),
        "opportunityLose",
        "opportunity",
    )
    assert (lost["status"], lost["stage"]["name"], lost["probability"], lost["lostReason"]) == (
        "LOST",
        "Closed Lost",
        0,
        "Price",
    )
    assert lost["closedAt"] is not None and history(lost)[-1] == ("Qualification", "Closed Lost")
    theirs = await opportunity(other.client())
    for id_ in (gid("Opportunity"), theirs["id"]):
        data = await gql(LOSE, {"input": {"id": id_, "lostReason": "Price"}})
        assert [(e["__typename"], e["path"]) for e in errors(data, "opportunityLose")] == [
            ("NotFound", ["input", "id"])
        ]
    assert (await read(other.client(), theirs["id"]))["status"] == "OPEN"


# --- who may ----------------------------------------------------------------------


async def test_a_sales_rep_works_own_deals_only_and_a_manager_reshapes_pipelines(gql, tenant):
    rep = tenant.client(await tenant.user("rep@example.com", ["sales_rep"]))
    data = (await rep.post(PIPELINE_CREATE, {"input": {"name": "Rogue", "stages": NEW_STAGES}})).json()
    assert data["data"] is None and data["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admins = await opportunity(gql)
    data = await rep(WIN, {"input": {"id": admins["id"]}})  # invisible to the rep, so as good as absent
    assert [(e["__typename"], e["path"]) for e in errors(data, "opportunityWin")] == [("NotFound", ["input", "id"])]
    data = await rep(CREATE, {"input": {"name": "For the boss", "ownerId": gid("User", tenant.admin_id)}})
    assert [(e["__typename"], e["path"]) for e in errors(data, "opportunityCreate")] == [
        ("Forbidden", ["input", "ownerId"])
    ]
    mine = await opportunity(rep)
    assert mine["owner"]["id"] != admins["owner"]["id"]
    assert ok(await rep(WIN, {"input": {"id": mine["id"]}}), "opportunityWin", "opportunity")["status"] == "WON"
    assert (await read(gql, admins["id"]))["status"] == "OPEN"
    assert (await gql("{ opportunities(first: 5) { totalCount } }"))["opportunities"]["totalCount"] == 2
    # Removing an unused stage is part of updating the pipeline, which managers may do.
    manager = tenant.client(await tenant.user("boss@example.com", ["sales_manager"]))
    sales = await default_pipeline(gql)
    keep = [
        {
            "id": e["node"]["id"],
            "name": e["node"]["name"],
            "isWon": e["node"]["isWon"],
            "isLost": e["node"]["isLost"],
            "probability": e["node"]["probability"],
        }
        for e in sales["stages"]["edges"]
        if e["node"]["name"] != "Negotiation"
    ]
    updated = ok(
        await manager(PIPELINE_UPDATE, {"input": {"id": sales["id"], "stages": keep}}), "pipelineUpdate", "pipeline"
    )
    assert "Negotiation" not in stage_names(updated) and updated["version"] == sales["version"] + 1
