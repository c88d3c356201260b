"""Keyset pagination of connections, as a client walks them: root lists and nested ones.

Every walk must return each matching record exactly once and in the declared order,
forwards (first/after) and backwards (last/before), with consistent pageInfo and a
totalCount that depends on the filters only.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from builders import Builder, at, day, gid

PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"


def root_query(field: str, type_name: str, archivable: bool = True) -> str:
    arch_var = ", $arch: Boolean! = false" if archivable else ""
    arch_arg = ", includeArchived: $arch" if archivable else ""
    return f"""
    query($first: Int, $after: String, $last: Int, $before: String, $order: {type_name}Order,
          $filter: {type_name}Filter{arch_var}) {{
      conn: {field}(first: $first, after: $after, last: $last, before: $before, orderBy: $order,
                    filter: $filter{arch_arg}) {{
        totalCount {PAGE_INFO} edges {{ cursor node {{ id }} }}
      }}
    }}"""


ORGS = root_query("organizations", "Organization")

NESTED_CONTACTS = f"""
query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $order: ContactOrder,
      $filter: ContactFilter, $arch: Boolean! = false) {{
  node(id: $id) {{
    ... on Organization {{
      conn: contacts(first: $first, after: $after, last: $last, before: $before, orderBy: $order,
                     filter: $filter, includeArchived: $arch) {{
        totalCount {PAGE_INFO} edges {{ cursor node {{ id }} }}
      }}
    }}
  }}
}}"""


def _conn(data: dict[str, Any]) -> dict[str, Any]:
    return data["node"]["conn"] if "node" in data else data["conn"]


def _check_page(page: dict[str, Any]) -> None:
    edges, info = page["edges"], page["pageInfo"]
    if edges:
        assert info["startCursor"] == edges[0]["cursor"]
        assert info["endCursor"] == edges[-1]["cursor"]
    else:
        assert info["startCursor"] is None and info["endCursor"] is None


async def walk_forward(client: Any, query: str, size: int, **variables: Any) -> list[str]:
    """All node ids, page by page with first/after, checking pageInfo and totalCount on the way."""
    ids: list[str] = []
    after = None
    totals = set()
    for n in range(200):
        page = _conn(await client(query, {**variables, "first": size, "after": after}))
        _check_page(page)
        totals.add(page["totalCount"])
        info = page["pageInfo"]
        assert info["hasPreviousPage"] is (n > 0), (n, info)
        page_ids = [e["node"]["id"] for e in page["edges"]]
        assert not set(page_ids) & set(ids), f"page {n} after {after} repeats records already seen"
        ids += page_ids
        if not info["hasNextPage"]:
            assert len(page["edges"]) <= size
            break
        assert len(page["edges"]) == size, "a page before the last one is full"
        after = info["endCursor"]
    assert totals == {len(ids)}, "totalCount is the number of records walked, on every page"
    return ids


async def walk_backward(client: Any, query: str, size: int, **variables: Any) -> list[str]:
    """All node ids from the end with last/before, returned in the order they were fetched."""
    ids: list[str] = []
    before = None
    totals = set()
    for n in range(200):
        page = _conn(await client(query, {**variables, "last": size, "before": before}))
        _check_page(page)
        totals.add(page["totalCount"])
        info = page["pageInfo"]
        assert info["hasNextPage"] is (n > 0), (n, info)
        page_ids = [e["node"]["id"] for e in page["edges"]]
        assert not set(page_ids) & set(ids), f"page {n} before {before} repeats records already seen"
        ids += reversed(page_ids)
        if not info["hasPreviousPage"]:
            assert len(page_ids) <= size
            break
        assert len(page_ids) == size, "a page after the first one is full"
        before = info["startCursor"]
    assert totals == {len(ids)}
    return ids


def expected_order(
    rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any], descending: bool, type_name: str
) -> list[str]:
    """Global ids sorted by the key, ties broken by id (in the same direction)."""
    ordered = sorted(rows, key=lambda r: (key(r), r["id"]), reverse=descending)
    return [gid(type_name, r["id"]) for r in ordered]


# --- a small set of organizations with ties on every ordering ---------------------

ORG_ROWS = [
    # name, size, created day, updated day
    ("alpha", 10, 0, 5),
    ("Bravo", None, 1, 3),
    ("charlie", 50, 1, 3),
    ("Delta", 10, 2, 1),
    ("echo", 200, 3, 0),
    ("Echo", None, 3, 5),
    ("foxtrot", 50, 4, 2),
]


async def add_orgs(tenant: Any) -> list[dict[str, Any]]:
    rows = [{"name": n, "size": s, "created_at": at(c), "updated_at": at(u)} for n, s, c, u in ORG_ROWS]
    ids = await Builder(tenant).add_many("Organization", rows)
    return [{**r, "id": i} for r, i in zip(rows, ids)]


@pytest.fixture
async def orgs(tenant: Any) -> list[dict[str, Any]]:
    return await add_orgs(tenant)


def by_name(orgs: list[dict[str, Any]]) -> list[str]:
    return expected_order(orgs, lambda r: r["name"].lower(), False, "Organization")


@pytest.mark.parametrize("size", [1, 2, 3, 6, 7, 100])
async def test_root_walk_forward_returns_every_record_once_in_order(gql, orgs, size):
    ids = await walk_forward(gql, ORGS, size)
    assert ids == by_name(orgs)


@pytest.mark.parametrize("size", [1, 2, 3, 6, 7, 100])
async def test_root_walk_backward_returns_the_same_sequence_reversed(gql, orgs, size):
    ids = await walk_backward(gql, ORGS, size)
    assert ids == list(reversed(by_name(orgs)))


async def test_page_info_at_both_ends(gql, orgs):
    expected = by_name(orgs)
    first = _conn(await gql(ORGS, {"first": 3}))
    assert [e["node"]["id"] for e in first["edges"]] == expected[:3]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["pageInfo"]["hasPreviousPage"] is False

    last = _conn(await gql(ORGS, {"first": 3, "after": first["edges"][-1]["cursor"]}))
    last = _conn(await gql(ORGS, {"first": 3, "after": last["pageInfo"]["endCursor"]}))
    assert [e["node"]["id"] for e in last["edges"]] == expected[6:]
    assert last["pageInfo"]["hasNextPage"] is False
    assert last["pageInfo"]["hasPreviousPage"] is True

    tail = _conn(await gql(ORGS, {"last": 3}))
    assert [e["node"]["id"] for e in tail["edges"]] == expected[4:]
    assert tail["pageInfo"]["hasNextPage"] is False
    assert tail["pageInfo"]["hasPreviousPage"] is True

    everything = _conn(await gql(ORGS, {"last": 7}))
    assert [e["node"]["id"] for e in everything["edges"]] == expected
    assert everything["pageInfo"]["hasPreviousPage"] is False
    assert everything["pageInfo"]["hasNextPage"] is False


async def test_cursors_work_in_both_directions(gql, orgs):
    """Any edge's cursor can be used with after and with before."""
    expected = by_name(orgs)
    page = _conn(await gql(ORGS, {"first": 7}))
    cursors = {e["node"]["id"]: e["cursor"] for e in page["edges"]}
    middle = cursors[expected[3]]
    after = _conn(await gql(ORGS, {"first": 2, "after": middle}))
    assert [e["node"]["id"] for e in after["edges"]] == expected[4:6]
    before = _conn(await gql(ORGS, {"last": 2, "before": middle}))
    assert [e["node"]["id"] for e in before["edges"]] == expected[1:3]
    assert before["pageInfo"]["hasNextPage"] is True
    assert before["pageInfo"]["hasPreviousPage"] is True
    both = _conn(await gql(ORGS, {"first": 10, "after": cursors[expected[0]], "before": cursors[expected[4]]}))
    assert [e["node"]["id"] for e in both["edges"]] == expected[1:4]


async def test_empty_connection(gql):
    page = _conn(await gql(ORGS, {"first": 10}))
    assert page == {
        "totalCount": 0,
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None},
        "edges": [],
    }
    page = _conn(await gql(ORGS, {"last": 10}))
    assert page["edges"] == [] and page["pageInfo"]["hasPreviousPage"] is False


@pytest.mark.parametrize("size", [1, 2, 5, 100])
async def test_total_count_is_the_number_of_matches_whatever_the_page_size(gql, orgs, size):
    page = _conn(await gql(ORGS, {"first": size}))
    assert page["totalCount"] == 7
    assert len(page["edges"]) == min(size, 7)
    filtered = _conn(await gql(ORGS, {"first": size, "filter": {"search": "ECHO"}}))
    assert filtered["totalCount"] == 2
    assert len(filtered["edges"]) == min(size, 2)
    filtered = _conn(await gql(ORGS, {"last": size, "filter": {"search": "A"}}))
    assert filtered["totalCount"] == 4  # alpha, Bravo, charlie, Delta


# --- bad arguments ---------------------------------------------------------------


def raw_cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def assert_bad_input(body: dict[str, Any]) -> None:
    assert body.get("errors"), body
    codes = [(e.get("extensions") or {}).get("code") for e in body["errors"]]
    assert codes == ["BAD_USER_INPUT"], body["errors"]


BAD_PAGING = {
    "first over 100": {"first": 101},
    "last over 100": {"last": 101},
    "negative first": {"first": -1},
    "negative last": {"last": -1},
    "neither first nor last": {},
    "first and last": {"first": 2, "last": 2},
    "garbage after": {"first": 2, "after": "garbage"},
    "garbage before": {"last": 2, "before": "garbage!!"},
    "cursor not a list": {"first": 2, "after": raw_cursor({"a": 1})},
    "cursor too short": {"first": 2, "after": raw_cursor(["alpha"])},
    "cursor too long": {"first": 2, "after": raw_cursor(["alpha", "beta", "gamma", str(uuid.uuid4())])},
    "cursor id not a uuid": {"first": 2, "after": raw_cursor(["alpha", "not-a-uuid"])},
    "cursor id a number": {"first": 2, "after": raw_cursor(["alpha", 3])},
    # Name orderings sort by lower(name): a forged name of another JSON type.
    "name cursor a number": {"first": 2, "after": raw_cursor([5, str(uuid.uuid4())]), "order": {"field": "NAME"}},
    "name cursor a huge number": {
        "first": 2,
        "after": raw_cursor([10**40, str(uuid.uuid4())]),
        "order": {"field": "NAME"},
    },
    "name cursor an object, backwards": {
        "last": 2,
        "before": raw_cursor([{"a": 1}, str(uuid.uuid4())]),
        "order": {"field": "NAME", "direction": "DESC"},
    },
    "name cursor a list": {"first": 2, "after": raw_cursor([["a"], str(uuid.uuid4())]), "order": {"field": "NAME"}},
    "name cursor a boolean": {"first": 2, "after": raw_cursor([True, str(uuid.uuid4())]), "order": {"field": "NAME"}},
    "created_at cursor not a date": {
        "first": 2,
        "after": raw_cursor(["alpha", str(uuid.uuid4())]),
        "order": {"field": "CREATED_AT"},
    },
    # A valid instant that is before year 1 in UTC: PostgreSQL cannot be sent it.
    "created_at cursor before year 1": {
        "first": 2,
        "after": raw_cursor(["0001-01-01T00:00:00+14:00", str(uuid.uuid4())]),
        "order": {"field": "CREATED_AT"},
    },
    "created_at filter before year 1": {"first": 2, "filter": {"createdAt": {"from": "0001-01-01T00:00:00+14:00"}}},
    "updated_at filter before year 1": {"first": 2, "filter": {"updatedAt": {"to": "0001-01-01T10:00:00+11:00"}}},
}

# Organizations have an integer ordering (size): a cursor value of the wrong JSON type.
BAD_SIZE_CURSORS = {
    "name cursor on size ordering": {
        "first": 2,
        "after": raw_cursor(["alpha", str(uuid.uuid4())]),
        "order": {"field": "SIZE"},
    },
    "string cursor on size ordering, backwards": {
        "last": 2,
        "before": raw_cursor(["10", str(uuid.uuid4())]),
        "order": {"field": "SIZE", "direction": "DESC"},
    },
}
ROOT_BAD = BAD_PAGING | BAD_SIZE_CURSORS


@pytest.mark.parametrize("variables", list(ROOT_BAD.values()), ids=list(ROOT_BAD))
async def test_bad_paging_arguments_on_a_root_connection(gql, orgs, variables):
    body = (await gql.post(ORGS, variables)).json()
    assert_bad_input(body)


@pytest.mark.parametrize("variables", list(BAD_PAGING.values()), ids=list(BAD_PAGING))
async def test_bad_paging_arguments_on_a_nested_connection(gql, tenant, variables):
    parent = await Builder(tenant).org("Parent")
    await Builder(tenant).contact("Ann", "Lee", organization_id=parent)
    body = (await gql.post(NESTED_CONTACTS, {"id": gid("Organization", parent), **variables})).json()
    assert_bad_input(body)


OPPORTUNITY_AMOUNTS = """query($amount: DecimalRange!) { opportunities(first: 2, filter: {amount: $amount}) {
  totalCount } }"""
BAD_AMOUNTS = {
    "beyond numeric": {"from": "1e200000"},
    "too many decimals": {"to": "1e-20000"},
    "not a number": {"from": "NaN"},
    "infinite": {"to": "Infinity"},
}


@pytest.mark.parametrize("amount", list(BAD_AMOUNTS.values()), ids=list(BAD_AMOUNTS))
async def test_amount_bounds_postgresql_cannot_take_are_bad_input(gql, amount):
    body = (await gql.post(OPPORTUNITY_AMOUNTS, {"amount": amount})).json()
    assert_bad_input(body)
    assert body["errors"][0]["extensions"]["argument"] == "filter", body["errors"]
    assert "amount" in body["errors"][0]["message"], body["errors"]


async def test_amount_bounds_beyond_the_columns_precision_compare(gql, tenant):
    # amount is numeric(14, 2): a bound of 10**15 or with three decimals is still a number.
    org = await Builder(tenant).org("Acme")
    await Builder(tenant).opportunity("Big", organization_id=org, amount=Decimal("9999.99"))
    for amount, count in (
        ({"from": "1e15"}, 0),
        ({"to": "1e15"}, 1),
        ({"from": "9999.985"}, 1),
        ({"from": "9999.995"}, 0),
    ):
        body = await gql(OPPORTUNITY_AMOUNTS, {"amount": amount})
        assert body["opportunities"]["totalCount"] == count, amount


async def test_a_cursor_taken_from_one_ordering_is_rejected_by_another(gql, orgs):
    """A client that changes the sort but keeps its cursor gets a clear error, not a 500."""
    page = _conn(await gql(ORGS, {"first": 2}))
    body = (
        await gql.post(ORGS, {"first": 2, "after": page["pageInfo"]["endCursor"], "order": {"field": "SIZE"}})
    ).json()
    assert_bad_input(body)


# --- records changing between pages ----------------------------------------------

ARCHIVE = """mutation($id: ID!) { organizationArchive(input: {id: $id}) { organization { archivedAt } errors { message } } }"""


@pytest.mark.parametrize("victim", [2, 3, 5], ids=["end-cursor record", "next record", "later record"])
async def test_archiving_between_pages_neither_duplicates_nor_skips(gql, orgs, victim):
    expected = by_name(orgs)
    first = _conn(await gql(ORGS, {"first": 3}))
    seen = [e["node"]["id"] for e in first["edges"]]
    assert seen == expected[:3]
    result = await gql(ARCHIVE, {"id": expected[victim]})
    assert result["organizationArchive"]["errors"] == []
    after = first["pageInfo"]["endCursor"]
    while True:
        page = _conn(await gql(ORGS, {"first": 3, "after": after}))
        assert page["totalCount"] == 6
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    still_listed = [i for i in expected if i != expected[victim] or victim < 3]
    assert seen == still_listed
    assert len(set(seen)) == len(seen)


async def test_archiving_between_backward_pages(gql, orgs):
    expected = by_name(orgs)
    last = _conn(await gql(ORGS, {"last": 3}))
    assert [e["node"]["id"] for e in last["edges"]] == expected[4:]
    await gql(ARCHIVE, {"id": expected[4]})  # the record whose cursor we hold
    await gql(ARCHIVE, {"id": expected[2]})  # one not yet seen
    page = _conn(await gql(ORGS, {"last": 3, "before": last["pageInfo"]["startCursor"]}))
    assert [e["node"]["id"] for e in page["edges"]] == [expected[0], expected[1], expected[3]]
    assert page["pageInfo"]["hasPreviousPage"] is False


async def test_include_archived(gql, tenant, orgs):
    expected = by_name(orgs)
    await gql(ARCHIVE, {"id": expected[1]})
    await gql(ARCHIVE, {"id": expected[6]})
    live = [i for i in expected if i not in (expected[1], expected[6])]
    assert await walk_forward(gql, ORGS, 2) == live
    assert await walk_forward(gql, ORGS, 2, arch=True) == expected
    assert await walk_backward(gql, ORGS, 3, arch=True) == list(reversed(expected))
    page = _conn(await gql(ORGS, {"first": 1, "arch": False}))
    assert page["totalCount"] == 5
    page = _conn(await gql(ORGS, {"first": 1, "arch": True}))
    assert page["totalCount"] == 7


# --- nested connection -----------------------------------------------------------

CONTACT_ROWS = [
    # first, last, created day
    ("ann", "Smith", 3),
    ("Bob", "smith", 1),
    ("cid", "Adams", 1),
    ("Ann", "smith", 0),
    ("dan", "Brown", 2),
    ("eve", "Young", 5),
]


@pytest.fixture
async def company(tenant: Any) -> dict[str, Any]:
    """An organization with six contacts, and another one whose contacts must never show up."""
    b = Builder(tenant)
    parent = await b.org("Parent")
    other = await b.org("Other")
    rows = [
        {"first_name": f, "last_name": last, "created_at": at(c), "updated_at": at(c), "organization_id": parent}
        for f, last, c in CONTACT_ROWS
    ]
    ids = await b.add_many("Contact", rows)
    await b.add_many(
        "Contact", [{"first_name": f"x{i}", "last_name": "Adams", "organization_id": other} for i in range(3)]
    )
    await b.add_many("Contact", [{"first_name": "nobody", "last_name": "Adams"}])
    return {"id": gid("Organization", parent), "contacts": [{**r, "id": i} for r, i in zip(rows, ids)]}


def contacts_by_name(contacts: list[dict[str, Any]], descending: bool = False) -> list[str]:
    return expected_order(contacts, lambda r: (r["last_name"].lower(), r["first_name"].lower()), descending, "Contact")


@pytest.mark.parametrize("size", [1, 2, 4, 6, 50])
async def test_nested_walk_forward_and_backward(gql, company, size):
    expected = contacts_by_name(company["contacts"])
    assert await walk_forward(gql, NESTED_CONTACTS, size, id=company["id"]) == expected
    assert await walk_backward(gql, NESTED_CONTACTS, size, id=company["id"]) == list(reversed(expected))


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("NAME", lambda r: (r["last_name"].lower(), r["first_name"].lower())),
        ("CREATED_AT", lambda r: r["created_at"]),
        ("UPDATED_AT", lambda r: r["updated_at"]),
    ],
)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_nested_order_by(gql, company, field, key, direction):
    expected = expected_order(company["contacts"], key, direction == "DESC", "Contact")
    order = {"field": field, "direction": direction}
    assert await walk_forward(gql, NESTED_CONTACTS, 2, id=company["id"], order=order) == expected
    assert await walk_backward(gql, NESTED_CONTACTS, 4, id=company["id"], order=order) == list(reversed(expected))


async def test_nested_total_count_follows_the_filter(gql, company):
    for size in (1, 3, 10):
        page = _conn(await gql(NESTED_CONTACTS, {"id": company["id"], "first": size}))
        assert page["totalCount"] == 6
        page = _conn(await gql(NESTED_CONTACTS, {"id": company["id"], "first": size, "filter": {"search": "smith"}}))
        assert page["totalCount"] == 3
        assert len(page["edges"]) == min(size, 3)


async def test_nested_archiving_between_pages_and_include_archived(gql, tenant, company):
    expected = contacts_by_name(company["contacts"])
    ids = {gid("Contact", c["id"]): c["id"] for c in company["contacts"]}
    first = _conn(await gql(NESTED_CONTACTS, {"id": company["id"], "first": 2}))
    assert [e["node"]["id"] for e in first["edges"]] == expected[:2]
    b = Builder(tenant)
    await b.archive("Contact", ids[expected[1]])  # holds the cursor
    await b.archive("Contact", ids[expected[3]])  # not yet seen
    seen = [e["node"]["id"] for e in first["edges"]]
    after = first["pageInfo"]["endCursor"]
    while True:
        page = _conn(await gql(NESTED_CONTACTS, {"id": company["id"], "first": 2, "after": after}))
        assert page["totalCount"] == 4
        seen += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == [i for i in expected if i != expected[3]]
    assert await walk_forward(gql, NESTED_CONTACTS, 2, id=company["id"], arch=True) == expected


async def test_nested_pages_of_several_parents_in_one_query(gql, tenant):
    """Each parent gets its own page (and count) when many parents are listed at once."""
    b = Builder(tenant)
    parents = {}
    for n, count in (("a", 0), ("b", 1), ("c", 3), ("d", 5)):
        pid = await b.org(n)
        cids = await b.add_many(
            "Contact", [{"first_name": f"{n}{i}", "last_name": n, "organization_id": pid} for i in range(count)]
        )
        parents[n] = [gid("Contact", c) for c in cids]  # first names n0, n1, ... sort in insertion order
    data = await gql("""{ organizations(first: 10) { edges { node { name
        contacts(first: 2) { totalCount pageInfo { hasNextPage } edges { node { id firstName } } } } } } }""")
    got = {e["node"]["name"]: e["node"]["contacts"] for e in data["organizations"]["edges"]}
    for n, ids in parents.items():
        assert [c["node"]["id"] for c in got[n]["edges"]] == ids[:2]
        assert got[n]["totalCount"] == len(ids)
        assert got[n]["pageInfo"]["hasNextPage"] is (len(ids) > 2)


# --- every declared ordering, both directions -----------------------------------


async def _org_rows(tenant: Any) -> list[dict[str, Any]]:
    return await add_orgs(tenant)


async def _contact_rows(tenant: Any) -> list[dict[str, Any]]:
    rows = [
        {"first_name": f, "last_name": last, "created_at": at(c), "updated_at": at(5 - c)}
        for f, last, c in CONTACT_ROWS
    ]
    ids = await Builder(tenant).add_many("Contact", rows)
    return [{**r, "id": i} for r, i in zip(rows, ids)]


async def _opportunity_rows(tenant: Any) -> list[dict[str, Any]]:
    from decimal import Decimal

    b = Builder(tenant)
    pid, stages = await b.pipeline()
    spec = [
        ("zeta", Decimal("100.00"), day(10), 0, 2),
        ("Alpha", None, None, 1, 2),
        ("beta", Decimal("2500.50"), day(3), 1, 1),
        ("Beta", Decimal("100.00"), None, 2, 0),
        ("gamma", Decimal("99.99"), day(3), 3, 4),
        ("delta", None, day(1), 3, 4),
    ]
    rows = [
        {
            "name": n,
            "amount": a,
            "expected_close_date": d,
            "created_at": at(c),
            "updated_at": at(u),
            "pipeline_id": pid,
            "stage_id": stages["Qualification"],
        }
        for n, a, d, c, u in spec
    ]
    ids = await b.add_many("Opportunity", rows)
    return [{**r, "id": i} for r, i in zip(rows, ids)]


async def _interaction_rows(tenant: Any) -> list[dict[str, Any]]:
    spec = [(0, 1), (2, 1), (2, 0), (1, 3), (5, 3), (4, 2)]
    rows = [
        {"kind": "call", "subject": f"s{i}", "occurred_at": at(o, hours=1), "created_at": at(c), "updated_at": at(c)}
        for i, (o, c) in enumerate(spec)
    ]
    ids = await Builder(tenant).add_many("Interaction", rows)
    return [{**r, "id": i} for r, i in zip(rows, ids)]


async def _task_rows(tenant: Any) -> list[dict[str, Any]]:
    spec = [(3, 0), (None, 1), (1, 1), (3, 2), (None, 2), (0, 4)]
    rows = [
        {"title": f"t{i}", "due_at": None if d is None else at(d), "created_at": at(c), "updated_at": at(4 - c)}
        for i, (d, c) in enumerate(spec)
    ]
    ids = await Builder(tenant).add_many("Task", rows)
    return [{**r, "id": i} for r, i in zip(rows, ids)]


FAR = at(100000)


def _lower(column: str) -> Callable[[dict[str, Any]], Any]:
    return lambda r: r[column].lower()


def _column(column: str) -> Callable[[dict[str, Any]], Any]:
    return lambda r: r[column]


ENTITIES = {
    "Organization": ("organizations", _org_rows),
    "Contact": ("contacts", _contact_rows),
    "Opportunity": ("opportunities", _opportunity_rows),
    "Interaction": ("interactions", _interaction_rows),
    "Task": ("tasks", _task_rows),
}

# (type, order field, sort key of a row); None = the default ordering (with its direction).
ORDERINGS = [
    ("Organization", "NAME", _lower("name")),
    ("Organization", "SIZE", lambda r: -1 if r["size"] is None else r["size"]),
    ("Organization", "CREATED_AT", _column("created_at")),
    ("Organization", "UPDATED_AT", _column("updated_at")),
    ("Contact", "NAME", lambda r: (r["last_name"].lower(), r["first_name"].lower())),
    ("Contact", "CREATED_AT", _column("created_at")),
    ("Contact", "UPDATED_AT", _column("updated_at")),
    ("Opportunity", "NAME", _lower("name")),
    ("Opportunity", "AMOUNT", lambda r: -1 if r["amount"] is None else r["amount"]),
    ("Opportunity", "EXPECTED_CLOSE_DATE", lambda r: r["expected_close_date"] or date.max),
    ("Opportunity", "CREATED_AT", _column("created_at")),
    ("Opportunity", "UPDATED_AT", _column("updated_at")),
    ("Interaction", "OCCURRED_AT", _column("occurred_at")),
    ("Interaction", "CREATED_AT", _column("created_at")),
    ("Interaction", "UPDATED_AT", _column("updated_at")),
    ("Task", "DUE_AT", lambda r: r["due_at"] or FAR),
    ("Task", "CREATED_AT", _column("created_at")),
    ("Task", "UPDATED_AT", _column("updated_at")),
]


@pytest.mark.parametrize(("type_name", "field", "key"), ORDERINGS, ids=[f"{t}.{f}" for t, f, _ in ORDERINGS])
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
async def test_order_by_every_declared_field(gql, tenant, type_name, field, key, direction):
    root, build = ENTITIES[type_name]
    rows = await build(tenant)
    expected = expected_order(rows, key, direction == "DESC", type_name)
    query = root_query(root, type_name)
    order = {"field": field, "direction": direction}
    one_page = _conn(await gql(query, {"first": 100, "order": order}))
    assert [e["node"]["id"] for e in one_page["edges"]] == expected
    # Pages of one put a cursor on every record, in both directions.
    for size in (1, 2):
        assert await walk_forward(gql, query, size, order=order) == expected
    for size in (1, 4):
        assert await walk_backward(gql, query, size, order=order) == list(reversed(expected))


DEFAULTS = [
    ("Organization", _lower("name"), False),
    ("Contact", lambda r: (r["last_name"].lower(), r["first_name"].lower()), False),
    ("Opportunity", _column("created_at"), True),
    ("Interaction", _column("occurred_at"), True),
    ("Task", lambda r: r["due_at"] or FAR, False),
]


@pytest.mark.parametrize(("type_name", "key", "descending"), DEFAULTS, ids=[d[0] for d in DEFAULTS])
async def test_default_ordering(gql, tenant, type_name, key, descending):
    root, build = ENTITIES[type_name]
    rows = await build(tenant)
    expected = expected_order(rows, key, descending, type_name)
    query = root_query(root, type_name)
    assert await walk_forward(gql, query, 4) == expected
    assert await walk_backward(gql, query, 4) == list(reversed(expected))
