"""relationshipPath in the statement: the same shortest path, or null, as the ordinary path."""

from __future__ import annotations

import orjson

ROLES = [
    "admin@demo.example",
    "rep1@demo.example",
    "analyst@demo.example",
    "marketing@demo.example",
    "service@demo.example",
]
PATH = """query($a: ID!, $b: ID!, $d: Int = 4, $k: [String!]) { relationshipPath(from: $a, to: $b, maxDepth: $d, kinds: $k) {
    __typename length nodes { __typename id ... on Organization { name owner { name } } ... on Contact { lastName } }
    edges { id kind source { id } target { id } } } }"""


async def test_shortest_paths_both_ways(as_user):
    admin = as_user("admin@demo.example")
    data = orjson.loads(
        await admin.same("{ relationships(first: 40) { edges { node { source { id } target { id } } } } }")
    )
    ends = [(e["node"]["source"]["id"], e["node"]["target"]["id"]) for e in data["data"]["relationships"]["edges"]]
    pairs = [
        (ends[0][0], ends[0][1]),
        (ends[0][0], ends[7][1]),
        (ends[3][1], ends[12][0]),
        (ends[5][0], ends[5][0]),
        (ends[9][0], ends[30][1]),
        (ends[1][0], "junk"),
        (ends[2][0], ends[20][1]),
    ]
    found = 0
    for email in ROLES:
        for a, b in pairs:
            for variables in ({"a": a, "b": b}, {"a": a, "b": b, "d": 1}, {"a": a, "b": b, "k": ["partner_of"]}):
                out = await as_user(email).check(PATH, variables)
                if out.ordinary and b'"length"' in out.ordinary:
                    found += 1
    assert found > 10  # real paths, not only nulls


async def test_two_paths_in_one_operation(as_user):
    """Each relationshipPath walks in a CTE of its own."""
    admin = as_user("admin@demo.example")
    data = orjson.loads(
        await admin.same("{ relationships(first: 20) { edges { node { source { id } target { id } } } } }")
    )
    ends = [(e["node"]["source"]["id"], e["node"]["target"]["id"]) for e in data["data"]["relationships"]["edges"]]
    two = """query($a: ID!, $b: ID!, $c: ID!) {
      there: relationshipPath(from: $a, to: $b) { length nodes { id } edges { id } }
      back: relationshipPath(from: $b, to: $a, maxDepth: 2) { length nodes { id } }
      other: relationshipPath(from: $a, to: $c, kinds: ["partner_of"]) { length } }"""
    lengths = 0
    for email in ROLES:
        for (a, b), (_, c) in zip(ends[:4], ends[5:9]):
            out = await as_user(email).check(two, {"a": a, "b": b, "c": c})
            lengths += out.ordinary.count(b'"length"') if out.ordinary else 0
    assert lengths > 10


async def test_bad_depth_falls_back(as_user):
    out = await as_user("admin@demo.example").falls_back(PATH, {"a": "x", "b": "y", "d": 9})
    assert out.reason == "arguments" and out.errors
