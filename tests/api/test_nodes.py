"""Relay's `node` / `nodes` and `viewer`: any record by its global ID, and tenant
isolation at that entry point (another tenant's ID is indistinguishable from a random one).
"""

from __future__ import annotations

import base64
import uuid
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
from builders import Builder, OtherTenant, at, gid, other_tenant
from tests.conftest import without_extensions

from crm_graph.domains.relationships.models import RelationshipKind
from crm_graph.platform.identity.models import User

NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename id
    ... on Organization { name archivedAt }
    ... on Contact { firstName lastName organization { id } }
    ... on Opportunity { name amount stage { name } }
    ... on Interaction { subject interactionKind: kind }
    ... on Task { title status record { __typename id } }
    ... on Pipeline { name isDefault }
    ... on Stage { name position pipeline { id } }
    ... on OpportunityStageChange { toStage { name } opportunity { id } }
    ... on User { email name }
    ... on Team { name }
    ... on Relationship { relKind: kind source { id } target { id } }
    ... on RelationshipKind { key symmetric }
  }
}"""

NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }"


async def one_of_each(tenant: Any) -> dict[str, tuple[str, Any]]:
    """A record of every node type: {type name: (global id, expected fields)}."""
    b = Builder(tenant)
    pipeline, stages = await b.pipeline()
    org = await b.org("Acme")
    contact = await b.contact("Ann", "Lee", organization_id=org)
    opp = await b.opportunity(
        "Big deal", organization_id=org, amount=Decimal("1234.50"), stage_id=stages["Proposal"], pipeline_id=pipeline
    )
    interaction = await b.add("Interaction", kind="meeting", subject="Kick-off", occurred_at=at(1))
    task = await b.add("Task", title="Call back", status="in_progress", record_type="contact", record_id=contact)
    change = await b.add("OpportunityStageChange", opportunity_id=opp, to_stage_id=stages["Proposal"], changed_at=at(2))
    team = await b.add("Team", name="Sales EMEA")
    edge = await b.edge("works_at", ("contact", contact), ("organization", org))
    k, u = RelationshipKind.__table__, User.__table__
    async with tenant.engine.connect() as conn:
        kind = (
            await conn.execute(sa.select(k.c.id).where(k.c.tenant_id == tenant.id, k.c.key == "knows"))
        ).scalar_one()
        admin_email = (await conn.execute(sa.select(u.c.email).where(u.c.id == tenant.admin_id))).scalar_one()
    return {
        "Organization": (gid("Organization", org), {"name": "Acme", "archivedAt": None}),
        "Contact": (
            gid("Contact", contact),
            {"firstName": "Ann", "lastName": "Lee", "organization": {"id": gid("Organization", org)}},
        ),
        "Opportunity": (gid("Opportunity", opp), {"name": "Big deal", "stage": {"name": "Proposal"}}),
        "Interaction": (gid("Interaction", interaction), {"subject": "Kick-off", "interactionKind": "MEETING"}),
        "Task": (
            gid("Task", task),
            {
                "title": "Call back",
                "status": "IN_PROGRESS",
                "record": {"__typename": "Contact", "id": gid("Contact", contact)},
            },
        ),
        "Pipeline": (gid("Pipeline", pipeline), {"name": "Sales", "isDefault": True}),
        "Stage": (
            gid("Stage", stages["Proposal"]),
            {"name": "Proposal", "pipeline": {"id": gid("Pipeline", pipeline)}},
        ),
        "OpportunityStageChange": (
            gid("OpportunityStageChange", change),
            {"toStage": {"name": "Proposal"}, "opportunity": {"id": gid("Opportunity", opp)}},
        ),
        "User": (gid("User", tenant.admin_id), {"email": admin_email}),
        "Team": (gid("Team", team), {"name": "Sales EMEA"}),
        "Relationship": (
            gid("Relationship", edge),
            {
                "relKind": "works_at",
                "source": {"id": gid("Contact", contact)},
                "target": {"id": gid("Organization", org)},
            },
        ),
        "RelationshipKind": (gid("RelationshipKind", kind), {"key": "knows", "symmetric": True}),
    }


TYPES = [
    "Organization",
    "Contact",
    "Opportunity",
    "Interaction",
    "Task",
    "Pipeline",
    "Stage",
    "OpportunityStageChange",
    "User",
    "Team",
    "Relationship",
    "RelationshipKind",
]


@pytest.fixture
async def records(tenant: Any) -> dict[str, tuple[str, Any]]:
    return await one_of_each(tenant)


@pytest.fixture
async def foreign(engine: Any) -> tuple[OtherTenant, dict[str, tuple[str, Any]]]:
    """Another tenant holding one record of every type."""
    other = await other_tenant(engine)
    return other, await one_of_each(other)


@pytest.mark.parametrize("type_name", TYPES)
async def test_node_returns_the_record_with_its_type(gql, records, type_name):
    id_, fields = records[type_name]
    data = await gql(NODE, {"id": id_})
    node = data["node"]
    assert node["__typename"] == type_name
    assert node["id"] == id_
    for name, value in fields.items():
        assert node[name] == value, name
    if type_name == "Opportunity":
        assert Decimal(str(node["amount"])) == Decimal("1234.50")
    if type_name == "Stage":
        assert node["position"] == 3  # third of the default stages


async def test_node_ids_are_the_ones_lists_give(gql, records):
    data = await gql(
        "{ organizations(first: 5) { edges { node { id } } } contacts(first: 5) { edges { node { id } } } }"
    )
    assert [e["node"]["id"] for e in data["organizations"]["edges"]] == [records["Organization"][0]]
    assert [e["node"]["id"] for e in data["contacts"]["edges"]] == [records["Contact"][0]]


async def test_node_shows_an_archived_record(gql, tenant):
    org = await Builder(tenant).org("Gone", archived_at=at(3))
    data = await gql(NODE, {"id": gid("Organization", org)})
    assert data["node"]["name"] == "Gone"
    assert data["node"]["archivedAt"] is not None


def _raw_id(tag: int, id_: uuid.UUID, extra: bytes = b"") -> str:
    return base64.b64encode(tag.to_bytes(2, "big") + id_.bytes + extra).decode()


def unknown_ids() -> dict[str, str]:
    return {
        "random organization": gid("Organization", uuid.uuid4()),
        "garbage": "garbage",
        "empty": "",
        "not base64": "%%%%",
        "unknown type tag": _raw_id(999, uuid.uuid4()),
        "too long": _raw_id(10, uuid.uuid4(), b"x"),
        "too short": base64.b64encode(b"\x00\x0a" + b"\x01" * 8).decode(),
        "non-ascii": "Zürich",
    }


@pytest.mark.parametrize("value", list(unknown_ids().values()), ids=list(unknown_ids()))
async def test_node_with_an_unknown_or_malformed_id_is_null(gql, value):
    body = (await gql.post(NODE, {"id": value})).json()
    assert without_extensions(body) == {"data": {"node": None}}


@pytest.mark.parametrize("type_name", TYPES)
async def test_another_tenants_id_behaves_like_a_random_one(gql, foreign, type_name):
    _, theirs = foreign
    id_ = theirs[type_name][0]
    random_id = gid(type_name, uuid.uuid4())
    body = (await gql.post(NODE, {"id": id_})).json()
    assert without_extensions(body) == {"data": {"node": None}}
    assert body == (await gql.post(NODE, {"id": random_id})).json()
    listed = (await gql.post(NODES, {"ids": [id_, random_id]})).json()
    assert without_extensions(listed) == {"data": {"nodes": [None, None]}}


async def test_same_uuid_under_another_type_is_null(gql, records):
    org_uuid = uuid.UUID(bytes=base64.b64decode(records["Organization"][0])[2:])
    for wrong in ("Contact", "Opportunity", "User", "Relationship"):
        assert (await gql(NODE, {"id": gid(wrong, org_uuid)}))["node"] is None


async def test_nodes_keeps_order_with_null_where_not_found(gql, records, foreign):
    _, theirs = foreign
    mine = {t: records[t][0] for t in TYPES}
    bad = unknown_ids()
    ids = [
        mine["Contact"],
        bad["garbage"],
        mine["Organization"],
        bad["random organization"],
        theirs["Organization"][0],
        mine["Task"],
        bad["unknown type tag"],
        theirs["User"][0],
        mine["Organization"],  # twice
        bad["empty"],
        mine["RelationshipKind"],
        theirs["RelationshipKind"][0],
        mine["User"],
    ]
    data = await gql(NODES, {"ids": ids})
    assert data["nodes"] == [
        {"__typename": "Contact", "id": mine["Contact"]},
        None,
        {"__typename": "Organization", "id": mine["Organization"]},
        None,
        None,
        {"__typename": "Task", "id": mine["Task"]},
        None,
        None,
        {"__typename": "Organization", "id": mine["Organization"]},
        None,
        {"__typename": "RelationshipKind", "id": mine["RelationshipKind"]},
        None,
        {"__typename": "User", "id": mine["User"]},
    ]


async def test_nodes_of_every_type_at_once(gql, records):
    ids = [records[t][0] for t in TYPES]
    data = await gql(NODES, {"ids": ids})
    assert data["nodes"] == [{"__typename": t, "id": records[t][0]} for t in TYPES]


async def test_nodes_empty_and_too_many(gql):
    assert await gql(NODES, {"ids": []}) == {"nodes": []}
    body = (await gql.post(NODES, {"ids": [gid("Organization", uuid.uuid4()) for _ in range(101)]})).json()
    assert [(e.get("extensions") or {}).get("code") for e in body["errors"]] == ["BAD_USER_INPUT"]
    data = await gql(NODES, {"ids": [gid("Organization", uuid.uuid4()) for _ in range(100)]})
    assert data["nodes"] == [None] * 100


# --- viewer ----------------------------------------------------------------------

VIEWER = "{ viewer { __typename id email name roles } }"


async def test_viewer_is_the_acting_user(tenant):
    bob = await tenant.user(f"bob@{tenant.slug}.example", ["sales_rep"])
    data = await tenant.client(bob)(VIEWER)
    assert data["viewer"] == {
        "__typename": "User",
        "id": gid("User", bob),
        "email": f"bob@{tenant.slug}.example",
        "name": "bob",
        "roles": ["sales_rep"],
    }
    admin = (await tenant.client()(VIEWER))["viewer"]
    assert admin["id"] == gid("User", tenant.admin_id)
    assert admin["email"] == f"admin@{tenant.slug}.example"
    again = await tenant.client(bob)(
        "query($id: ID!) { node(id: $id) { ... on User { email } } }", {"id": data["viewer"]["id"]}
    )
    assert again["node"] == {"email": f"bob@{tenant.slug}.example"}


async def test_viewer_of_another_tenant_sees_only_their_tenant(tenant, engine):
    other = await other_tenant(engine)
    theirs = tenant.__class__(other.id, "other", other.admin_id, engine, tenant.http).client()
    me = (await theirs(VIEWER))["viewer"]
    assert me["id"] == gid("User", other.admin_id)
    body = (await theirs.post(NODE, {"id": gid("User", tenant.admin_id)})).json()
    assert without_extensions(body) == {"data": {"node": None}}
