"""Interactions (logged activities) and tasks through the public GraphQL API."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa

from crm_graph.domains.contacts.models import Contact
from crm_graph.readside.ids import from_global_id, to_global_id
from crm_graph.readside.spec import entity

ERRORS = "errors { __typename message path ... on ValidationError { code } ... on Conflict { currentVersion } }"
INTERACTION = """id kind direction occurredAt subject body durationMinutes version
  organization { id } opportunity { id } owner { id }
  contacts(first: 20) { edges { node { id firstName } } } users(first: 20) { edges { node { id } } }"""
TASK = """id title description dueAt status completedAt version assignee { id }
  record { __typename id }"""
LOG = f"mutation($input: InteractionLogInput!) {{ interactionLog(input: $input) {{ interaction {{ {INTERACTION} }} {ERRORS} }} }}"
UPDATE = f"mutation($input: InteractionUpdateInput!) {{ interactionUpdate(input: $input) {{ interaction {{ {INTERACTION} }} {ERRORS} }} }}"
TASK_CREATE = f"mutation($input: TaskCreateInput!) {{ taskCreate(input: $input) {{ task {{ {TASK} }} {ERRORS} }} }}"
TASK_UPDATE = f"mutation($input: TaskUpdateInput!) {{ taskUpdate(input: $input) {{ task {{ {TASK} }} {ERRORS} }} }}"
TASK_COMPLETE = (
    f"mutation($input: TaskCompleteInput!) {{ taskComplete(input: $input) {{ task {{ {TASK} }} {ERRORS} }} }}"
)
READ = f"query($id: ID!) {{ node(id: $id) {{ ... on Interaction {{ {INTERACTION} }} ... on Task {{ {TASK} }} }} }}"
ACTIVITY = """query($id: ID!) { node(id: $id) {
  ... on Organization { interactions(first: 20) { edges { node { id subject } } } tasks(first: 20) { edges { node { id } } } }
  ... on Contact { interactions(first: 20) { edges { node { id subject } } } tasks(first: 20) { edges { node { id } } } } } }"""
COUNTS = "{ interactions(first: 1) { totalCount } tasks(first: 1) { totalCount } }"


def gid(entity_name: str, id_: uuid.UUID | None = None) -> str:
    return to_global_id(entity(entity_name), id_ or uuid.uuid4())


def ok(data: dict[str, Any], field: str, record: str) -> dict[str, Any]:
    assert data[field]["errors"] == [], data[field]["errors"]
    return data[field][record]


def errors(data: dict[str, Any], field: str) -> list[tuple[str, list[str], str | None]]:
    """(type, path, code) of each error; the record must be absent."""
    assert data[field][next(k for k in data[field] if k != "errors")] is None
    return [(e["__typename"], e["path"], e.get("code")) for e in data[field]["errors"]]


def ids(connection: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in connection["edges"]]


async def organization(gql: Any, name: str = "Acme") -> str:
    data = await gql(
        "mutation($n: String!) { organizationCreate(input: {name: $n}) { organization { id } errors { message } } }",
        {"n": name},
    )
    return data["organizationCreate"]["organization"]["id"]


async def contact(tenant: Any, organization_id: str | None, first: str) -> str:
    # Inserted directly: these tests are about interactions, not the contact mutations.
    org = from_global_id(organization_id)[1] if organization_id else None  # type: ignore[index]
    async with tenant.engine.begin() as conn:
        row = await conn.execute(
            sa.insert(Contact.__table__)
            .values(tenant_id=tenant.id, first_name=first, last_name="Example", organization_id=org)
            .returning(Contact.__table__.c.id)
        )
        return gid("Contact", row.scalar_one())


async def opportunity(gql: Any, organization_id: str | None = None) -> str:
    data = await gql(
        'mutation($o: ID) { opportunityCreate(input: {name: "Deal", organizationId: $o}) { opportunity { id } errors { message } } }',
        {"o": organization_id},
    )
    return data["opportunityCreate"]["opportunity"]["id"]


async def read(gql: Any, id_: str) -> dict[str, Any]:
    return (await gql(READ, {"id": id_}))["node"]


async def activity(gql: Any, id_: str) -> dict[str, Any]:
    return (await gql(ACTIVITY, {"id": id_}))["node"]


async def logged(gql: Any, **given: Any) -> dict[str, Any]:
    return ok(
        await gql(LOG, {"input": {"kind": "CALL", "subject": "Intro call", **given}}), "interactionLog", "interaction"
    )


# --- interactionLog ---------------------------------------------------------------


async def test_log_writes_the_interaction_and_its_participants(gql, tenant):
    org = await organization(gql)
    ada, bob = await contact(tenant, org, "Ada"), await contact(tenant, org, "Bob")
    made = await logged(
        gql,
        kind="MEETING",
        direction="INBOUND",
        occurredAt="2030-01-02T10:00:00+00:00",
        body="Notes",
        durationMinutes=45,
        organizationId=org,
        contactIds=[ada, bob, ada],
    )
    assert (made["kind"], made["direction"], made["occurredAt"], made["durationMinutes"]) == (
        "MEETING",
        "INBOUND",
        "2030-01-02T10:00:00+00:00",
        45,
    )
    assert sorted(ids(made["contacts"])) == sorted([ada, bob])  # listed twice, stored once
    me = gid("User", tenant.admin_id)
    assert (ids(made["users"]), made["owner"]["id"], made["organization"]["id"]) == ([me], me, org)
    assert await read(gql, made["id"]) == made
    assert ids((await activity(gql, org))["interactions"]) == [made["id"]]
    assert ids((await activity(gql, ada))["interactions"]) == [made["id"]]
    assert ids((await activity(gql, bob))["interactions"]) == [made["id"]]


async def test_log_defaults_time_to_now_and_organization_to_the_opportunitys(gql, tenant):
    org = await organization(gql)
    deal = await opportunity(gql, org)
    rep = gid("User", await tenant.user("rep@example.com", ["sales"]))
    made = await logged(gql, opportunityId=deal, userIds=[rep])
    assert made["occurredAt"] is not None and (made["opportunity"]["id"], made["organization"]["id"]) == (deal, org)
    assert ids(made["users"]) == [rep]  # given users replace the default (you)
    assert ids((await activity(gql, org))["interactions"]) == [made["id"]]


async def test_log_rejects_bad_input_and_writes_nothing(gql, tenant, other):
    org, globex = await organization(gql), await organization(gql, "Globex")
    globex_deal = await opportunity(gql, globex)
    archived = await organization(gql, "Gone")
    await gql("mutation($id: ID!) { organizationArchive(input: {id: $id}) { errors { message } } }", {"id": archived})
    cases = [
        ({"subject": "  "}, ["input", "subject"], "BLANK"),
        ({"durationMinutes": -5}, ["input", "durationMinutes"], "OUT_OF_RANGE"),
        ({"organizationId": archived}, ["input", "organizationId"], "NOT_FOUND"),
        ({"organizationId": await organization(other.client())}, ["input", "organizationId"], "NOT_FOUND"),
        ({"organizationId": org, "opportunityId": globex_deal}, ["input", "opportunityId"], "MISMATCH"),
        ({"userIds": [gid("User", other.admin_id)]}, ["input", "userIds", "0"], "NOT_FOUND"),
        ({"contactIds": [org]}, ["input", "contactIds", "0"], "INVALID_ID"),
    ]
    for given, path, code in cases:
        data = await gql(LOG, {"input": {"kind": "NOTE", "subject": "Note", **given}})
        assert errors(data, "interactionLog") == [("ValidationError", path, code)], given
    assert (await gql(COUNTS))["interactions"]["totalCount"] == 0


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:00:00-05:00"])
async def test_an_instant_outside_the_years_1_to_9999_in_utc_is_bad_input(gql, instant):
    # Valid ISO 8601, but no timestamptz PostgreSQL can be sent: refused before anything runs.
    for mutation, given in (
        (LOG, {"kind": "NOTE", "subject": "Note", "occurredAt": instant}),
        (TASK_CREATE, {"title": "Todo", "dueAt": instant}),
    ):
        body = (await gql.post(mutation, {"input": given})).json()
        assert "data" not in body, body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"], body
        assert "outside the years 1 to 9999 in UTC" in body["errors"][0]["message"], body
    assert (await gql(COUNTS)) == {"interactions": {"totalCount": 0}, "tasks": {"totalCount": 0}}


async def test_log_failing_half_way_rolls_everything_back(gql, tenant, other):
    org = await organization(gql)
    ada = await contact(tenant, org, "Ada")
    theirs = await contact(other, None, "Eve")
    for bad in (gid("Contact"), theirs):
        data = await gql(
            LOG, {"input": {"kind": "CALL", "subject": "Call", "organizationId": org, "contactIds": [ada, bad]}}
        )
        assert errors(data, "interactionLog") == [("ValidationError", ["input", "contactIds", "1"], "NOT_FOUND")]
    assert (await gql(COUNTS))["interactions"]["totalCount"] == 0
    assert ids((await activity(gql, org))["interactions"]) == []
    assert ids((await activity(gql, ada))["interactions"]) == []
    async with tenant.engine.connect() as conn:  # no orphan participant rows either
        rows = await conn.execute(
            sa.text("select count(*) from interaction_participants where tenant_id = :t"), {"t": tenant.id}
        )
        assert rows.scalar_one() == 0


# --- interactionUpdate ------------------------------------------------------------


async def test_update_changes_fields_and_replaces_participants(gql, tenant):
    org = await organization(gql)
    ada, bob = await contact(tenant, org, "Ada"), await contact(tenant, org, "Bob")
    made = await logged(gql, organizationId=org, contactIds=[ada])
    updated = ok(
        await gql(
            UPDATE,
            {
                "input": {
                    "id": made["id"],
                    "expectedVersion": 1,
                    "subject": "Follow-up",
                    "body": None,
                    "contactIds": [bob],
                }
            },
        ),
        "interactionUpdate",
        "interaction",
    )
    assert (updated["subject"], updated["body"], updated["version"], ids(updated["contacts"])) == (
        "Follow-up",
        None,
        2,
        [bob],
    )
    assert updated["users"] == made["users"]  # userIds not given: kept
    assert ids((await activity(gql, ada))["interactions"]) == []
    assert ids((await activity(gql, bob))["interactions"]) == [made["id"]]
    # Changing only the participants is a change of the interaction: its version moves.
    only = ok(
        await gql(UPDATE, {"input": {"id": made["id"], "expectedVersion": 2, "contactIds": [ada, bob], "userIds": []}}),
        "interactionUpdate",
        "interaction",
    )
    assert (only["version"], sorted(ids(only["contacts"])), ids(only["users"])) == (3, sorted([ada, bob]), [])
    assert await read(gql, made["id"]) == only


async def test_update_rejects_bad_input_and_stale_versions_changing_nothing(gql, tenant):
    org = await organization(gql)
    ada = await contact(tenant, org, "Ada")
    made = await logged(gql, organizationId=org, contactIds=[ada])
    cases = [
        ({"subject": None}, ("ValidationError", ["input", "subject"], "REQUIRED")),
        ({"kind": None}, ("ValidationError", ["input", "kind"], "REQUIRED")),
        ({"durationMinutes": -1}, ("ValidationError", ["input", "durationMinutes"], "OUT_OF_RANGE")),
        (
            {"contactIds": [gid("Contact")], "subject": "x"},
            ("ValidationError", ["input", "contactIds", "0"], "NOT_FOUND"),
        ),
        ({"expectedVersion": 2, "subject": "Stale"}, ("Conflict", ["input", "expectedVersion"], None)),
        ({"expectedVersion": 2, "contactIds": []}, ("Conflict", ["input", "expectedVersion"], None)),
    ]
    for given, expected in cases:
        data = await gql(UPDATE, {"input": {"id": made["id"], **given}})
        assert errors(data, "interactionUpdate") == [expected], given
    conflict = await gql(UPDATE, {"input": {"id": made["id"], "expectedVersion": 9, "subject": "Stale"}})
    assert conflict["interactionUpdate"]["errors"][0]["currentVersion"] == 1
    assert await read(gql, made["id"]) == made


async def test_update_of_an_unknown_or_foreign_interaction_is_not_found(gql, other):
    theirs = await logged(other.client())
    for id_ in (gid("Interaction"), theirs["id"]):
        data = await gql(UPDATE, {"input": {"id": id_, "subject": "Mine now"}})
        assert errors(data, "interactionUpdate") == [("NotFound", ["input", "id"], None)]
    assert await read(other.client(), theirs["id"]) == theirs


# --- tasks ------------------------------------------------------------------------


async def test_task_create_links_a_record_and_assigns_you(gql, tenant):
    org = await organization(gql)
    ada = await contact(tenant, org, "Ada")
    task = ok(
        await gql(
            TASK_CREATE, {"input": {"title": " Send proposal ", "dueAt": "2030-03-01T09:00:00Z", "recordId": ada}}
        ),
        "taskCreate",
        "task",
    )
    assert (task["title"], task["status"], task["completedAt"], task["dueAt"]) == (
        "Send proposal",
        "OPEN",
        None,
        "2030-03-01T09:00:00+00:00",
    )
    assert (task["assignee"]["id"], task["record"]) == (
        gid("User", tenant.admin_id),
        {"__typename": "Contact", "id": ada},
    )
    assert ids((await activity(gql, ada))["tasks"]) == [task["id"]]
    deal = await opportunity(gql, org)
    on_deal = ok(await gql(TASK_CREATE, {"input": {"title": "Call back", "recordId": deal}}), "taskCreate", "task")
    assert on_deal["record"] == {"__typename": "Opportunity", "id": deal}
    assert await read(gql, task["id"]) == task


async def test_task_create_rejects_bad_input_and_writes_nothing(gql, tenant, other):
    pipeline = (await gql("{ pipelines(first: 1) { edges { node { id } } } }"))["pipelines"]["edges"][0]["node"]["id"]
    cases = [
        ({"title": ""}, ["input", "title"], "BLANK"),
        ({"recordId": pipeline}, ["input", "recordId"], "INVALID_ID"),
        ({"recordId": "not-an-id"}, ["input", "recordId"], "INVALID_ID"),
        ({"recordId": gid("Organization")}, ["input", "recordId"], "NOT_FOUND"),
        ({"recordId": await organization(other.client())}, ["input", "recordId"], "NOT_FOUND"),
        ({"assigneeId": gid("User", other.admin_id)}, ["input", "assigneeId"], "NOT_FOUND"),
    ]
    for given, path, code in cases:
        data = await gql(TASK_CREATE, {"input": {"title": "Todo", **given}})
        assert errors(data, "taskCreate") == [("ValidationError", path, code)], given
    assert (await gql(COUNTS))["tasks"]["totalCount"] == 0


async def test_task_update_moves_status_record_and_assignee(gql, tenant):
    org = await organization(gql)
    rep = gid("User", await tenant.user("rep@example.com", ["sales"]))
    task = ok(await gql(TASK_CREATE, {"input": {"title": "Todo"}}), "taskCreate", "task")
    data = await gql(
        TASK_UPDATE,
        {
            "input": {
                "id": task["id"],
                "expectedVersion": 1,
                "status": "IN_PROGRESS",
                "recordId": org,
                "assigneeId": rep,
                "description": "Details",
            }
        },
    )
    updated = ok(data, "taskUpdate", "task")
    assert (updated["status"], updated["record"], updated["assignee"]["id"], updated["version"]) == (
        "IN_PROGRESS",
        {"__typename": "Organization", "id": org},
        rep,
        2,
    )
    assert ids((await activity(gql, org))["tasks"]) == [task["id"]]
    cleared = ok(await gql(TASK_UPDATE, {"input": {"id": task["id"], "recordId": None}}), "taskUpdate", "task")
    assert cleared["record"] is None and ids((await activity(gql, org))["tasks"]) == []


async def test_task_update_rejects_bad_input_stale_versions_and_foreign_ids(gql, other):
    task = ok(await gql(TASK_CREATE, {"input": {"title": "Todo"}}), "taskCreate", "task")
    cases = [
        ({"status": "DONE"}, ("ValidationError", ["input", "status"], "USE_TASK_COMPLETE")),
        ({"status": None}, ("ValidationError", ["input", "status"], "REQUIRED")),
        ({"title": None}, ("ValidationError", ["input", "title"], "REQUIRED")),
        ({"expectedVersion": 5, "title": "Stale"}, ("Conflict", ["input", "expectedVersion"], None)),
    ]
    for given, expected in cases:
        data = await gql(TASK_UPDATE, {"input": {"id": task["id"], **given}})
        assert errors(data, "taskUpdate") == [expected], given
    assert await read(gql, task["id"]) == task
    theirs = ok(await other.client()(TASK_CREATE, {"input": {"title": "Theirs"}}), "taskCreate", "task")
    for id_ in (gid("Task"), theirs["id"]):
        data = await gql(TASK_UPDATE, {"input": {"id": id_, "title": "Mine"}})
        assert errors(data, "taskUpdate") == [("NotFound", ["input", "id"], None)]
    assert await read(other.client(), theirs["id"]) == theirs


async def test_task_complete_is_done_once_and_then_a_no_op(gql):
    task = ok(await gql(TASK_CREATE, {"input": {"title": "Todo"}}), "taskCreate", "task")
    data = await gql(TASK_COMPLETE, {"input": {"id": task["id"], "expectedVersion": 3}})
    assert errors(data, "taskComplete") == [("Conflict", ["input", "expectedVersion"], None)]
    assert await read(gql, task["id"]) == task
    done = ok(await gql(TASK_COMPLETE, {"input": {"id": task["id"], "expectedVersion": 1}}), "taskComplete", "task")
    assert (done["status"], done["version"]) == ("DONE", 2) and done["completedAt"] is not None
    # A retry (even with the version it read before) succeeds and changes nothing.
    again = ok(await gql(TASK_COMPLETE, {"input": {"id": task["id"], "expectedVersion": 1}}), "taskComplete", "task")
    assert again == done
    reopened = ok(await gql(TASK_UPDATE, {"input": {"id": task["id"], "status": "OPEN"}}), "taskUpdate", "task")
    assert (reopened["status"], reopened["completedAt"]) == ("OPEN", None)


async def test_task_complete_of_an_unknown_or_foreign_task_is_not_found(gql, other):
    theirs = ok(await other.client()(TASK_CREATE, {"input": {"title": "Theirs"}}), "taskCreate", "task")
    for id_ in (gid("Task"), theirs["id"]):
        data = await gql(TASK_COMPLETE, {"input": {"id": id_}})
        assert errors(data, "taskComplete") == [("NotFound", ["input", "id"], None)]
    assert (await read(other.client(), theirs["id"]))["status"] == "OPEN"


# --- who may ----------------------------------------------------------------------


async def test_an_analyst_logs_nothing_and_a_rep_touches_only_own_tasks(gql, tenant):
    analyst = tenant.client(await tenant.user("analyst@example.com", ["analyst"]))
    body = (await analyst.post(LOG, {"input": {"kind": "NOTE", "subject": "Peek"}})).json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert (await gql(COUNTS))["interactions"]["totalCount"] == 0
    rep_id = await tenant.user("rep@example.com", ["sales_rep"])
    rep = tenant.client(rep_id)
    admins = ok(await gql(TASK_CREATE, {"input": {"title": "Admin's"}}), "taskCreate", "task")
    data = await rep(TASK_COMPLETE, {"input": {"id": admins["id"]}})  # invisible to the rep
    assert errors(data, "taskComplete") == [("NotFound", ["input", "id"], None)]
    assert (await read(gql, admins["id"]))["status"] == "OPEN"
    mine = ok(await rep(TASK_CREATE, {"input": {"title": "Mine"}}), "taskCreate", "task")
    assert ok(await rep(TASK_COMPLETE, {"input": {"id": mine["id"]}}), "taskComplete", "task")["status"] == "DONE"
    made = await logged(rep)
    assert (made["owner"]["id"], ids(made["users"])) == (gid("User", rep_id), [gid("User", rep_id)])
