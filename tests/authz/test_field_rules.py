"""Field rules: a role may read a type but not some of its fields.

From defaults.py, by hand: marketing managers may not read or write Contact.phones;
analysts Contact.emails and Contact.phones; service agents and managers (who inherit
from agents) Opportunity.amount. A denied field reads as null with one FORBIDDEN
error at exactly its path, whatever the route to the record, and the rest of the
record is intact; writing it is a `Forbidden` in the payload and changes nothing.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest

from .conftest import World, forbidden_at, gid

# role -> {(type, field)} it may not read
DENIED = {
    "marketing_manager": {("Contact", "phones")},
    "analyst": {("Contact", "emails"), ("Contact", "phones")},
    "service_manager": {("Opportunity", "amount")},
    "service_agent": {("Opportunity", "amount")},
}
CONTACT_FIELDS = "id firstName lastName emails phones title"
OPPORTUNITY_FIELDS = "id name amount currency"


def _routes(type_name: str, fields: str) -> dict[str, tuple[str, list[Any]]]:
    """Ways to reach one record: name -> (query with $id / $hub, path of the record)."""
    if type_name == "Contact":
        return {
            "list": (f"{{ contacts(first: 100) {{ edges {{ node {{ {fields} }} }} }} }}", ["contacts", "edges"]),
            "node": (f"query($id: ID!) {{ node(id: $id) {{ ... on Contact {{ {fields} }} }} }}", ["node"]),
            "nodes": (f"query($id: ID!) {{ nodes(ids: [$id]) {{ ... on Contact {{ {fields} }} }} }}", ["nodes", 0]),
            "nested": (
                f"""query($hub: ID!) {{ node(id: $hub) {{ ... on Organization {{
                           contacts(first: 100) {{ edges {{ node {{ {fields} }} }} }} }} }} }}""",
                ["node", "contacts", "edges"],
            ),
        }
    return {
        "list": (f"{{ opportunities(first: 100) {{ edges {{ node {{ {fields} }} }} }} }}", ["opportunities", "edges"]),
        "node": (f"query($id: ID!) {{ node(id: $id) {{ ... on Opportunity {{ {fields} }} }} }}", ["node"]),
        "nodes": (f"query($id: ID!) {{ nodes(ids: [$id]) {{ ... on Opportunity {{ {fields} }} }} }}", ["nodes", 0]),
        "nested": (
            f"""query($hub: ID!) {{ node(id: $hub) {{ ... on Organization {{
                       opportunities(first: 100) {{ edges {{ node {{ {fields} }} }} }} }} }} }}""",
            ["node", "opportunities", "edges"],
        ),
    }


def _records(data: Any, path: list[Any]) -> list[tuple[list[Any], dict[str, Any]]]:
    """(path, record) of each record the query reached along `path` (through edges)."""
    found = data
    for step in path:
        found = found[step]
    if path[-1] == "edges":
        return [([*path, i, "node"], edge["node"]) for i, edge in enumerate(found)]
    return [(path, found)]


CASES = [
    pytest.param(role, type_name, route, id=f"{role}-{type_name}-{route}")
    for role, type_name in [
        ("marketing_manager", "Contact"),
        ("analyst", "Contact"),
        ("service_manager", "Opportunity"),
        ("service_agent", "Opportunity"),
        ("admin", "Contact"),
        ("admin", "Opportunity"),
        ("sales_manager", "Contact"),
        ("sales_rep", "Opportunity"),
    ]
    for route in ("list", "node", "nodes", "nested")
]


@pytest.mark.parametrize(("role", "type_name", "route"), CASES)
async def test_a_denied_field_is_null_with_forbidden_at_its_path(
    world: World, role: str, type_name: str, route: str
) -> None:
    fields = CONTACT_FIELDS if type_name == "Contact" else OPPORTUNITY_FIELDS
    query, path = _routes(type_name, fields)[route]
    record_type = type_name.lower()
    owner = {"sales_rep": "rep1"}.get(role, "admin")  # a record the role may read
    id_ = world.mine[record_type][owner]
    body = await world.as_role(role).post(query, {"id": gid(record_type, id_), "hub": gid("organization", world.a.hub)})
    records = _records(body["data"], path)
    assert records, "the route reached no record"
    denied = sorted(f for t, f in DENIED.get(role, set()) if t == type_name)
    expected_errors = sorted(((*at, f), "FORBIDDEN") for at, _ in records for f in denied)
    got = sorted((tuple(e["path"]), (e.get("extensions") or {}).get("code")) for e in body.get("errors") or [])
    assert got == expected_errors, f"{role} reading {type_name} via {route}"
    row = await world.row(record_type, id_)
    for _, record in records:
        if record["id"] != gid(record_type, id_):
            continue
        for f in denied:
            assert record[f] is None
        if type_name == "Contact":
            assert (record["firstName"], record["lastName"]) == (row.first_name, row.last_name)
            if "emails" not in denied:
                assert record["emails"] == row.emails
            if "phones" not in denied:
                assert record["phones"] == row.phones
        else:
            assert (record["name"], record["currency"]) == (row.name, row.currency)
            if "amount" not in denied:
                assert Decimal(str(record["amount"])) == row.amount


UPDATE = """mutation($input: ContactUpdateInput!) { contactUpdate(input: $input) {
  contact { id title phones emails } errors { __typename message path } } }"""
CREATE = """mutation($input: ContactCreateInput!) { contactCreate(input: $input) {
  contact { id } errors { __typename message path } } }"""


@pytest.mark.parametrize("phones", [["+1 555 0199"], [], None], ids=["new numbers", "empty", "null"])
async def test_marketing_cannot_write_phones(world: World, phones: Any) -> None:
    id_ = await world.insert("contact", "marketing")
    before = await world.row("contact", id_)
    body = await world.client("marketing").post(UPDATE, {"input": {"id": gid("contact", id_), "phones": phones}})
    assert not body.get("errors"), body
    payload = body["data"]["contactUpdate"]
    assert payload["contact"] is None
    assert [(e["__typename"], e["path"]) for e in payload["errors"]] == [("Forbidden", ["input", "phones"])]
    assert await world.row("contact", id_) == before, "the contact changed"


async def test_marketing_cannot_write_phones_along_with_allowed_fields(world: World) -> None:
    id_ = await world.insert("contact", "marketing")
    before = await world.row("contact", id_)
    body = await world.client("marketing").post(
        UPDATE, {"input": {"id": gid("contact", id_), "title": "CMO", "phones": ["+1 555 0199"]}}
    )
    errors = body["data"]["contactUpdate"]["errors"]
    assert [(e["__typename"], e["path"]) for e in errors] == [("Forbidden", ["input", "phones"])]
    assert await world.row("contact", id_) == before, "the allowed half of the change went through"


async def test_marketing_may_update_the_other_fields(world: World) -> None:
    id_ = await world.insert("contact", "marketing")
    body = await world.client("marketing").post(UPDATE, {"input": {"id": gid("contact", id_), "title": "CMO"}})
    payload = body["data"]["contactUpdate"]
    assert payload["errors"] == []
    # The payload's record obeys the read rule too.
    assert forbidden_at(body, ["contactUpdate", "contact", "phones"])
    assert payload["contact"]["title"] == "CMO" and payload["contact"]["phones"] is None
    assert (await world.row("contact", id_)).title == "CMO"


async def test_marketing_cannot_create_a_contact_with_phones(world: World) -> None:
    before = await world.count("contact")
    body = await world.client("marketing").post(
        CREATE, {"input": {"firstName": "Pho", "lastName": "Ne", "phones": ["+1 555 0199"]}}
    )
    errors = body["data"]["contactCreate"]["errors"]
    assert [(e["__typename"], e["path"]) for e in errors] == [("Forbidden", ["input", "phones"])]
    assert await world.count("contact") == before


async def test_marketing_may_create_a_contact_without_giving_phones(world: World) -> None:
    # The default role grants marketing `contact create`; only phones are denied, and
    # this input does not name them.
    body = await world.client("marketing").post(CREATE, {"input": {"firstName": "No", "lastName": "Phones"}})
    assert body["data"]["contactCreate"]["errors"] == []


async def test_a_role_without_the_field_rule_may_write_the_field(world: World) -> None:
    # Service managers may update contacts; no rule of theirs names phones or emails.
    id_ = await world.insert("contact", "rep1")
    body = await world.client("service").post(
        UPDATE, {"input": {"id": gid("contact", id_), "phones": ["+1 555 0111"], "emails": ["new@mail.example"]}}
    )
    assert body["data"]["contactUpdate"]["errors"] == [], body
    row = await world.row("contact", id_)
    assert (row.phones, row.emails) == (["+1 555 0111"], ["new@mail.example"])


# --- denied fields must not leak through filters or orderings ------------------


async def test_an_analyst_cannot_find_a_contact_by_its_hidden_email(world: World) -> None:
    id_ = await world.insert(
        "contact", "admin", first_name="Quiet", last_name="Person", emails=["secret.lead@hidden.example"]
    )
    query = """query($q: String!) { contacts(first: 10, filter: {search: $q}) { totalCount edges { node { id } } } }"""
    found = await world.client("admin")(query, {"q": "secret.lead@hidden.example"})
    assert [e["node"]["id"] for e in found["contacts"]["edges"]] == [gid("contact", id_)], "the probe is sound"
    body = await world.client("analyst").post(query, {"q": "secret.lead@hidden.example"})
    refused = forbidden_at(body, ["contacts"])
    assert refused or body["data"]["contacts"]["totalCount"] == 0, (
        "an analyst may not read emails, so a search must not match on them"
    )


async def _deals(world: World, amounts: list[str]) -> tuple[str, list[str]]:
    """Opportunities named with one fresh tag, ids ascending, amounts as given."""
    tag = uuid.uuid4().hex[:8]
    ids = []
    for i, amount in enumerate(amounts):
        id_ = uuid.UUID(f"{tag}-0000-4000-8000-{i:012d}")
        await world.insert("opportunity", "admin", id=id_, name=f"{tag} deal {i}", amount=Decimal(amount))
        ids.append(gid("opportunity", id_))
    return tag, ids


async def test_service_cannot_filter_opportunities_by_the_hidden_amount(world: World) -> None:
    tag, ids = await _deals(world, ["100.00", "900000.00"])
    query = """query($q: String!, $from: Decimal) { opportunities(first: 10,
      filter: {search: $q, amount: {from: $from}}) { totalCount edges { node { id } } } }"""
    admin = await world.client("admin")(query, {"q": tag, "from": "1000"})
    assert [e["node"]["id"] for e in admin["opportunities"]["edges"]] == [ids[1]], "the probe is sound"
    body = await world.client("service").post(query, {"q": tag, "from": "1000"})
    refused = forbidden_at(body, ["opportunities"])
    assert refused or body["data"]["opportunities"]["totalCount"] == 2, (
        "a service manager may not read amounts, so a filter on them must not tell big deals from small"
    )


async def test_service_cannot_sort_opportunities_by_the_hidden_amount(world: World) -> None:
    tag, ids = await _deals(world, ["300.00", "100.00", "200.00"])  # by amount: 1, 2, 0
    query = """query($q: String!) { opportunities(first: 10, filter: {search: $q},
      orderBy: {field: AMOUNT, direction: ASC}) { edges { node { id } } } }"""
    admin = await world.client("admin")(query, {"q": tag})
    assert [e["node"]["id"] for e in admin["opportunities"]["edges"]] == [ids[1], ids[2], ids[0]], "the probe is sound"
    # Refused outright, in either direction: any answer ranks the deals (descending
    # is the ascending order reversed, and an order "not by amount" can be by amount
    # for some inputs), so none may be given.
    for direction in ("ASC", "DESC"):
        body = await world.client("service").post(query.replace("ASC", direction), {"q": tag})
        assert forbidden_at(body, ["opportunities"]) and body["data"] is None, (
            f"a service manager may not read amounts, so sorting by them ({direction}) must be refused: {body}"
        )
