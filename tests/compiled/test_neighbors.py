"""`neighbors` in the statement: the same records, distances, edges, cursors and
counts as the resolver, for every role, every depth, with kinds, and page by page."""

from __future__ import annotations

import orjson

ROLES = [
    "admin@demo.example",
    "rep1@demo.example",
    "manager@demo.example",
    "analyst@demo.example",
    "marketing@demo.example",
    "service@demo.example",
]
HOPS = """fragment hops on NeighborConnection {
  __typename totalCount
  pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  edges { __typename cursor distance relationship { id kind source { id } }
          node { __typename id ... on Organization { name owner { name } } ... on Contact { lastName } } }
}"""
AROUND = (
    """query($id: ID!, $d: Int! = 1, $k: [String!], $f: Int, $a: String) { node(id: $id) {
  ... on Organization { neighbors(depth: $d, kinds: $k, first: $f, after: $a) { ...hops } }
  ... on Contact { neighbors(depth: $d, kinds: $k, first: $f, after: $a) { ...hops } } } }"""
    + HOPS
)
# Under a connection: one walk per parent row, each from its own record.
UNDER_A_LIST = """query($d: Int!) { organizations(first: 8, orderBy: {field: NAME}) { edges { node { name
  neighbors(depth: $d, first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { distance node { id } } }
  contacts(first: 2) { edges { node { neighbors(depth: $d) { totalCount edges { cursor node { id } } } } } } } } } }"""


async def _starts(as_user) -> list[str]:
    admin = as_user("admin@demo.example")
    data = orjson.loads(
        await admin.same("{ relationships(first: 60) { edges { node { source { id } target { id } } } } }")
    )
    ends = [e["node"][side]["id"] for e in data["data"]["relationships"]["edges"] for side in ("source", "target")]
    return list(dict.fromkeys(ends))[::7][:8]


async def test_neighbors_both_ways_for_every_role_and_depth(as_user):
    starts = await _starts(as_user)
    reached = 0
    for email in ROLES:
        both = as_user(email)
        for start in starts:
            for variables in (
                {"d": 1},
                {"d": 2},
                {"d": 3},
                {"d": 2, "k": ["partner_of", "works_at"]},
                {"d": 1, "k": []},
                {"d": 3, "f": 0},
            ):
                out = await both.check(AROUND, {"id": start, **variables})
                reached += out.ordinary.count(b'"distance"') if out.ordinary else 0
    assert reached > 100  # real neighbours, not only empty lists


async def test_neighbors_page_by_page_with_the_compiled_cursors(as_user):
    for email in ("admin@demo.example", "rep1@demo.example"):
        both = as_user(email)
        for start in (await _starts(as_user))[:4]:
            everything = orjson.loads(await both.same(AROUND, {"id": start, "d": 3}))["data"]["node"]["neighbors"]
            seen, after, pages = [], None, 0
            while True:
                page = orjson.loads(await both.same(AROUND, {"id": start, "d": 3, "f": 2, "a": after}))
                conn = page["data"]["node"]["neighbors"]
                assert conn["totalCount"] == everything["totalCount"]
                assert conn["pageInfo"]["hasPreviousPage"] is (after is not None)
                seen += [e["cursor"] for e in conn["edges"]]
                pages += 1
                if not conn["pageInfo"]["hasNextPage"]:
                    break
                after = conn["pageInfo"]["endCursor"]
            assert seen == [e["cursor"] for e in everything["edges"]]
            assert pages == max(1, -(-len(everything["edges"]) // 2))


async def test_neighbors_of_every_row_of_a_list(as_user):
    for email in ("admin@demo.example", "rep1@demo.example", "analyst@demo.example"):
        for depth in (1, 2):
            await as_user(email).same(UNDER_A_LIST, {"d": depth})


async def test_bad_neighbors_arguments_fall_back_with_the_resolvers_errors(as_user):
    both = as_user("admin@demo.example")
    start = (await _starts(as_user))[0]
    for variables, reason in (
        ({"d": 4}, "arguments"),
        ({"d": 1, "f": 101}, "arguments"),
        ({"d": 1, "a": "bm90IGEgY3Vyc29y"}, "bad_cursor"),
        ({"d": 1, "a": "%%%"}, "bad_cursor"),
    ):
        out = await both.falls_back(AROUND, {"id": start, **variables})
        assert out.reason == reason and out.errors
