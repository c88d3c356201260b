"""Edge and edge-kind mutations as a client uses them.

An edge joins two live records of the types its kind allows, once; a refusal names
the input field at fault and leaves the graph as it was.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from builders import gid

ERRORS = "errors { __typename message path ... on ValidationError { code } ... on Conflict { currentVersion } }"
EDGE_FIELDS = "id kind sourceType targetType strength since until note version source { id } target { id }"
CREATE = f"mutation($i: RelationshipCreateInput!) {{ relationshipCreate(input: $i) {{ relationship {{ {EDGE_FIELDS} }} {ERRORS} }} }}"
UPDATE = f"mutation($i: RelationshipUpdateInput!) {{ relationshipUpdate(input: $i) {{ relationship {{ {EDGE_FIELDS} }} {ERRORS} }} }}"
DELETE = f"mutation($i: RelationshipDeleteInput!) {{ relationshipDelete(input: $i) {{ deletedId {ERRORS} }} }}"
KIND_FIELDS = "id key label inverseLabel sourceTypes targetTypes symmetric builtIn"
KIND_CREATE = f"mutation($i: RelationshipKindCreateInput!) {{ relationshipKindCreate(input: $i) {{ relationshipKind {{ {KIND_FIELDS} }} {ERRORS} }} }}"
KINDS = f"{{ relationshipKinds(first: 100) {{ totalCount edges {{ node {{ {KIND_FIELDS} }} }} }} }}"
READ = f"query($id: ID!) {{ node(id: $id) {{ ... on Relationship {{ {EDGE_FIELDS} }} }} }}"
ALL = f"{{ relationships(first: 100) {{ totalCount edges {{ node {{ {EDGE_FIELDS} }} }} }} }}"
AROUND = """query($id: ID!, $dir: EdgeDirection!) { node(id: $id) {
  ... on Contact { relationships(first: 20, direction: $dir) { edges { node { id } } } neighbors { edges { node { id } } } }
  ... on Organization { relationships(first: 20, direction: $dir) { edges { node { id } } } neighbors { edges { node { id } } } }
} }"""
ORG = "mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { message } } }"
ORG_ARCHIVE = "mutation($i: RecordArchiveInput!) { organizationArchive(input: $i) { errors { message } } }"
CONTACT = "mutation($i: ContactCreateInput!) { contactCreate(input: $i) { contact { id } errors { message } } }"


async def org(gql: Any, name: str = "Acme") -> str:
    return (await gql(ORG, {"i": {"name": name}}))["organizationCreate"]["organization"]["id"]


async def person(gql: Any, first: str = "Ann") -> str:
    return (await gql(CONTACT, {"i": {"firstName": first, "lastName": "Lee"}}))["contactCreate"]["contact"]["id"]


async def edge(gql: Any, kind: str, source: str, target: str, **extra: Any) -> dict[str, Any]:
    result = (await gql(CREATE, {"i": {"kind": kind, "sourceId": source, "targetId": target, **extra}}))[
        "relationshipCreate"
    ]
    assert result["errors"] == []
    return result["relationship"]


def codes(errors: list[dict[str, Any]]) -> dict[tuple[str, ...], str]:
    return {tuple(e["path"]): e.get("code") or e["__typename"] for e in errors}


async def refused(gql: Any, query: str, given: dict[str, Any]) -> list[dict[str, Any]]:
    """The errors of a mutation that must fail; its record is null."""
    (result,) = (await gql(query, {"i": given})).values()
    assert result.get("relationship", result.get("relationshipKind", result.get("deletedId"))) is None
    assert result["errors"]
    return result["errors"]


def ids(connection: dict[str, Any]) -> list[str]:
    return [e["node"]["id"] for e in connection["edges"]]


# --- relationshipCreate --------------------------------------------------------------


async def test_create_joins_two_records_and_both_ends_and_the_graph_see_it(gql):
    ann, acme = await person(gql), await org(gql)
    created = await edge(gql, "works_at", ann, acme, strength=0.8, since="2020-01-01", note=" Since the merger ")
    assert {
        k: created[k] for k in ("kind", "sourceType", "targetType", "strength", "since", "until", "note", "version")
    } == {
        "kind": "works_at",
        "sourceType": "contact",
        "targetType": "organization",
        "strength": 0.8,
        "since": "2020-01-01",
        "until": None,
        "note": "Since the merger",
        "version": 1,
    }
    assert (created["source"]["id"], created["target"]["id"]) == (ann, acme)
    from_ann = (await gql(AROUND, {"id": ann, "dir": "OUTGOING"}))["node"]
    assert ids(from_ann["relationships"]) == [created["id"]]
    assert ids(from_ann["neighbors"]) == [acme]
    to_acme = (await gql(AROUND, {"id": acme, "dir": "INCOMING"}))["node"]
    assert ids(to_acme["relationships"]) == [created["id"]]
    assert ids((await gql(AROUND, {"id": acme, "dir": "OUTGOING"}))["node"]["relationships"]) == []


async def test_create_refuses_repeats_and_for_symmetric_kinds_the_reversed_pair(gql):
    ann, bob, acme = await person(gql, "Ann"), await person(gql, "Bob"), await org(gql)
    await edge(gql, "works_at", ann, acme)
    await edge(gql, "knows", ann, bob)
    await edge(gql, "reports_to", ann, bob)
    await edge(gql, "reports_to", bob, ann)  # not symmetric: the other direction is another edge
    before = (await gql(ALL))["relationships"]
    for kind, source, target in (("works_at", ann, acme), ("knows", ann, bob), ("knows", bob, ann)):
        errors = await refused(gql, CREATE, {"kind": kind, "sourceId": source, "targetId": target})
        assert codes(errors) == {("input", "targetId"): "DUPLICATE"}
    assert (await gql(ALL))["relationships"] == before


async def test_create_refuses_endpoint_types_the_kind_does_not_allow(gql):
    ann, acme = await person(gql), await org(gql)
    errors = await refused(gql, CREATE, {"kind": "works_at", "sourceId": acme, "targetId": ann})
    assert codes(errors) == {("input", "sourceId"): "WRONG_TYPE", ("input", "targetId"): "WRONG_TYPE"}
    by_path = {tuple(e["path"]): e["message"] for e in errors}
    assert "contact" in by_path[("input", "sourceId")], "names the allowed source type"
    assert "organization" in by_path[("input", "targetId")], "names the allowed target type"
    viewer = (await gql("{ viewer { id } }"))["viewer"]["id"]
    errors = await refused(gql, CREATE, {"kind": "knows", "sourceId": ann, "targetId": viewer})
    assert codes(errors) == {("input", "targetId"): "WRONG_TYPE"}
    assert (await gql(ALL))["relationships"]["totalCount"] == 0


async def test_the_database_refuses_edges_to_records_of_other_types(tenant, gql):
    """The read side looks `source` and `target` up among the declared endpoint types
    only; the table's CHECK makes that a fact, even for rows written without the API."""
    from crm_graph.readside.ids import from_global_id
    from crm_graph.readside.spec import entity

    refs = {r.name: r.record_types for r in entity("Relationship").refs}
    assert refs == {
        "source": ("organization", "contact", "opportunity"),
        "target": ("organization", "contact", "opportunity"),
    }
    ann, acme = await person(gql), await org(gql)
    ann_id, acme_id = (from_global_id(x)[1] for x in (ann, acme))
    insert = sa.text(
        "INSERT INTO relationships (id, tenant_id, kind, source_type, source_id, target_type, target_id) "
        "VALUES (gen_random_uuid(), :t, 'works_at', :st, :s, :tt, :d)"
    )
    for source_type, target_type in (("task", "organization"), ("contact", "user")):
        with pytest.raises(sa.exc.IntegrityError, match="ck_relationships_endpoint_types"):
            async with tenant.engine.begin() as conn:
                await conn.execute(
                    insert, {"t": tenant.id, "st": source_type, "s": ann_id, "tt": target_type, "d": acme_id}
                )
    assert (await gql(ALL))["relationships"]["totalCount"] == 0


async def test_create_refuses_unknown_kinds_including_another_tenants_own(gql, other):
    theirs = (
        await other.client()(
            KIND_CREATE,
            {
                "i": {
                    "key": "mentor_of",
                    "label": "Mentor of",
                    "sourceTypes": ["CONTACT"],
                    "targetTypes": ["CONTACT"],
                }
            },
        )
    )["relationshipKindCreate"]
    assert theirs["errors"] == []
    ann, bob = await person(gql, "Ann"), await person(gql, "Bob")
    for kind in ("mentor_of", "no_such_kind"):
        errors = await refused(gql, CREATE, {"kind": kind, "sourceId": ann, "targetId": bob})
        assert codes(errors) == {("input", "kind"): "NOT_FOUND"}
    assert (await gql(ALL))["relationships"]["totalCount"] == 0


async def test_create_needs_live_endpoints_of_this_tenant(gql, other):
    ann = await person(gql)
    gone = await org(gql, "Gone Inc")
    await gql(ORG_ARCHIVE, {"i": {"id": gone}})
    foreign = await person(other.client(), "Theirs")
    for source, target, path in (
        (ann, gone, "targetId"),
        (foreign, ann, "sourceId"),
        (ann, gid("Organization", uuid.uuid4()), "targetId"),
    ):
        kind = "works_at" if path == "targetId" else "knows"
        errors = await refused(gql, CREATE, {"kind": kind, "sourceId": source, "targetId": target})
        assert codes(errors) == {("input", path): "NOT_FOUND"}
        assert errors[0]["__typename"] == "ValidationError"
    errors = await refused(gql, CREATE, {"kind": "knows", "sourceId": ann, "targetId": "not-an-id"})
    assert codes(errors) == {("input", "targetId"): "INVALID_ID"}
    assert (await gql(ALL))["relationships"]["totalCount"] == 0
    assert (await other.client()(ALL))["relationships"]["totalCount"] == 0


async def test_create_refuses_self_edges_and_bad_values_all_at_once(gql):
    ann = await person(gql)
    errors = await refused(
        gql,
        CREATE,
        {
            "kind": "knows",
            "sourceId": ann,
            "targetId": ann,
            "strength": 1.5,
            "since": "2024-05-01",
            "until": "2024-01-01",
        },
    )
    assert codes(errors) == {
        ("input", "targetId"): "SELF_EDGE",
        ("input", "strength"): "OUT_OF_RANGE",
        ("input", "until"): "OUT_OF_RANGE",
    }
    assert (await gql(ALL))["relationships"]["totalCount"] == 0


# --- relationshipUpdate ---------------------------------------------------------------


@pytest.fixture
async def works_at(gql) -> dict[str, Any]:
    return await edge(gql, "works_at", await person(gql), await org(gql), strength=0.5, since="2020-01-01")


async def test_update_changes_the_given_values_only(gql, works_at):
    result = (
        await gql(
            UPDATE,
            {
                "i": {
                    "id": works_at["id"],
                    "expectedVersion": 1,
                    "strength": 0.9,
                    "until": "2024-12-31",
                    "note": "Left for a rival",
                }
            },
        )
    )["relationshipUpdate"]
    assert result["errors"] == []
    updated = result["relationship"]
    assert (updated["strength"], updated["since"], updated["until"], updated["note"], updated["version"]) == (
        0.9,
        "2020-01-01",
        "2024-12-31",
        "Left for a rival",
        2,
    )
    assert {k: updated[k] for k in ("kind", "source", "target")} == {
        k: works_at[k] for k in ("kind", "source", "target")
    }
    assert (await gql(READ, {"id": works_at["id"]}))["node"] == updated
    cleared = (await gql(UPDATE, {"i": {"id": works_at["id"], "note": None}}))["relationshipUpdate"]["relationship"]
    assert (cleared["note"], cleared["strength"]) == (None, 0.9)


async def test_update_cannot_change_kind_or_endpoints(gql, works_at):
    response = await gql.post(UPDATE, {"i": {"id": works_at["id"], "kind": "advisor_of"}})
    assert response.json()["errors"], "kind is not an input field of relationshipUpdate"
    assert (await gql(READ, {"id": works_at["id"]}))["node"] == works_at


async def test_update_with_bad_values_changes_nothing(gql, works_at):
    errors = await refused(gql, UPDATE, {"id": works_at["id"], "strength": -0.1, "until": "2019-12-31"})
    # `until` is checked against the stored `since` (2020-01-01), not only the input.
    assert codes(errors) == {("input", "strength"): "OUT_OF_RANGE", ("input", "until"): "OUT_OF_RANGE"}
    assert (await gql(READ, {"id": works_at["id"]}))["node"] == works_at


async def test_update_with_stale_version_is_a_conflict_and_changes_nothing(gql, works_at):
    moved_on = (await gql(UPDATE, {"i": {"id": works_at["id"], "note": "first"}}))["relationshipUpdate"]["relationship"]
    errors = await refused(gql, UPDATE, {"id": works_at["id"], "expectedVersion": 1, "note": "second"})
    assert [(e["__typename"], e["path"], e["currentVersion"]) for e in errors] == [
        ("Conflict", ["input", "expectedVersion"], 2)
    ]
    assert (await gql(READ, {"id": works_at["id"]}))["node"] == moved_on


async def test_update_of_unknown_or_foreign_edge_is_not_found(gql, other):
    theirs = other.client()
    foreign = await edge(theirs, "knows", await person(theirs, "A"), await person(theirs, "B"))
    for id_ in (gid("Relationship", uuid.uuid4()), foreign["id"]):
        errors = await refused(gql, UPDATE, {"id": id_, "note": "mine now"})
        assert [(e["__typename"], e["path"]) for e in errors] == [("NotFound", ["input", "id"])]
    assert (await theirs(READ, {"id": foreign["id"]}))["node"] == foreign


# --- relationshipDelete ---------------------------------------------------------------


async def test_delete_removes_the_edge_from_both_ends_and_the_graph(gql, works_at):
    result = (await gql(DELETE, {"i": {"id": works_at["id"], "expectedVersion": 1}}))["relationshipDelete"]
    assert result == {"deletedId": works_at["id"], "errors": []}
    assert (await gql(READ, {"id": works_at["id"]}))["node"] is None
    for end in (works_at["source"]["id"], works_at["target"]["id"]):
        around = (await gql(AROUND, {"id": end, "dir": "BOTH"}))["node"]
        assert ids(around["relationships"]) == [] and ids(around["neighbors"]) == []
    errors = await refused(gql, DELETE, {"id": works_at["id"]})
    assert [e["__typename"] for e in errors] == ["NotFound"], "a second delete finds nothing"


async def test_delete_with_stale_version_is_a_conflict_and_keeps_the_edge(gql, works_at):
    await gql(UPDATE, {"i": {"id": works_at["id"], "note": "moved on"}})
    errors = await refused(gql, DELETE, {"id": works_at["id"], "expectedVersion": 1})
    assert [(e["__typename"], e["currentVersion"]) for e in errors] == [("Conflict", 2)]
    assert (await gql(READ, {"id": works_at["id"]}))["node"]["version"] == 2


async def test_delete_of_unknown_or_foreign_edge_is_not_found(gql, other):
    theirs = other.client()
    foreign = await edge(theirs, "knows", await person(theirs, "A"), await person(theirs, "B"))
    for id_ in (gid("Relationship", uuid.uuid4()), foreign["id"]):
        errors = await refused(gql, DELETE, {"id": id_})
        assert [(e["__typename"], e["path"]) for e in errors] == [("NotFound", ["input", "id"])]
    assert (await theirs(READ, {"id": foreign["id"]}))["node"] == foreign


# --- relationshipKindCreate -----------------------------------------------------------


async def test_a_tenant_adds_its_own_kind_and_joins_records_with_it(gql):
    result = (
        await gql(
            KIND_CREATE,
            {
                "i": {
                    "key": "mentor_of",
                    "label": "Mentor of",
                    "inverseLabel": "Mentored by",
                    "sourceTypes": ["CONTACT"],
                    "targetTypes": ["CONTACT", "CONTACT"],
                }
            },
        )
    )["relationshipKindCreate"]
    assert result["errors"] == []
    kind = result["relationshipKind"]
    assert {k: v for k, v in kind.items() if k != "id"} == {
        "key": "mentor_of",
        "label": "Mentor of",
        "inverseLabel": "Mentored by",
        "sourceTypes": ["contact"],
        "targetTypes": ["contact"],
        "symmetric": False,
        "builtIn": False,
    }
    listed = {e["node"]["key"]: e["node"] for e in (await gql(KINDS))["relationshipKinds"]["edges"]}
    assert listed["mentor_of"] == kind and listed["works_at"]["builtIn"] is True
    ann, bob = await person(gql, "Ann"), await person(gql, "Bob")
    assert (await edge(gql, "mentor_of", ann, bob))["kind"] == "mentor_of"
    buddy = (
        await gql(
            KIND_CREATE,
            {
                "i": {
                    "key": "buddy_of",
                    "label": "Buddy of",
                    "sourceTypes": ["CONTACT"],
                    "targetTypes": ["CONTACT"],
                    "symmetric": True,
                }
            },
        )
    )["relationshipKindCreate"]["relationshipKind"]
    assert buddy["inverseLabel"] == "Buddy of", "the inverse label defaults to the label"
    await edge(gql, "buddy_of", ann, bob)
    errors = await refused(gql, CREATE, {"kind": "buddy_of", "sourceId": bob, "targetId": ann})
    assert codes(errors) == {("input", "targetId"): "DUPLICATE"}, "a tenant's own symmetric kind is symmetric too"


async def test_kind_create_refuses_bad_input_and_creates_nothing(gql):
    before = (await gql(KINDS))["relationshipKinds"]
    errors = await refused(
        gql,
        KIND_CREATE,
        {
            "key": "Mentor Of",
            "label": " ",
            "sourceTypes": [],
            "targetTypes": ["CONTACT"],
        },
    )
    assert codes(errors) == {
        ("input", "key"): "INVALID",
        ("input", "label"): "BLANK",
        ("input", "sourceTypes"): "REQUIRED",
    }
    errors = await refused(
        gql,
        KIND_CREATE,
        {
            "key": "allied_with",
            "label": "Allied with",
            "sourceTypes": ["ORGANIZATION"],
            "targetTypes": ["CONTACT"],
            "symmetric": True,
        },
    )
    assert codes(errors) == {("input", "targetTypes"): "INVALID"}
    assert (await gql(KINDS))["relationshipKinds"] == before


async def test_kind_keys_are_unique_per_tenant(gql, other):
    given = {"key": "mentor_of", "label": "Mentor of", "sourceTypes": ["CONTACT"], "targetTypes": ["CONTACT"]}
    assert (await gql(KIND_CREATE, {"i": given}))["relationshipKindCreate"]["errors"] == []
    before = (await gql(KINDS))["relationshipKinds"]
    for key in ("mentor_of", "works_at"):
        errors = await refused(gql, KIND_CREATE, {**given, "key": key})
        assert codes(errors) == {("input", "key"): "DUPLICATE"}
    assert (await gql(KINDS))["relationshipKinds"] == before
    theirs = (await other.client()(KIND_CREATE, {"i": given}))["relationshipKindCreate"]
    assert theirs["errors"] == [], "another tenant may use the same key"


# --- authorization ------------------------------------------------------------------


async def test_roles_without_edge_or_kind_writes_cannot_use_the_mutations(gql, tenant, works_at):
    analyst = tenant.client(await tenant.user(f"analyst@{tenant.slug}.example", ["analyst"]))
    manager = tenant.client(await tenant.user(f"manager@{tenant.slug}.example", ["sales_manager"]))
    kind = {"key": "mentor_of", "label": "Mentor of", "sourceTypes": ["CONTACT"], "targetTypes": ["CONTACT"]}
    for client, query, given in (
        (
            analyst,
            CREATE,
            {"kind": "knows", "sourceId": works_at["source"]["id"], "targetId": works_at["target"]["id"]},
        ),
        (analyst, UPDATE, {"id": works_at["id"], "note": "no"}),
        (analyst, DELETE, {"id": works_at["id"]}),
        (manager, KIND_CREATE, kind),  # the graph's vocabulary is the admin's to change
    ):
        body = (await client.post(query, {"i": given})).json()
        assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"]
    assert (await gql(READ, {"id": works_at["id"]}))["node"] == works_at
    assert "mentor_of" not in {e["node"]["key"] for e in (await gql(KINDS))["relationshipKinds"]["edges"]}
    # A sales manager does write edges.
    updated = (await manager(UPDATE, {"i": {"id": works_at["id"], "note": "yes"}}))["relationshipUpdate"]
    assert updated["errors"] == [] and updated["relationship"]["note"] == "yes"
