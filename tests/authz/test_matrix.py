"""The authorization matrix through the public API: every default role x every record
type x read / create / update / archive x a record of the actor's own, of its team,
of someone else, of another tenant.

The expectations come from GRANTS, copied by hand from crm_graph/authz/defaults.py:
if the defaults or the enforcement drift apart, a cell here fails and names the
role, the type, the action and whose record it was.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from tests.conftest import without_extensions

from crm_graph.domains.opportunities.models import Stage
from crm_graph.readside.ids import from_global_id

from .conftest import (
    ACTORS,
    HUB_OWNER,
    PARTICIPANTS,
    PEOPLE,
    ROLES,
    T0,
    TYPES,
    Client,
    World,
    build_world,
    forbidden_at,
    gid,
    random_gid,
    team_of,
)

# Widest scope each role has, copied from defaults.py; "-" is no grant at all.
# For edges (relationship) the archive column is `delete`: edges are deleted, not archived.
GRANTS_TABLE = """
role               type          read    create  update  archive
admin              organization  tenant  tenant  tenant  tenant
admin              contact       tenant  tenant  tenant  tenant
admin              opportunity   tenant  tenant  tenant  tenant
admin              interaction   tenant  tenant  tenant  tenant
admin              task          tenant  tenant  tenant  tenant
admin              relationship  tenant  tenant  tenant  tenant
sales_manager      organization  tenant  tenant  tenant  tenant
sales_manager      contact       tenant  tenant  tenant  tenant
sales_manager      opportunity   team    team    team    team
sales_manager      interaction   team    team    team    team
sales_manager      task          team    team    team    team
sales_manager      relationship  tenant  tenant  tenant  tenant
sales_rep          organization  tenant  own     own     own
sales_rep          contact       tenant  own     own     own
sales_rep          opportunity   own     own     own     own
sales_rep          interaction   own     own     own     own
sales_rep          task          own     own     own     own
sales_rep          relationship  tenant  tenant  tenant  tenant
marketing_manager  organization  tenant  -       -       -
marketing_manager  contact       tenant  tenant  tenant  -
marketing_manager  opportunity   -       -       -       -
marketing_manager  interaction   -       -       -       -
marketing_manager  task          -       -       -       -
marketing_manager  relationship  tenant  -       -       -
service_manager    organization  tenant  -       -       -
service_manager    contact       tenant  -       tenant  -
service_manager    opportunity   tenant  -       -       -
service_manager    interaction   tenant  tenant  tenant  tenant
service_manager    task          tenant  tenant  tenant  tenant
service_manager    relationship  tenant  -       -       -
service_agent      organization  tenant  -       -       -
service_agent      contact       tenant  -       -       -
service_agent      opportunity   tenant  -       -       -
service_agent      interaction   own     own     own     -
service_agent      task          own     own     own     -
service_agent      relationship  tenant  -       -       -
analyst            organization  tenant  -       -       -
analyst            contact       tenant  -       -       -
analyst            opportunity   tenant  -       -       -
analyst            interaction   tenant  -       -       -
analyst            task          tenant  -       -       -
analyst            relationship  tenant  -       -       -
integration        organization  tenant  tenant  tenant  -
integration        contact       tenant  tenant  tenant  -
integration        opportunity   tenant  tenant  tenant  -
integration        interaction   tenant  tenant  tenant  -
integration        task          tenant  tenant  tenant  -
integration        relationship  tenant  tenant  tenant  -
"""
ACTIONS = ("read", "create", "update", "archive")


def _parse(table: str) -> dict[tuple[str, str], dict[str, str | None]]:
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0], lines[1:]
    assert header == ["role", "type", *ACTIONS]
    out = {(r[0], r[1]): {a: (None if s == "-" else s) for a, s in zip(ACTIONS, r[2:])} for r in rows}
    assert set(out) == {(role, t) for role in ROLES for t in TYPES}, "GRANTS_TABLE must cover every role and type"
    return out


GRANTS = _parse(GRANTS_TABLE)


def grant(role: str, record_type: str, action: str) -> str | None:
    return GRANTS[(role, record_type)][action]


def covers(
    role: str, record_type: str, action: str, owner: str | None, participants: frozenset[str] = frozenset()
) -> bool:
    """Does `role`'s grant for `action` reach a record of tenant A owned by `owner`?"""
    scope = grant(role, record_type, action)
    actor = ACTORS[role][0]
    if scope is None:
        return False
    if scope == "tenant":
        return True
    if actor is None or owner is None:
        return False
    if scope == "team":
        return owner in team_of(actor)
    return owner == actor or actor in participants


def readable(role: str, record_type: str, owner: str | None, participants: frozenset[str] = frozenset()) -> bool:
    if record_type == "relationship":
        # Our edges join the hub to an opportunity of `owner`: visible when both ends are.
        return (
            grant(role, "relationship", "read") is not None
            and readable(role, "opportunity", owner)
            and readable(role, "organization", HUB_OWNER)
        )
    return covers(role, record_type, "read", owner, participants)


CELLS = ("own", "team", "other", "other_tenant")


def owner_in(role: str, cell: str) -> str | None:
    """The user key owning the record of `cell` for `role` (None: the other tenant)."""
    if cell == "other_tenant":
        return None
    actor, mate, outsider = ACTORS[role]
    return {"own": actor, "team": mate, "other": outsider}[cell]


def cells(role: str, record_type: str, action: str) -> list[str]:
    if role == "integration":
        found = ["other", "other_tenant"]
    else:
        found = list(CELLS)
    if action == "create" and record_type == "interaction":
        # interactionLog makes the actor the owner: only "own" (and foreign references) apply.
        found = ["own", "other_tenant"]
    return found


def matrix(action: str) -> list[Any]:
    return [
        pytest.param(role, t, cell, id=f"{role}-{t}-{cell}")
        for role in ROLES
        for t in TYPES
        for cell in cells(role, t, action)
    ]


TYPE_NAMES = {
    "organization": "Organization",
    "contact": "Contact",
    "opportunity": "Opportunity",
    "interaction": "Interaction",
    "task": "Task",
    "relationship": "Relationship",
}
LISTS = {
    "organization": "organizations",
    "contact": "contacts",
    "opportunity": "opportunities",
    "interaction": "interactions",
    "task": "tasks",
    "relationship": "relationships",
}


@pytest.fixture(scope="module")
async def scratch(owner_engine: Any, authz_http: Any) -> World:
    """A second world for the writes, so that `world` keeps its exact counts."""
    return await build_world(owner_engine, authz_http)


# --- read ----------------------------------------------------------------------


def expected_ids(world: World, role: str, record_type: str) -> set[str]:
    return {
        gid(record_type, r.id) for r in world.rows[record_type] if readable(role, record_type, r.owner, r.participants)
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("record_type", TYPES)
async def test_list_holds_exactly_the_records_the_scope_allows(world: World, role: str, record_type: str) -> None:
    field = LISTS[record_type]
    body = await world.as_role(role).post(f"{{ {field}(first: 100) {{ totalCount edges {{ node {{ id }} }} }} }}")
    if grant(role, record_type, "read") is None:
        assert forbidden_at(body, [field]), f"{role} may not list {record_type} records: {body}"
        assert body["data"] is None
        return
    assert not body.get("errors"), body
    ids = [e["node"]["id"] for e in body["data"][field]["edges"]]
    expected = expected_ids(world, role, record_type)
    assert sorted(ids) == sorted(expected), f"{role} sees the wrong {record_type} records"
    assert body["data"][field]["totalCount"] == len(expected)


NESTED = {t: LISTS[t] for t in ("contact", "opportunity", "interaction", "task", "relationship")}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("record_type", list(NESTED))
async def test_nested_list_on_an_organization_is_scoped_the_same(world: World, role: str, record_type: str) -> None:
    # Every record of the world hangs off the hub; a type the role cannot read is an
    # empty list there (no error: the parent is readable).
    field = NESTED[record_type]
    query = f"""query($id: ID!) {{ node(id: $id) {{ ... on Organization {{
      {field}(first: 100) {{ totalCount edges {{ node {{ id }} }} }} }} }} }}"""
    data = await world.as_role(role)(query, {"id": gid("organization", world.a.hub)})
    connection = data["node"][field]
    expected = expected_ids(world, role, record_type)
    assert sorted(e["node"]["id"] for e in connection["edges"]) == sorted(expected), (
        f"{role} sees the wrong {record_type} records of an organization"
    )
    assert connection["totalCount"] == len(expected)


NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


def record_of(world: World, record_type: str, cell: str, owner: str | None) -> uuid.UUID:
    return world.foreign[record_type] if cell == "other_tenant" else world.mine[record_type][owner]  # type: ignore[index]


@pytest.mark.parametrize(("role", "record_type", "cell"), matrix("read"))
async def test_node_shows_a_record_only_inside_the_scope(world: World, role: str, record_type: str, cell: str) -> None:
    owner = owner_in(role, cell)
    id_ = gid(record_type, record_of(world, record_type, cell, owner))
    client = world.as_role(role)
    body = await client.post(NODE, {"id": id_})
    if cell != "other_tenant" and readable(
        role, record_type, owner, frozenset({owner}) if record_type == "interaction" else frozenset()
    ):
        assert without_extensions(body) == {"data": {"node": {"__typename": TYPE_NAMES[record_type], "id": id_}}}
    else:
        unknown = await client.post(NODE, {"id": random_gid(record_type)})
        assert without_extensions(body) == without_extensions(unknown) == {"data": {"node": None}}, (
            f"{role} must not tell a {cell} {record_type} from no record"
        )


@pytest.mark.parametrize("role", ["sales_rep", "sales_manager", "service_agent"])
async def test_an_interaction_one_took_part_in_counts_as_ones_own(world: World, role: str) -> None:
    # The manager's pipeline review, with rep1 taking part.
    id_ = gid("interaction", world.shared_interaction)  # type: ignore[arg-type]
    body = await world.as_role(role).post(NODE, {"id": id_})
    visible = role in ("sales_rep", "sales_manager")  # rep1 took part; the manager logged it
    assert (body["data"]["node"] is not None) is visible


# --- writes --------------------------------------------------------------------

OK, DENIED, FORBIDDEN, NOT_FOUND, INVALID = "ok", "denied", "Forbidden", "NotFound", "ValidationError"
ERRORS = "errors { __typename message path ... on ValidationError { code } }"


async def run(client: Client, name: str, input_type: str, selection: str, input_: dict[str, Any]) -> dict[str, Any]:
    query = f"mutation($input: {input_type}!) {{ {name}(input: $input) {{ {selection} {ERRORS} }} }}"
    return await client.post(query, {"input": input_})


def payload_errors(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    assert not body.get("errors"), body
    errors: list[dict[str, Any]] = body["data"][name]["errors"]
    return errors


def assert_outcome(body: dict[str, Any], name: str, expected: str, path: list[str] | None, what: str) -> None:
    if expected == DENIED:
        assert forbidden_at(body, [name]), f"{what}: expected a FORBIDDEN error on {name}, got {body}"
        assert body["data"] is None
        return
    errors = payload_errors(body, name)
    if expected == OK:
        assert errors == [], f"{what}: expected success, got {errors}"
        return
    assert [(e["__typename"], e["path"]) for e in errors] == [(expected, path)], f"{what}: got {errors}"
    if expected == INVALID:
        assert errors[0]["code"] == "NOT_FOUND"


def require(world: World, name: str) -> None:
    assert name in world.mutations, f"{name} is missing from the schema"


CREATE = {
    # type: (mutation, input type, record field, owner input field)
    "organization": ("organizationCreate", "OrganizationCreateInput", "organization", "ownerId"),
    "contact": ("contactCreate", "ContactCreateInput", "contact", "ownerId"),
    "opportunity": ("opportunityCreate", "OpportunityCreateInput", "opportunity", "ownerId"),
    "interaction": ("interactionLog", "InteractionLogInput", "interaction", None),
    "task": ("taskCreate", "TaskCreateInput", "task", "assigneeId"),
    "relationship": ("relationshipCreate", "RelationshipCreateInput", "relationship", None),
}
CREATE_FIELDS = {
    "organization": {"name": "Made by the matrix"},
    "contact": {"firstName": "Matrix", "lastName": "Made"},
    "opportunity": {"name": "Matrix deal"},
    "interaction": {"kind": "CALL", "subject": "Matrix call"},
    "task": {"title": "Matrix task"},
    "relationship": {"kind": "competing_on"},
}


def create_expectation(role: str, record_type: str, cell: str, owner: str | None) -> tuple[str, list[str] | None]:
    owner_field = CREATE[record_type][3]
    if grant(role, record_type, "create") is None:
        return DENIED, None
    if record_type == "relationship":
        # The edge's target is an opportunity of `owner`: it must be one the actor can see.
        ok = cell != "other_tenant" and readable(role, "opportunity", owner)
        return (OK, None) if ok else (INVALID, ["input", "targetId"])
    if record_type == "interaction":
        return (OK, None) if cell == "own" else (INVALID, ["input", "organizationId"])
    if cell == "other_tenant":
        return INVALID, ["input", owner_field]  # type: ignore[list-item]
    if covers(role, record_type, "create", owner):
        return OK, None
    return FORBIDDEN, ["input", owner_field]  # type: ignore[list-item]


@pytest.mark.parametrize(("role", "record_type", "cell"), matrix("create"))
async def test_create(scratch: World, role: str, record_type: str, cell: str) -> None:
    name, input_type, record_field, owner_field = CREATE[record_type]
    owner = owner_in(role, cell)
    client = scratch.as_role(role)
    owner_id = scratch.b.users["b-admin"] if cell == "other_tenant" else scratch.a.users.get(owner or "")
    input_: dict[str, Any] = dict(CREATE_FIELDS[record_type])
    probe: tuple[str, str] | None = None  # (input field, record type) to compare with a random ID
    if record_type == "relationship":
        target = await scratch.insert("opportunity", owner, tenant="b" if cell == "other_tenant" else "a")
        input_ |= {"sourceId": gid("organization", scratch.a.hub), "targetId": gid("opportunity", target)}
        probe = ("targetId", "opportunity")
    elif record_type == "interaction":
        if cell == "other_tenant":
            input_["organizationId"] = gid("organization", scratch.b.hub)
            probe = ("organizationId", "organization")
    else:
        input_[owner_field] = gid("user", owner_id)  # type: ignore[index]
        probe = (owner_field, "user") if cell == "other_tenant" else None  # type: ignore[assignment]
    expected, path = create_expectation(role, record_type, cell, owner)
    before = await scratch.count(record_type)
    body = await run(client, name, input_type, f"{record_field} {{ id }}", input_)
    what = f"{role} creating a {record_type} ({cell})"
    assert_outcome(body, name, expected, path, what)
    if expected != OK:
        assert await scratch.count(record_type) == before, f"{what} changed something"
        if expected == INVALID and probe is not None:
            unknown = await run(
                client, name, input_type, f"{record_field} {{ id }}", input_ | {probe[0]: random_gid(probe[1])}
            )
            assert body == unknown, f"{what} must answer as for an ID that does not exist"
        return
    decoded = from_global_id(body["data"][name][record_field]["id"])
    assert decoded is not None
    row = await scratch.row(record_type, decoded[1])
    assert row is not None and row.tenant_id == scratch.a.id
    if record_type in ("organization", "contact", "opportunity"):
        assert row.owner_id == owner_id
    elif record_type == "task":
        assert row.assignee_id == owner_id
    elif record_type == "interaction":
        assert row.owner_id == (scratch.a.users[owner] if owner else None)


UPDATE = {
    # type: (mutation, input type, record field, changed input, column, stored value)
    "organization": (
        "organizationUpdate",
        "OrganizationUpdateInput",
        "organization",
        {"name": "Renamed"},
        "name",
        "Renamed",
    ),
    "contact": ("contactUpdate", "ContactUpdateInput", "contact", {"title": "Buyer"}, "title", "Buyer"),
    "opportunity": (
        "opportunityUpdate",
        "OpportunityUpdateInput",
        "opportunity",
        {"name": "Renamed"},
        "name",
        "Renamed",
    ),
    "interaction": (
        "interactionUpdate",
        "InteractionUpdateInput",
        "interaction",
        {"subject": "Renamed"},
        "subject",
        "Renamed",
    ),
    "task": ("taskUpdate", "TaskUpdateInput", "task", {"title": "Renamed"}, "title", "Renamed"),
    "relationship": (
        "relationshipUpdate",
        "RelationshipUpdateInput",
        "relationship",
        {"note": "Noted"},
        "note",
        "Noted",
    ),
}


def write_expectation(role: str, record_type: str, action: str, cell: str, owner: str | None) -> str:
    if grant(role, record_type, action) is None:
        return DENIED
    participants = frozenset({owner}) if record_type == "interaction" and owner else frozenset()
    if cell == "other_tenant" or not readable(role, record_type, owner, participants):
        return NOT_FOUND
    if record_type == "relationship":
        return OK  # the edge write grants are tenant-wide: seeing the edge is what counts
    return OK if covers(role, record_type, action, owner, participants) else FORBIDDEN


async def _target(world: World, record_type: str, cell: str, owner: str | None) -> uuid.UUID:
    return await world.insert(record_type, owner, tenant="b" if cell == "other_tenant" else "a")


@pytest.mark.parametrize(("role", "record_type", "cell"), matrix("update"))
async def test_update(scratch: World, role: str, record_type: str, cell: str) -> None:
    name, input_type, record_field, changes, column, value = UPDATE[record_type]
    owner = owner_in(role, cell)
    id_ = await _target(scratch, record_type, cell, owner)
    before = await scratch.row(record_type, id_)
    client = scratch.as_role(role)
    body = await run(client, name, input_type, f"{record_field} {{ id }}", {"id": gid(record_type, id_), **changes})
    expected = write_expectation(role, record_type, "update", cell, owner)
    what = f"{role} updating a {record_type} ({cell})"
    assert_outcome(body, name, expected, ["input", "id"] if expected == NOT_FOUND else None, what)
    after = await scratch.row(record_type, id_)
    if expected == OK:
        assert (after._mapping[column], after.version) == (value, before.version + 1)
        return
    assert after == before, f"{what} changed the record"
    if expected == NOT_FOUND:
        unknown = await run(
            client, name, input_type, f"{record_field} {{ id }}", {"id": random_gid(record_type), **changes}
        )
        assert body == unknown, f"{what} must answer as for an ID that does not exist"


ARCHIVE = {
    "organization": ("organizationArchive", "RecordArchiveInput", "organization { id }"),
    "contact": ("contactArchive", "RecordArchiveInput", "contact { id }"),
    "opportunity": ("opportunityArchive", "RecordArchiveInput", "opportunity { id }"),
    "interaction": ("interactionArchive", "RecordArchiveInput", "interaction { id }"),
    "task": ("taskArchive", "RecordArchiveInput", "task { id }"),
    "relationship": ("relationshipDelete", "RelationshipDeleteInput", "deletedId"),
}


@pytest.mark.parametrize(("role", "record_type", "cell"), matrix("archive"))
async def test_archive(scratch: World, role: str, record_type: str, cell: str) -> None:
    name, input_type, selection = ARCHIVE[record_type]
    require(scratch, name)
    owner = owner_in(role, cell)
    id_ = await _target(scratch, record_type, cell, owner)
    before = await scratch.row(record_type, id_)
    client = scratch.as_role(role)
    body = await run(client, name, input_type, selection, {"id": gid(record_type, id_)})
    expected = write_expectation(role, record_type, "archive", cell, owner)
    what = f"{role} {'deleting' if record_type == 'relationship' else 'archiving'} a {record_type} ({cell})"
    assert_outcome(body, name, expected, ["input", "id"] if expected == NOT_FOUND else None, what)
    after = await scratch.row(record_type, id_)
    if expected == OK:
        assert after is None if record_type == "relationship" else after.archived_at is not None, what
        return
    assert after == before, f"{what} changed the record"
    if expected == NOT_FOUND:
        unknown = await run(client, name, input_type, selection, {"id": random_gid(record_type)})
        assert body == unknown, f"{what} must answer as for an ID that does not exist"


def test_every_person_of_the_world_has_a_role_of_the_matrix() -> None:
    assert {role for role, _ in PEOPLE.values()} | {"integration"} == set(ROLES)


RESTORE = {
    t: (f"{t}Restore", "RecordArchiveInput", f"{t} {{ id }}")
    for t in ("organization", "contact", "opportunity", "interaction", "task")
}


@pytest.mark.parametrize(
    ("role", "record_type", "cell"), [p for p in matrix("archive") if p.values[1] != "relationship"]
)
async def test_restore(scratch: World, role: str, record_type: str, cell: str) -> None:
    # Restoring is the archive permission again, on an archived record.
    name, input_type, selection = RESTORE[record_type]
    require(scratch, name)
    owner = owner_in(role, cell)
    id_ = await scratch.insert(record_type, owner, tenant="b" if cell == "other_tenant" else "a", archived_at=T0)
    before = await scratch.row(record_type, id_)
    client = scratch.as_role(role)
    body = await run(client, name, input_type, selection, {"id": gid(record_type, id_)})
    expected = write_expectation(role, record_type, "archive", cell, owner)
    what = f"{role} restoring a {record_type} ({cell})"
    assert_outcome(body, name, expected, ["input", "id"] if expected == NOT_FOUND else None, what)
    after = await scratch.row(record_type, id_)
    if expected == OK:
        assert after.archived_at is None, what
        return
    assert after == before, f"{what} changed the record"
    if expected == NOT_FOUND:
        unknown = await run(client, name, input_type, selection, {"id": random_gid(record_type)})
        assert body == unknown, f"{what} must answer as for an ID that does not exist"


REASSIGN = {
    # type: (mutation, input type, owner input field, owner column)
    "organization": ("organizationUpdate", "OrganizationUpdateInput", "ownerId", "owner_id"),
    "contact": ("contactUpdate", "ContactUpdateInput", "ownerId", "owner_id"),
    "opportunity": ("opportunityUpdate", "OpportunityUpdateInput", "ownerId", "owner_id"),
    "task": ("taskUpdate", "TaskUpdateInput", "assigneeId", "assignee_id"),
}


@pytest.mark.parametrize(("role", "record_type", "cell"), [p for p in matrix("update") if p.values[1] in REASSIGN])
async def test_giving_a_record_to_another_owner(scratch: World, role: str, record_type: str, cell: str) -> None:
    """The new owner must be inside the actor's update scope (a rep cannot hand a deal
    to a colleague; a manager cannot hand one outside the team)."""
    name, input_type, field, column = REASSIGN[record_type]
    start = ACTORS[role][0] or ACTORS[role][2]  # a record the actor may update, if any
    id_ = await scratch.insert(record_type, start)
    before = await scratch.row(record_type, id_)
    new_owner = owner_in(role, cell)
    new_owner_id = scratch.b.users["b-admin"] if new_owner is None else scratch.a.users[new_owner]
    client = scratch.as_role(role)
    input_ = {"id": gid(record_type, id_), field: gid("user", new_owner_id)}
    body = await run(client, name, input_type, "__typename", input_)
    if grant(role, record_type, "update") is None:
        expected, path = DENIED, None
    elif not covers(role, record_type, "update", start):
        expected, path = (FORBIDDEN if readable(role, record_type, start) else NOT_FOUND), None
    elif cell == "other_tenant":
        expected, path = INVALID, ["input", field]
    elif covers(role, record_type, "update", new_owner):
        expected, path = OK, None
    else:
        expected, path = FORBIDDEN, ["input", field]
    if expected == NOT_FOUND:
        path = ["input", "id"]
    what = f"{role} giving its {record_type} to a {cell} owner"
    assert_outcome(body, name, expected, path, what)
    after = await scratch.row(record_type, id_)
    if expected == OK:
        assert after._mapping[column] == new_owner_id
    else:
        assert after == before, f"{what} changed the record"
        if expected == INVALID:
            unknown = await run(client, name, input_type, "__typename", input_ | {field: random_gid("user")})
            assert body == unknown, f"{what} must answer as for a user that does not exist"


OTHER_UPDATES = {
    # mutation: (type, input type, extra input)
    "opportunityWin": ("opportunity", "OpportunityWinInput", {}),
    "opportunityLose": ("opportunity", "OpportunityLoseInput", {"lostReason": "Budget"}),
    "opportunityMoveStage": ("opportunity", "OpportunityMoveStageInput", {"stageId": "<second stage>"}),
    "taskComplete": ("task", "TaskCompleteInput", {}),
}


@pytest.mark.parametrize("name", list(OTHER_UPDATES))
@pytest.mark.parametrize(
    ("role", "cell"),
    [pytest.param(role, cell, id=f"{role}-{cell}") for role in ROLES for cell in cells(role, "opportunity", "update")],
)
async def test_other_updates_follow_the_update_scope(scratch: World, name: str, role: str, cell: str) -> None:
    record_type, input_type, extra = OTHER_UPDATES[name]
    require(scratch, name)
    owner = owner_in(role, cell)
    id_ = await _target(scratch, record_type, cell, owner)
    before = await scratch.row(record_type, id_)
    if "stageId" in extra:
        extra = {"stageId": gid("stage", await second_stage(scratch, before.pipeline_id))}
    client = scratch.as_role(role)
    body = await run(client, name, input_type, "__typename", {"id": gid(record_type, id_), **extra})
    expected = write_expectation(role, record_type, "update", cell, owner)
    what = f"{role} running {name} on a {record_type} ({cell})"
    assert_outcome(body, name, expected, ["input", "id"] if expected == NOT_FOUND else None, what)
    after = await scratch.row(record_type, id_)
    if expected == OK:
        assert after.version == before.version + 1
        return
    assert after == before, f"{what} changed the record"
    if expected == NOT_FOUND:
        unknown = await run(client, name, input_type, "__typename", {"id": random_gid(record_type), **extra})
        assert body == unknown, f"{what} must answer as for an ID that does not exist"


async def second_stage(world: World, pipeline_id: uuid.UUID) -> uuid.UUID:
    stages = Stage.__table__  # type: ignore[attr-defined]
    async with world.engine.connect() as conn:
        return (
            await conn.execute(  # type: ignore[no-any-return]
                sa.select(stages.c.id)
                .where(stages.c.pipeline_id == pipeline_id)
                .order_by(stages.c.position)
                .offset(1)
                .limit(1)
            )
        ).scalar_one()


# --- graph walks ---------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
async def test_neighbors_reach_only_visible_records(world: World, role: str) -> None:
    # The hub's edges all lead to opportunities of the world's users.
    query = """query($id: ID!) { node(id: $id) { ... on Organization {
      neighbors(depth: 2, first: 100) { totalCount edges { node { id } relationship { id } } } } } }"""
    data = await world.as_role(role)(query, {"id": gid("organization", world.a.hub)})
    neighbors = data["node"]["neighbors"]
    expected_nodes, expected_edges = set(), set()
    for owner, edge in world.mine["relationship"].items():
        if readable(role, "opportunity", owner):
            expected_nodes.add(gid("opportunity", world.edge_targets[owner]))
            expected_edges.add(gid("relationship", edge))
    assert {e["node"]["id"] for e in neighbors["edges"]} == expected_nodes
    assert {e["relationship"]["id"] for e in neighbors["edges"]} == expected_edges
    assert neighbors["totalCount"] == len(expected_nodes)


PATH = """query($from: ID!, $to: ID!) { relationshipPath(from: $from, to: $to) { length nodes { id } } }"""


@pytest.mark.parametrize(("role", "record_type", "cell"), [p for p in matrix("read") if p.values[1] == "opportunity"])
async def test_a_path_exists_only_to_visible_records(world: World, role: str, record_type: str, cell: str) -> None:
    owner = owner_in(role, cell)
    target = gid("opportunity", world.edge_targets[owner])  # joined to its tenant's hub
    client = world.as_role(role)
    body = await client.post(PATH, {"from": gid("organization", world.a.hub), "to": target})
    if cell != "other_tenant" and readable(role, "opportunity", owner):
        assert body["data"]["relationshipPath"]["length"] == 1
    else:
        unknown = await client.post(PATH, {"from": gid("organization", world.a.hub), "to": random_gid("opportunity")})
        assert without_extensions(body) == without_extensions(unknown) == {"data": {"relationshipPath": None}}


# --- references to records outside the read scope ------------------------------

CREATE_OF = {"interactionLog": "interaction", "taskCreate": "task", "opportunityCreate": "opportunity"}
REFERENCES = {
    # (mutation, input type, input without the reference, reference field, referenced type)
    "interactionLog.opportunityId": (
        "interactionLog",
        "InteractionLogInput",
        {"kind": "CALL", "subject": "Ref"},
        "opportunityId",
        "opportunity",
    ),
    "taskCreate.recordId": ("taskCreate", "TaskCreateInput", {"title": "Ref"}, "recordId", "opportunity"),
    "opportunityCreate.primaryContactId": (
        "opportunityCreate",
        "OpportunityCreateInput",
        {"name": "Ref"},
        "primaryContactId",
        "contact",
    ),
}


@pytest.mark.parametrize(
    ("case", "role", "cell"),
    [
        pytest.param(case, role, cell, id=f"{case}-{role}-{cell}")
        for case in REFERENCES
        for role in ("sales_manager", "sales_rep", "service_agent")
        for cell in ("own", "team", "other")
        # Only roles that may use the mutation at all can probe its references.
        if grant(role, CREATE_OF[REFERENCES[case][0]], "create") is not None
    ],
)
async def test_a_reference_to_a_record_one_cannot_see_is_like_a_random_id(
    scratch: World, case: str, role: str, cell: str
) -> None:
    name, input_type, input_, field, ref_type = REFERENCES[case]
    owner = owner_in(role, cell)
    ref = await scratch.insert(ref_type, owner, organization_id=None)
    client = scratch.as_role(role)
    selection = "__typename"
    body = await run(client, name, input_type, selection, input_ | {field: gid(ref_type, ref)})
    if readable(role, ref_type, owner):
        assert payload_errors(body, name) == [], f"{role} referring to a {cell} {ref_type}"
    else:
        unknown = await run(client, name, input_type, selection, input_ | {field: random_gid(ref_type)})
        assert body == unknown
        assert [(e["__typename"], e["path"]) for e in payload_errors(body, name)] == [(INVALID, ["input", field])]


@pytest.mark.parametrize(("role", "expected"), [("sales_rep", OK), ("service_agent", NOT_FOUND), ("sales_manager", OK)])
async def test_taking_part_in_an_interaction_makes_it_ones_own_to_update(
    scratch: World, role: str, expected: str
) -> None:
    # rep2 logged it with rep1 (the sales_rep actor) taking part; the manager has it by team.
    id_ = await scratch.insert("interaction", "rep2")
    async with scratch.engine.begin() as conn:
        await conn.execute(
            sa.insert(PARTICIPANTS).values(tenant_id=scratch.a.id, interaction_id=id_, user_id=scratch.a.users["rep1"])
        )
    body = await run(
        scratch.as_role(role),
        "interactionUpdate",
        "InteractionUpdateInput",
        "__typename",
        {"id": gid("interaction", id_), "subject": "Taken part"},
    )
    assert_outcome(
        body,
        "interactionUpdate",
        expected,
        ["input", "id"] if expected == NOT_FOUND else None,
        f"{role} updating an interaction rep1 took part in",
    )
