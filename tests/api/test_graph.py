"""The relationship graph as a client sees it: neighbours within some hops, shortest
paths between records, and the edges touching one record.

The graph (edges are walked both ways):

    A --partner_of-- B --subsidiary_of--> C <--works_at-- X --knows--> Y --works_at--> D
    A --customer_of--> F --supplier_of--> D

A, B, C, D, F are organizations; X, Y contacts. A reaches D in two hops through F, or in
five through B, C, X and Y.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from builders import Builder, gid, other_tenant
from tests.conftest import without_extensions

ORG, CONTACT = "organization", "contact"


@pytest.fixture
async def graph(tenant: Any) -> dict[str, Any]:
    b = Builder(tenant)
    nodes: dict[str, tuple[str, uuid.UUID]] = {}
    for name in "ABCDF":
        nodes[name] = (ORG, await b.org(name))
    nodes["X"] = (CONTACT, await b.contact("X", "Contact"))
    nodes["Y"] = (CONTACT, await b.contact("Y", "Contact"))
    edges = {
        "e1": await b.edge("partner_of", nodes["A"], nodes["B"]),
        "e2": await b.edge("subsidiary_of", nodes["B"], nodes["C"]),
        "e3": await b.edge("works_at", nodes["X"], nodes["C"]),
        "e4": await b.edge("knows", nodes["X"], nodes["Y"]),
        "e5": await b.edge("works_at", nodes["Y"], nodes["D"]),
        "e6": await b.edge("customer_of", nodes["A"], nodes["F"]),
        "e7": await b.edge("supplier_of", nodes["F"], nodes["D"]),
    }
    ids = {name: gid("Organization" if kind == ORG else "Contact", i) for name, (kind, i) in nodes.items()}
    ids |= {name: gid("Relationship", i) for name, i in edges.items()}
    return {"ids": ids, "names": {v: k for k, v in ids.items()}, "rows": nodes, "builder": b}


# --- neighbors -------------------------------------------------------------------

NEIGHBORS = """
query($id: ID!, $depth: Int! = 1, $kinds: [String!], $first: Int, $after: String) {
  node(id: $id) {
    ... on Organization { neighbors(depth: $depth, kinds: $kinds, first: $first, after: $after) { ...hops } }
    ... on Contact { neighbors(depth: $depth, kinds: $kinds, first: $first, after: $after) { ...hops } }
  }
}
fragment hops on NeighborConnection {
  totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { cursor distance relationship { id kind } node { __typename id ... on Organization { name } } }
}"""


async def neighbors(client: Any, g: dict[str, Any], start: str, **variables: Any) -> dict[str, tuple[int, str]]:
    """{node name: (distance, edge name)} from one page holding everything."""
    data = await client(NEIGHBORS, {"id": g["ids"][start], "first": 100, **variables})
    conn = data["node"]["neighbors"]
    names = g["names"]
    out = {}
    for e in conn["edges"]:
        name = names.get(e["node"]["id"], e["node"]["id"])
        assert name not in out, f"{name} listed twice"
        out[name] = (e["distance"], names.get(e["relationship"]["id"], e["relationship"]["id"]))
        assert e["node"]["__typename"] == ("Contact" if name in "XY" else "Organization")
    distances = [e["distance"] for e in conn["edges"]]
    assert distances == sorted(distances), "nearest first"
    assert conn["totalCount"] == len(out)
    assert conn["pageInfo"]["hasNextPage"] is False
    return out


NEIGHBOR_CASES = [
    ("A", 1, None, {"B": (1, "e1"), "F": (1, "e6")}),
    ("A", 2, None, {"B": (1, "e1"), "F": (1, "e6"), "C": (2, "e2"), "D": (2, "e7")}),
    ("A", 3, None, {"B": (1, "e1"), "F": (1, "e6"), "C": (2, "e2"), "D": (2, "e7"), "X": (3, "e3"), "Y": (3, "e5")}),
    ("A", 3, ["partner_of", "subsidiary_of", "works_at"], {"B": (1, "e1"), "C": (2, "e2"), "X": (3, "e3")}),
    ("A", 3, ["customer_of"], {"F": (1, "e6")}),
    ("A", 3, ["knows"], {}),
    ("A", 3, ["no_such_kind"], {}),
    ("D", 1, None, {"Y": (1, "e5"), "F": (1, "e7")}),
    ("D", 2, ["works_at", "knows"], {"Y": (1, "e5"), "X": (2, "e4")}),
    ("X", 1, None, {"C": (1, "e3"), "Y": (1, "e4")}),
    ("X", 2, None, {"C": (1, "e3"), "Y": (1, "e4"), "B": (2, "e2"), "D": (2, "e5")}),
    ("X", 3, None, {"C": (1, "e3"), "Y": (1, "e4"), "B": (2, "e2"), "D": (2, "e5"), "A": (3, "e1"), "F": (3, "e7")}),
    ("Y", 1, ["knows"], {"X": (1, "e4")}),
]


@pytest.mark.parametrize(
    ("start", "depth", "kinds", "expected"),
    NEIGHBOR_CASES,
    ids=[f"{s}-depth{d}-{','.join(k or ['any'])}" for s, d, k, _ in NEIGHBOR_CASES],
)
async def test_neighbors(gql, graph, start, depth, kinds, expected):
    assert await neighbors(gql, graph, start, depth=depth, kinds=kinds) == expected


async def test_neighbors_default_depth_is_one(gql, graph):
    data = await gql(
        "query($id: ID!) { node(id: $id) { ... on Organization { neighbors { totalCount edges { node { id } } } } } }",
        {"id": graph["ids"]["A"]},
    )
    assert {graph["names"][e["node"]["id"]] for e in data["node"]["neighbors"]["edges"]} == {"B", "F"}


@pytest.mark.parametrize("size", [1, 2, 4, 6])
async def test_neighbors_paging(gql, graph, size):
    everything = (await gql(NEIGHBORS, {"id": graph["ids"]["A"], "depth": 3, "first": 100}))["node"]["neighbors"]
    expected = [e["node"]["id"] for e in everything["edges"]]
    assert len(expected) == 6
    seen: list[str] = []
    after = None
    for n in range(10):
        conn = (await gql(NEIGHBORS, {"id": graph["ids"]["A"], "depth": 3, "first": size, "after": after}))["node"][
            "neighbors"
        ]
        assert conn["totalCount"] == 6
        page = [e["node"]["id"] for e in conn["edges"]]
        assert not set(page) & set(seen), "no record twice"
        seen += page
        info = conn["pageInfo"]
        assert info["hasPreviousPage"] is (n > 0)
        if page:
            assert info["startCursor"] == conn["edges"][0]["cursor"]
            assert info["endCursor"] == conn["edges"][-1]["cursor"]
        if not info["hasNextPage"]:
            break
        assert len(page) == size
        after = info["endCursor"]
    assert seen == expected


async def test_archived_records_are_neither_listed_nor_traversed(gql, graph):
    b: Builder = graph["builder"]
    await b.archive("Organization", graph["rows"]["F"][1])
    assert await neighbors(gql, graph, "A", depth=3) == {"B": (1, "e1"), "C": (2, "e2"), "X": (3, "e3")}
    await b.archive("Organization", graph["rows"]["C"][1])
    assert await neighbors(gql, graph, "A", depth=3) == {"B": (1, "e1")}
    assert await neighbors(gql, graph, "X", depth=3) == {"Y": (1, "e4"), "D": (2, "e5")}


async def test_edges_to_another_tenants_records_are_not_followed(gql, graph, engine):
    """Even an edge row pointing into another tenant leads nowhere."""
    stranger = await Builder(await other_tenant(engine)).org("Stranger")
    await graph["builder"].edge("competitor_of", graph["rows"]["A"], (ORG, stranger))
    assert await neighbors(gql, graph, "A", depth=1) == {"B": (1, "e1"), "F": (1, "e6")}
    data = await gql(RELATIONSHIPS, {"id": graph["ids"]["A"]})
    assert sorted(graph["names"].get(e["node"]["id"], "?") for e in data["node"]["relationships"]["edges"]) == [
        "e1",
        "e6",
    ]
    path = await gql(
        "query($a: ID!, $b: ID!) { relationshipPath(from: $a, to: $b) { length } }",
        {"a": graph["ids"]["A"], "b": gid("Organization", stranger)},
    )
    assert path == {"relationshipPath": None}


def _codes(body: dict[str, Any]) -> list[Any]:
    assert body.get("errors"), body
    return [(e.get("extensions") or {}).get("code") for e in body["errors"]]


def _cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "variables",
    [
        {"depth": 0},
        {"depth": 4},
        {"first": 101},
        {"first": -1},
        {"after": "garbage"},
        {"after": _cursor([1])},
        # a cursor of another list (organizations by name) handed to neighbors
        {"after": _cursor(["b", str(uuid.uuid4())])},
        {"after": _cursor({"distance": 1})},
    ],
    ids=[
        "depth 0",
        "depth 4",
        "first 101",
        "first -1",
        "garbage cursor",
        "short cursor",
        "foreign cursor",
        "object cursor",
    ],
)
async def test_neighbors_bad_arguments(gql, graph, variables):
    body = (await gql.post(NEIGHBORS, {"id": graph["ids"]["A"], **variables})).json()
    assert _codes(body) == ["BAD_USER_INPUT"]


# --- relationshipPath ------------------------------------------------------------

PATH = """
query($from: ID!, $to: ID!, $maxDepth: Int! = 4, $kinds: [String!]) {
  relationshipPath(from: $from, to: $to, maxDepth: $maxDepth, kinds: $kinds) {
    length nodes { __typename id } edges { id kind }
  }
}"""


async def path(
    client: Any, g: dict[str, Any], a: str, b: str, **variables: Any
) -> tuple[int, list[str], list[str]] | None:
    data = await client(PATH, {"from": g["ids"].get(a, a), "to": g["ids"].get(b, b), **variables})
    found = data["relationshipPath"]
    if found is None:
        return None
    nodes = [g["names"][n["id"]] for n in found["nodes"]]
    edges = [g["names"][e["id"]] for e in found["edges"]]
    assert len(nodes) == len(edges) + 1
    for n in found["nodes"]:
        assert n["__typename"] == ("Contact" if g["names"][n["id"]] in "XY" else "Organization")
    return found["length"], nodes, edges


ALL_BUT_F = ["partner_of", "subsidiary_of", "works_at", "knows"]

PATH_CASES = [
    ("A", "D", {}, (2, ["A", "F", "D"], ["e6", "e7"])),
    ("D", "A", {}, (2, ["D", "F", "A"], ["e7", "e6"])),
    ("A", "F", {"maxDepth": 1}, (1, ["A", "F"], ["e6"])),
    ("A", "D", {"maxDepth": 1}, None),
    ("A", "D", {"maxDepth": 2}, (2, ["A", "F", "D"], ["e6", "e7"])),
    (
        "A",
        "D",
        {"kinds": ALL_BUT_F, "maxDepth": 5},
        (5, ["A", "B", "C", "X", "Y", "D"], ["e1", "e2", "e3", "e4", "e5"]),
    ),
    ("A", "D", {"kinds": ALL_BUT_F, "maxDepth": 4}, None),
    ("A", "D", {"kinds": ALL_BUT_F}, None),
    ("A", "Y", {}, (3, ["A", "F", "D", "Y"], ["e6", "e7", "e5"])),
    ("Y", "B", {}, (3, ["Y", "X", "C", "B"], ["e4", "e3", "e2"])),
    ("X", "A", {"kinds": ["works_at", "subsidiary_of", "partner_of"]}, (3, ["X", "C", "B", "A"], ["e3", "e2", "e1"])),
    ("X", "Y", {"kinds": ["works_at"]}, None),
    ("A", "A", {}, (0, ["A"], [])),
]


@pytest.mark.parametrize(
    ("a", "b", "variables", "expected"), PATH_CASES, ids=[f"{a}->{b} {v}" for a, b, v, _ in PATH_CASES]
)
async def test_relationship_path(gql, graph, a, b, variables, expected):
    assert await path(gql, graph, a, b, **variables) == expected


async def test_path_edges_carry_their_kinds(gql, graph):
    data = await gql(PATH, {"from": graph["ids"]["A"], "to": graph["ids"]["D"], "kinds": ALL_BUT_F, "maxDepth": 5})
    assert [e["kind"] for e in data["relationshipPath"]["edges"]] == [
        "partner_of",
        "subsidiary_of",
        "works_at",
        "knows",
        "works_at",
    ]


async def test_an_archived_record_in_the_middle_breaks_the_path(gql, graph):
    b: Builder = graph["builder"]
    await b.archive("Organization", graph["rows"]["F"][1])
    assert await path(gql, graph, "A", "D") is None  # the other way is five hops, more than 4
    assert await path(gql, graph, "A", "D", maxDepth=5) == (
        5,
        ["A", "B", "C", "X", "Y", "D"],
        ["e1", "e2", "e3", "e4", "e5"],
    )
    await b.archive("Contact", graph["rows"]["X"][1])
    assert await path(gql, graph, "A", "D", maxDepth=6) is None
    assert await path(gql, graph, "A", "C", maxDepth=6) == (2, ["A", "B", "C"], ["e1", "e2"])


async def test_path_to_another_tenants_record_is_null_like_a_missing_one(gql, graph, engine):
    stranger = await Builder(await other_tenant(engine)).org("Stranger")
    ids = graph["ids"]
    for to in (gid("Organization", stranger), gid("Organization", uuid.uuid4())):
        for a, b in ((ids["A"], to), (to, ids["A"])):
            body = (await gql.post(PATH, {"from": a, "to": b, "maxDepth": 6})).json()
            assert without_extensions(body) == {"data": {"relationshipPath": None}}


@pytest.mark.parametrize(
    ("a", "b"),
    [("not-an-id", "D"), ("A", "%%%"), ("A", "task"), ("A", "user")],
    ids=["malformed from", "malformed to", "a task", "a user"],
)
async def test_path_between_non_graph_ids_is_null(gql, graph, tenant, a, b):
    ids = dict(graph["ids"])
    ids["task"] = gid("Task", await graph["builder"].add("Task", title="t"))
    ids["user"] = gid("User", tenant.admin_id)
    body = (await gql.post(PATH, {"from": ids.get(a, a), "to": ids.get(b, b)})).json()
    assert without_extensions(body) == {"data": {"relationshipPath": None}}


@pytest.mark.parametrize("max_depth", [0, 7, -1])
async def test_path_max_depth_out_of_range(gql, graph, max_depth):
    body = (await gql.post(PATH, {"from": graph["ids"]["A"], "to": graph["ids"]["D"], "maxDepth": max_depth})).json()
    assert _codes(body) == ["BAD_USER_INPUT"]


# --- relationships of one record -------------------------------------------------

RELATIONSHIPS = """
query($id: ID!, $direction: EdgeDirection! = BOTH, $kinds: [String!], $first: Int = 50, $after: String) {
  node(id: $id) {
    ... on Organization { relationships(first: $first, after: $after, direction: $direction, kinds: $kinds) { ...edges } }
    ... on Contact { relationships(first: $first, after: $after, direction: $direction, kinds: $kinds) { ...edges } }
  }
}
fragment edges on RelationshipConnection {
  totalCount
  pageInfo { hasNextPage endCursor }
  edges { node { id kind source { id } target { id } } }
}"""

RELATIONSHIP_CASES = [
    ("A", "OUTGOING", None, {"e1", "e6"}),
    ("A", "INCOMING", None, set()),
    ("A", "BOTH", None, {"e1", "e6"}),
    ("B", "OUTGOING", None, {"e2"}),
    ("B", "INCOMING", None, {"e1"}),
    ("B", "BOTH", None, {"e1", "e2"}),
    ("B", "BOTH", ["partner_of"], {"e1"}),
    ("B", "INCOMING", ["subsidiary_of"], set()),
    ("B", "OUTGOING", ["subsidiary_of", "works_at"], {"e2"}),
    ("C", "INCOMING", None, {"e2", "e3"}),
    ("C", "INCOMING", ["works_at"], {"e3"}),
    ("C", "OUTGOING", None, set()),
    ("D", "BOTH", None, {"e5", "e7"}),
    ("X", "OUTGOING", None, {"e3", "e4"}),
    ("X", "INCOMING", None, set()),
    ("Y", "INCOMING", None, {"e4"}),
    ("Y", "OUTGOING", None, {"e5"}),
    ("Y", "BOTH", ["knows", "works_at"], {"e4", "e5"}),
]


@pytest.mark.parametrize(
    ("start", "direction", "kinds", "expected"),
    RELATIONSHIP_CASES,
    ids=[f"{s}-{d}-{','.join(k or ['any'])}" for s, d, k, _ in RELATIONSHIP_CASES],
)
async def test_relationships_of_a_record(gql, graph, start, direction, kinds, expected):
    data = await gql(RELATIONSHIPS, {"id": graph["ids"][start], "direction": direction, "kinds": kinds})
    conn = data["node"]["relationships"]
    names = graph["names"]
    got = [names[e["node"]["id"]] for e in conn["edges"]]
    assert sorted(got) == sorted(expected)
    assert conn["totalCount"] == len(expected)
    me = graph["ids"][start]
    for e in conn["edges"]:
        ends = (e["node"]["source"]["id"], e["node"]["target"]["id"])
        if direction == "OUTGOING":
            assert ends[0] == me
        elif direction == "INCOMING":
            assert ends[1] == me
        else:
            assert me in ends


async def test_relationship_ends_and_default_direction(gql, graph):
    ids = graph["ids"]
    data = await gql(
        """query($id: ID!) { node(id: $id) { ... on Organization {
        relationships(first: 10) { edges { node { id kind sourceType targetType source { id } target { id } } } } } } }""",
        {"id": ids["B"]},
    )
    got = {graph["names"][e["node"]["id"]]: e["node"] for e in data["node"]["relationships"]["edges"]}
    assert set(got) == {"e1", "e2"}
    assert got["e1"]["source"]["id"] == ids["A"] and got["e1"]["target"]["id"] == ids["B"]
    assert got["e2"]["source"]["id"] == ids["B"] and got["e2"]["target"]["id"] == ids["C"]
    assert (got["e1"]["kind"], got["e1"]["sourceType"], got["e1"]["targetType"]) == (
        "partner_of",
        "organization",
        "organization",
    )
    data = await gql(
        """query($id: ID!) { node(id: $id) { ... on Contact {
        relationships(first: 10, direction: OUTGOING) { edges { node { kind source { __typename id } target { __typename id } } } } } } }""",
        {"id": ids["Y"]},
    )
    (edge,) = data["node"]["relationships"]["edges"]
    assert edge["node"] == {
        "kind": "works_at",
        "source": {"__typename": "Contact", "id": ids["Y"]},
        "target": {"__typename": "Organization", "id": ids["D"]},
    }


async def test_relationships_paging(gql, graph):
    ids = graph["ids"]
    seen: list[str] = []
    after = None
    for _ in range(10):
        conn = (await gql(RELATIONSHIPS, {"id": ids["C"], "direction": "INCOMING", "first": 1, "after": after}))[
            "node"
        ]["relationships"]
        assert conn["totalCount"] == 2
        seen += [graph["names"][e["node"]["id"]] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert sorted(seen) == ["e2", "e3"]
