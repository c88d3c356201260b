"""Contact mutations as a client uses them: create, update, archive, restore, merge.

Each refusal must come back as typed errors pointing at the input field at fault,
and leave every record exactly as it was.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from builders import Builder, at, gid

from crm_graph.readside.ids import from_global_id

FIELDS = """id firstName lastName emails phones title lifecycleStage tags emailOptIn smsOptIn doNotCall
attributes version archivedAt organization { id } owner { id }"""
ERRORS = "errors { __typename message path ... on ValidationError { code } ... on Conflict { currentVersion } }"

ORG_CREATE = "mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { message } } }"
ORG_ARCHIVE = (
    "mutation($i: RecordArchiveInput!) { organizationArchive(input: $i) { organization { id } errors { message } } }"
)
CREATE = f"mutation($i: ContactCreateInput!) {{ contactCreate(input: $i) {{ contact {{ {FIELDS} }} {ERRORS} }} }}"
UPDATE = f"mutation($i: ContactUpdateInput!) {{ contactUpdate(input: $i) {{ contact {{ {FIELDS} }} {ERRORS} }} }}"
ARCHIVE = f"mutation($i: RecordArchiveInput!) {{ contactArchive(input: $i) {{ contact {{ {FIELDS} }} {ERRORS} }} }}"
RESTORE = f"mutation($i: RecordArchiveInput!) {{ contactRestore(input: $i) {{ contact {{ {FIELDS} }} {ERRORS} }} }}"
READ = f"query($id: ID!) {{ node(id: $id) {{ ... on Contact {{ {FIELDS} }} }} }}"
ORG_CONTACTS = """query($id: ID!) { node(id: $id) { ... on Organization {
  contacts(first: 50) { totalCount edges { node { id } } } } } }"""
LIST = "query($arch: Boolean!) { contacts(first: 50, includeArchived: $arch) { totalCount edges { node { id } } } }"


async def org(gql: Any, name: str = "Acme") -> str:
    data = await gql(ORG_CREATE, {"i": {"name": name}})
    return data["organizationCreate"]["organization"]["id"]


async def contact(gql: Any, **values: Any) -> dict[str, Any]:
    data = await gql(CREATE, {"i": {"firstName": "Ann", "lastName": "Lee", **values}})
    assert data["contactCreate"]["errors"] == []
    return data["contactCreate"]["contact"]


async def read(gql: Any, id_: str) -> dict[str, Any] | None:
    return (await gql(READ, {"id": id_}))["node"]


def from_gid(value: str) -> uuid.UUID:
    decoded = from_global_id(value)
    assert decoded is not None
    return decoded[1]


def paths(errors: list[dict[str, Any]]) -> dict[tuple[str, ...], str]:
    return {tuple(e["path"]): e.get("code") or e["__typename"] for e in errors}


# --- create ------------------------------------------------------------------------


async def test_create_normalizes_addresses_and_lists_contact_under_its_organization(gql, tenant):
    org_id = await org(gql)
    created = await contact(
        gql,
        emails=[" Ann@Example.COM", "ann@example.com", "ann@work.example"],
        phones=["+1 555 0100", "+1 555 0100"],
        tags=["vip", "vip", "board"],
        title="  CTO ",
        organizationId=org_id,
        lifecycleStage="ACTIVE",
        emailOptIn=True,
        attributes={"source": "conference"},
    )
    assert created["emails"] == ["ann@example.com", "ann@work.example"]
    assert created["phones"] == ["+1 555 0100"]
    assert created["tags"] == ["vip", "board"]
    assert created["title"] == "CTO"
    assert created["lifecycleStage"] == "ACTIVE"
    assert (created["emailOptIn"], created["smsOptIn"], created["doNotCall"]) == (True, False, False)
    assert created["attributes"] == {"source": "conference"}
    assert created["version"] == 1
    assert created["owner"]["id"] == gid("User", tenant.admin_id), "owner defaults to the creator"
    assert created["organization"]["id"] == org_id
    listed = (await gql(ORG_CONTACTS, {"id": org_id}))["node"]["contacts"]
    assert [e["node"]["id"] for e in listed["edges"]] == [created["id"]]


async def test_create_reports_every_bad_field_with_its_path_and_creates_nothing(gql):
    response = await gql(
        CREATE,
        {
            "i": {
                "firstName": "  ",
                "lastName": "x" * 101,
                "emails": ["ok@example.com", "not-an-email", "a@b.c" + "x" * 260],
                "phones": ["+1 555 0100", "call me"],
                "tags": ["fine", " "],
            }
        },
    )
    result = response["contactCreate"]
    assert result["contact"] is None
    assert paths(result["errors"]) == {
        ("input", "firstName"): "BLANK",
        ("input", "lastName"): "TOO_LONG",
        ("input", "emails", "1"): "INVALID",
        ("input", "emails", "2"): "TOO_LONG",
        ("input", "phones", "1"): "INVALID",
        ("input", "tags", "1"): "INVALID",
    }
    assert all(e["__typename"] == "ValidationError" for e in result["errors"])
    assert (await gql(LIST, {"arch": True}))["contacts"]["totalCount"] == 0


async def test_create_refuses_archived_foreign_and_mistyped_organization_ids(gql, other):
    archived = await org(gql, "Gone Inc")
    await gql(ORG_ARCHIVE, {"i": {"id": archived}})
    foreign = await org(other.client(), "Elsewhere")
    user_id = (await gql("{ viewer { id } }"))["viewer"]["id"]
    for org_id, code in ((archived, "NOT_FOUND"), (foreign, "NOT_FOUND"), (user_id, "INVALID_ID")):
        result = (await gql(CREATE, {"i": {"firstName": "A", "lastName": "B", "organizationId": org_id}}))[
            "contactCreate"
        ]
        assert result["contact"] is None
        assert paths(result["errors"]) == {("input", "organizationId"): code}
    assert (await gql(LIST, {"arch": True}))["contacts"]["totalCount"] == 0


async def test_create_refuses_an_owner_from_another_tenant(gql, other):
    result = await gql(CREATE, {"i": {"firstName": "A", "lastName": "B", "ownerId": gid("User", other.admin_id)}})
    assert paths(result["contactCreate"]["errors"]) == {("input", "ownerId"): "NOT_FOUND"}


# --- update ------------------------------------------------------------------------


async def test_update_changes_only_given_fields_and_moves_between_organizations(gql):
    first, second = await org(gql, "First"), await org(gql, "Second")
    created = await contact(gql, organizationId=first, title="CTO", emails=["ann@example.com"])
    result = (
        await gql(
            UPDATE,
            {
                "i": {
                    "id": created["id"],
                    "expectedVersion": 1,
                    "lastName": "Lee-Park",
                    "emails": ["ANN@example.com", "ann@new.example", "ann@example.com"],
                    "organizationId": second,
                    "doNotCall": True,
                    "title": None,
                }
            },
        )
    )["contactUpdate"]
    assert result["errors"] == []
    updated = result["contact"]
    assert updated["lastName"] == "Lee-Park"
    assert updated["firstName"] == "Ann", "fields not given keep their value"
    assert updated["emails"] == ["ann@example.com", "ann@new.example"]
    assert updated["doNotCall"] is True
    assert updated["title"] is None, "null clears a field"
    assert updated["version"] == 2
    assert await read(gql, created["id"]) == updated
    assert (await gql(ORG_CONTACTS, {"id": first}))["node"]["contacts"]["totalCount"] == 0
    assert (await gql(ORG_CONTACTS, {"id": second}))["node"]["contacts"]["totalCount"] == 1


async def test_update_with_bad_input_changes_nothing(gql):
    created = await contact(gql, emails=["ann@example.com"])
    result = (
        await gql(
            UPDATE,
            {
                "i": {
                    "id": created["id"],
                    "lastName": "Park",
                    "emails": ["ann@example.com", "ann at example"],
                    "firstName": None,
                }
            },
        )
    )["contactUpdate"]
    assert result["contact"] is None
    assert paths(result["errors"]) == {("input", "emails", "1"): "INVALID", ("input", "firstName"): "REQUIRED"}
    assert await read(gql, created["id"]) == created


async def test_update_with_stale_version_is_a_conflict_and_changes_nothing(gql):
    created = await contact(gql)
    moved_on = (await gql(UPDATE, {"i": {"id": created["id"], "title": "CEO"}}))["contactUpdate"]["contact"]
    result = (await gql(UPDATE, {"i": {"id": created["id"], "expectedVersion": 1, "title": "CFO"}}))["contactUpdate"]
    assert result["contact"] is None
    assert result["errors"] == [
        {
            "__typename": "Conflict",
            "message": result["errors"][0]["message"],
            "path": ["input", "expectedVersion"],
            "currentVersion": 2,
        }
    ]
    assert await read(gql, created["id"]) == moved_on


async def test_update_of_unknown_or_foreign_contact_is_not_found(gql, other):
    foreign = await contact(other.client(), firstName="Theirs")
    for id_ in (gid("Contact", uuid.uuid4()), foreign["id"]):
        result = (await gql(UPDATE, {"i": {"id": id_, "firstName": "Mine"}}))["contactUpdate"]
        assert result["contact"] is None
        assert [(e["__typename"], e["path"]) for e in result["errors"]] == [("NotFound", ["input", "id"])]
    assert await read(other.client(), foreign["id"]) == foreign


async def test_an_archived_contact_must_be_restored_before_it_is_edited(gql):
    created = await contact(gql)
    await gql(ARCHIVE, {"i": {"id": created["id"]}})
    result = (await gql(UPDATE, {"i": {"id": created["id"], "title": "CEO"}}))["contactUpdate"]
    assert paths(result["errors"]) == {("input", "id"): "ARCHIVED"}
    assert (await read(gql, created["id"]))["title"] is None


# --- archive and restore ---------------------------------------------------------------


async def test_archive_hides_the_contact_and_restore_brings_it_back(gql):
    org_id = await org(gql)
    created = await contact(gql, organizationId=org_id)
    archived = (await gql(ARCHIVE, {"i": {"id": created["id"], "expectedVersion": 1}}))["contactArchive"]
    assert archived["errors"] == []
    assert archived["contact"]["archivedAt"] is not None
    assert archived["contact"]["version"] == 2
    assert (await gql(LIST, {"arch": False}))["contacts"]["totalCount"] == 0
    assert (await gql(LIST, {"arch": True}))["contacts"]["totalCount"] == 1
    assert (await gql(ORG_CONTACTS, {"id": org_id}))["node"]["contacts"]["totalCount"] == 0

    restored = (await gql(RESTORE, {"i": {"id": created["id"], "expectedVersion": 2}}))["contactRestore"]
    assert restored["errors"] == []
    assert restored["contact"]["archivedAt"] is None
    assert restored["contact"]["version"] == 3
    assert (await gql(ORG_CONTACTS, {"id": org_id}))["node"]["contacts"]["totalCount"] == 1


@pytest.mark.parametrize("operation", [ARCHIVE, RESTORE])
async def test_archive_and_restore_with_stale_version_conflict_and_change_nothing(gql, operation):
    created = await contact(gql)
    if operation is RESTORE:
        created = (await gql(ARCHIVE, {"i": {"id": created["id"]}}))["contactArchive"]["contact"]
    result = next(iter((await gql(operation, {"i": {"id": created["id"], "expectedVersion": 7}})).values()))
    assert result["contact"] is None
    assert [(e["__typename"], e["currentVersion"]) for e in result["errors"]] == [("Conflict", created["version"])]
    assert await read(gql, created["id"]) == created


@pytest.mark.parametrize("operation", [ARCHIVE, RESTORE])
async def test_archive_and_restore_of_unknown_or_foreign_contact_is_not_found(gql, other, operation):
    foreign = await contact(other.client())
    for id_ in (gid("Contact", uuid.uuid4()), foreign["id"]):
        result = next(iter((await gql(operation, {"i": {"id": id_}})).values()))
        assert [(e["__typename"], e["path"]) for e in result["errors"]] == [("NotFound", ["input", "id"])]
    assert await read(other.client(), foreign["id"]) == foreign


# --- merge -------------------------------------------------------------------------

MERGE = f"mutation($i: ContactMergeInput!) {{ contactMerge(input: $i) {{ contact {{ {FIELDS} }} {ERRORS} }} }}"
EDGE = "mutation($i: RelationshipCreateInput!) { relationshipCreate(input: $i) { relationship { id } errors { message } } }"
FOOTPRINT = """query($id: ID!) { node(id: $id) { ... on Contact {
  emails phones tags version archivedAt
  interactions(first: 50) { totalCount edges { node { id contacts(first: 50) { edges { node { id } } } } } }
  opportunities(first: 50, includeArchived: true) { edges { node { id version primaryContact { id } } } }
  tasks(first: 50) { edges { node { id } } }
  relationships(first: 50) { edges { node { kind version source { id } target { id } } } }
} } }"""
ALL_EDGES = "{ relationships(first: 100) { totalCount edges { node { kind source { id } target { id } } } } }"


def edge_set(connection: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(e["node"]["kind"], e["node"]["source"]["id"], e["node"]["target"]["id"]) for e in connection["edges"]}


@pytest.fixture
async def cast(gql, tenant) -> dict[str, Any]:
    """A survivor S, duplicates M1 and M2, and a bystander X, tangled in every way a
    merge must untangle: shared interactions, and edges that would become self-edges
    or repeats once M1 and M2 are S. Interactions, the opportunity and the task are
    inserted directly: their own mutations are not what these tests are about."""
    o = await org(gql)
    s = await contact(gql, firstName="Sam", emails=["sam@example.com"], tags=["vip"])
    m1 = await contact(gql, firstName="Samuel", emails=["samuel@work.example"], phones=["+1 555 0101"], tags=["board"])
    m2 = await contact(gql, firstName="S.", emails=["SAM@example.com", "s@home.example"], tags=["vip", "golf"])
    x = await contact(gql, firstName="Xavier")
    c = {"O": o, "S": s["id"], "M1": m1["id"], "M2": m2["id"], "X": x["id"]}
    for kind, source, target in [
        ("works_at", "S", "O"),
        ("works_at", "M1", "O"),  # repeats S works_at O: dropped
        ("knows", "M1", "X"),  # becomes S knows X: kept (the older of the two)
        ("knows", "X", "M2"),  # X knows S is S knows X again (symmetric): dropped
        ("reports_to", "M1", "S"),  # S reports_to S: dropped
        ("knows", "M1", "M2"),  # S knows S: dropped
        ("referred_by", "M2", "X"),  # re-pointed at S
        ("reports_to", "X", "M1"),  # re-pointed at S (target side)
    ]:
        data = await gql(EDGE, {"i": {"kind": kind, "sourceId": c[source], "targetId": c[target]}})
        assert data["relationshipCreate"]["errors"] == []
    b = Builder(tenant)
    uid = {k: from_gid(v) for k, v in c.items()}
    i1, i2, i3 = [await b.add("Interaction", kind="call", occurred_at=at(n), subject=f"Call {n}") for n in (1, 2, 3)]
    await b.add_many(
        "InteractionParticipant",
        [
            {"interaction_id": i, "contact_id": uid.get(who), "user_id": None if who in uid else tenant.admin_id}
            for i, who in ((i1, "S"), (i1, "M1"), (i2, "M1"), (i2, "M2"), (i3, "M2"), (i3, "admin"))
        ],
    )
    c["interactions"] = {gid("Interaction", i) for i in (i1, i2, i3)}
    c["deal"] = gid("Opportunity", await b.opportunity("Deal", primary_contact_id=uid["M1"]))
    c["task"] = gid("Task", await b.add("Task", title="Call back", record_type="contact", record_id=uid["M2"]))
    return c


async def footprints(gql: Any, c: dict[str, Any]) -> list[Any]:
    """Everything a merge could touch, as the API shows it."""
    seen: list[Any] = [(await gql(ALL_EDGES))["relationships"]]
    for key in ("S", "M1", "M2", "X"):
        seen += [await read(gql, c[key]), (await gql(FOOTPRINT, {"id": c[key]}))["node"]]
    return seen


async def audit_trail(tenant: Any) -> list[tuple[str, uuid.UUID, str]]:
    """(action, record id, changes as JSON text) of the tenant's audit log, where the
    domain events of every committed change are recorded."""
    async with tenant.engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.text("SELECT action, record_id, changes::text FROM audit_log WHERE tenant_id = :t ORDER BY seq"),
                {"t": tenant.id},
            )
        ).all()
    return [(r.action, r.record_id, r.changes) for r in rows]


async def test_merge_moves_everything_to_the_survivor_and_archives_the_duplicates(gql, tenant, cast):
    c = cast
    result = await gql(MERGE, {"i": {"survivorId": c["S"], "mergedIds": [c["M1"], c["M2"]], "expectedVersion": 1}})
    result = result["contactMerge"]
    assert result["errors"] == []
    survivor = result["contact"]
    assert survivor["id"] == c["S"]
    assert survivor["emails"] == ["sam@example.com", "samuel@work.example", "s@home.example"]
    assert survivor["phones"] == ["+1 555 0101"]
    assert survivor["tags"] == ["vip", "board", "golf"]
    assert survivor["version"] == 2
    assert survivor["archivedAt"] is None

    s = (await gql(FOOTPRINT, {"id": c["S"]}))["node"]
    assert s["interactions"]["totalCount"] == 3
    assert {e["node"]["id"] for e in s["interactions"]["edges"]} == c["interactions"]
    for e in s["interactions"]["edges"]:
        assert [p["node"]["id"] for p in e["node"]["contacts"]["edges"]] == [c["S"]], "the survivor takes part once"
    assert [
        (e["node"]["id"], e["node"]["primaryContact"]["id"], e["node"]["version"]) for e in s["opportunities"]["edges"]
    ] == [(c["deal"], c["S"], 2)]
    assert [e["node"]["id"] for e in s["tasks"]["edges"]] == [c["task"]]
    expected_edges = {
        ("works_at", c["S"], c["O"]),
        ("knows", c["S"], c["X"]),
        ("referred_by", c["S"], c["X"]),
        ("reports_to", c["X"], c["S"]),
    }
    assert edge_set(s["relationships"]) == expected_edges
    everything = (await gql(ALL_EDGES))["relationships"]
    assert everything["totalCount"] == 4, "self-edges and repeats are gone, not left dangling"
    assert edge_set(everything) == expected_edges

    for key in ("M1", "M2"):
        merged = (await gql(FOOTPRINT, {"id": c[key]}))["node"]
        assert merged["archivedAt"] is not None
        assert merged["interactions"]["totalCount"] == 0
        assert merged["relationships"]["edges"] == []
        assert merged["opportunities"]["edges"] == [] and merged["tasks"]["edges"] == []
    assert (await gql(LIST, {"arch": False}))["contacts"]["totalCount"] == 2  # S and X

    trail = await audit_trail(tenant)
    merged_event = [changes for action, record, changes in trail if action == "contact.merged"]
    assert len(merged_event) == 1 and all(str(from_gid(c[k])) in merged_event[0] for k in ("M1", "M2"))
    actions = [(action, record) for action, record, _ in trail]
    assert ("contact.merged", from_gid(c["S"])) in actions and ("contact.updated", from_gid(c["S"])) in actions
    assert {("contact.archived", from_gid(c[k])) for k in ("M1", "M2")} <= set(actions)
    assert ("opportunity.updated", from_gid(c["deal"])) in actions and ("task.updated", from_gid(c["task"])) in actions
    assert sum(a == "relationship.deleted" for a, _ in actions) == 4
    assert sum(a == "relationship.updated" for a, _ in actions) == 3


async def test_merge_with_one_unknown_id_rolls_everything_back(gql, tenant, cast):
    c = cast
    before = await footprints(gql, c)
    trail = await audit_trail(tenant)
    result = await gql(MERGE, {"i": {"survivorId": c["S"], "mergedIds": [c["M1"], gid("Contact", uuid.uuid4())]}})
    assert result["contactMerge"]["contact"] is None
    assert [(e["__typename"], e["path"]) for e in result["contactMerge"]["errors"]] == [
        ("NotFound", ["input", "mergedIds", "1"])
    ]
    assert await footprints(gql, c) == before
    assert await audit_trail(tenant) == trail, "no event of a rolled-back merge is recorded"


async def test_merge_refuses_another_tenants_contact_and_changes_nothing(gql, cast, other):
    c = cast
    foreign = await contact(other.client(), firstName="Theirs")
    before = await footprints(gql, c)
    for survivor, merged, path in (
        (c["S"], [c["M1"], foreign["id"]], ["input", "mergedIds", "1"]),
        (foreign["id"], [c["M1"]], ["input", "survivorId"]),
    ):
        result = (await gql(MERGE, {"i": {"survivorId": survivor, "mergedIds": merged}}))["contactMerge"]
        assert [(e["__typename"], e["path"]) for e in result["errors"]] == [("NotFound", path)]
    assert await footprints(gql, c) == before
    assert await read(other.client(), foreign["id"]) == foreign


async def test_merge_refuses_the_survivor_among_the_merged(gql, cast):
    c = cast
    before = await footprints(gql, c)
    result = (await gql(MERGE, {"i": {"survivorId": c["S"], "mergedIds": [c["M1"], c["S"]]}}))["contactMerge"]
    assert result["contact"] is None
    assert paths(result["errors"]) == {("input", "mergedIds", "1"): "SELF_MERGE"}
    assert result["errors"][0]["__typename"] == "ValidationError"
    assert await footprints(gql, c) == before


async def test_merge_with_stale_survivor_version_is_a_conflict_and_changes_nothing(gql, cast):
    c = cast
    await gql(UPDATE, {"i": {"id": c["S"], "title": "CEO"}})
    before = await footprints(gql, c)
    result = await gql(MERGE, {"i": {"survivorId": c["S"], "mergedIds": [c["M1"]], "expectedVersion": 1}})
    errors = result["contactMerge"]["errors"]
    assert [(e["__typename"], e["currentVersion"]) for e in errors] == [("Conflict", 2)]
    assert await footprints(gql, c) == before


async def test_merge_refuses_an_archived_duplicate(gql, cast):
    c = cast
    await gql(ARCHIVE, {"i": {"id": c["M2"]}})
    before = await footprints(gql, c)
    result = (await gql(MERGE, {"i": {"survivorId": c["S"], "mergedIds": [c["M1"], c["M2"]]}}))["contactMerge"]
    assert paths(result["errors"]) == {("input", "mergedIds", "1"): "ARCHIVED"}
    assert await footprints(gql, c) == before


# --- authorization ------------------------------------------------------------------


async def test_a_role_without_contact_writes_cannot_use_the_mutations(gql, tenant):
    analyst = tenant.client(await tenant.user(f"analyst@{tenant.slug}.example", ["analyst"]))
    mine = await contact(gql)
    for query, given in (
        (CREATE, {"firstName": "A", "lastName": "B"}),
        (UPDATE, {"id": mine["id"], "title": "CEO"}),
        (ARCHIVE, {"id": mine["id"]}),
        (MERGE, {"survivorId": mine["id"], "mergedIds": [mine["id"]]}),
    ):
        body = (await analyst.post(query, {"i": given})).json()
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert await read(gql, mine["id"]) == mine
    assert (await gql(LIST, {"arch": True}))["contacts"]["totalCount"] == 1


async def test_a_sales_rep_merges_only_contacts_they_own(gql, tenant):
    rep = tenant.client(await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
    theirs = await contact(gql, firstName="Admin's")
    first, second = await contact(rep, firstName="Rep's"), await contact(rep, firstName="Rep's too")
    result = (await rep(MERGE, {"i": {"survivorId": first["id"], "mergedIds": [theirs["id"]]}}))["contactMerge"]
    assert [e["__typename"] for e in result["errors"]] == ["Forbidden"]
    assert await read(gql, theirs["id"]) == theirs and await read(gql, first["id"]) == first
    result = (await rep(MERGE, {"i": {"survivorId": first["id"], "mergedIds": [second["id"]]}}))["contactMerge"]
    assert result["errors"] == [] and (await read(gql, second["id"]))["archivedAt"] is not None


async def test_merge_records_the_interactions_it_changes(gql, engine, tenant):
    """Moving participations is a change of those interactions: new version, an event."""
    import sqlalchemy as sa

    from crm_graph.platform.events.models import OutboxEvent

    create = """mutation($i: ContactCreateInput!) { contactCreate(input: $i) { contact { id } } }"""
    keep = (await gql(create, {"i": {"firstName": "A", "lastName": "B"}}))["contactCreate"]["contact"]["id"]
    dupe = (await gql(create, {"i": {"firstName": "A", "lastName": "B2"}}))["contactCreate"]["contact"]["id"]
    logged = await gql(
        """mutation($c: [ID!]!) { interactionLog(input: {kind: CALL, subject: "Hi", contactIds: $c}) {
        interaction { id version } errors { message } } }""",
        {"c": [dupe]},
    )
    interaction = logged["interactionLog"]["interaction"]
    await gql(
        """mutation($s: ID!, $m: [ID!]!) { contactMerge(input: {survivorId: $s, mergedIds: $m}) {
        errors { message } } }""",
        {"s": keep, "m": [dupe]},
    )
    after = await gql(
        "query($id: ID!) { node(id: $id) { ... on Interaction { version contacts(first: 5) { edges { node { id } } } } } }",
        {"id": interaction["id"]},
    )
    assert after["node"]["version"] == interaction["version"] + 1
    assert [e["node"]["id"] for e in after["node"]["contacts"]["edges"]] == [keep]
    outbox = OutboxEvent.__table__
    async with engine.connect() as conn:
        types = (
            (await conn.execute(sa.select(outbox.c.type).where(outbox.c.tenant_id == tenant.id).order_by(outbox.c.seq)))
            .scalars()
            .all()
        )
    assert "interaction.updated" in types[types.index("interaction.logged") + 1 :]
