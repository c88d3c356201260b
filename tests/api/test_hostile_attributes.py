"""Custom attributes a client can write in a document but PostgreSQL or the JSON
encoder cannot take (integers of hundreds of digits, numbers beyond any float, NUL
characters, nesting past 32 levels, numbers beyond ±2^63: jsonb gives 1e20 back as
an integer of 21 digits) are a ValidationError naming `attributes`, on
organizations and contacts, created or updated, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from tests.api.builders import Builder, gid


def nested(levels: int) -> str:
    return "{a: " * levels + "1" + "}" * levels


HOSTILE = {
    "integer of 400 digits": "{n: 1" + "0" * 400 + "}",
    "integer of 2**64": "{n: 18446744073709551616}",
    "float beyond double": "{n: 1e400}",
    # jsonb would give 1e20 back as the integer 100000000000000000000.
    "float of 1e20": "{n: 1e20}",
    "negative float beyond double": "{list: [1, -1e400]}",
    "33 levels deep": nested(33),
    "33 levels of lists": "{a: " + "[" * 32 + "]" * 32 + "}",
    "NUL in a string": '{s: "a\\u0000b"}',
}
FINE = {"n": 9223372036854775807, "low": -9223372036854775808, "x": 1.5e18, "small": 1e-300, "deep": None}


async def stored(tenant: Any, table: str) -> list[Any]:
    async with tenant.engine.connect() as conn:
        rows = await conn.execute(sa.text(f"SELECT attributes FROM {table} WHERE tenant_id = :t"), {"t": tenant.id})
        return [row.attributes for row in rows]


def refused(body: dict[str, Any], mutation: str) -> None:
    assert "errors" not in body, body  # not an internal error: errors as data
    errors = body["data"][mutation]["errors"]
    assert [(e["__typename"], e["path"]) for e in errors] == [("ValidationError", ["input", "attributes"])], errors


ERRORS = "errors { __typename message ... on ValidationError { path code } }"


@pytest.mark.parametrize("attributes", list(HOSTILE.values()), ids=list(HOSTILE))
async def test_hostile_attributes_are_refused_on_organizations(tenant, attributes):
    gql = tenant.client()
    body = (
        await gql.post(
            f'mutation {{ organizationCreate(input: {{name: "Acme", attributes: {attributes}}}) '
            f"{{ organization {{ id }} {ERRORS} }} }}"
        )
    ).json()
    refused(body, "organizationCreate")
    org = await Builder(tenant).org("Kept")
    body = (
        await gql.post(
            f'mutation {{ organizationUpdate(input: {{id: "{gid("Organization", org)}", '
            f"attributes: {attributes}}}) {{ organization {{ id }} {ERRORS} }} }}"
        )
    ).json()
    refused(body, "organizationUpdate")
    assert await stored(tenant, "organizations") == [{}]


@pytest.mark.parametrize("attributes", list(HOSTILE.values()), ids=list(HOSTILE))
async def test_hostile_attributes_are_refused_on_contacts(tenant, attributes):
    gql = tenant.client()
    body = (
        await gql.post(
            f'mutation {{ contactCreate(input: {{firstName: "Ann", lastName: "Lee", '
            f"attributes: {attributes}}}) {{ contact {{ id }} {ERRORS} }} }}"
        )
    ).json()
    refused(body, "contactCreate")
    contact = await Builder(tenant).contact("Bo", "Ek")
    body = (
        await gql.post(
            f'mutation {{ contactUpdate(input: {{id: "{gid("Contact", contact)}", '
            f"attributes: {attributes}}}) {{ contact {{ id }} {ERRORS} }} }}"
        )
    ).json()
    refused(body, "contactUpdate")
    assert await stored(tenant, "contacts") == [{}]


async def test_large_but_representable_attributes_are_stored_and_read_back(tenant):
    gql = tenant.client()
    data = await gql(
        """mutation($a: JSON) { organizationCreate(input: {name: "Acme", attributes: $a}) {
      organization { id attributes } errors { message } } }""",
        {"a": {**FINE, "deep": nested_value(31)}},
    )
    created = data["organizationCreate"]
    assert created["errors"] == [] and created["organization"]["attributes"]["n"] == 9223372036854775807
    read = await gql("{ organizations(first: 1) { edges { node { attributes } } } }")
    assert read["organizations"]["edges"][0]["node"]["attributes"] == {**FINE, "deep": nested_value(31)}


def nested_value(levels: int) -> Any:
    value: Any = 1
    for _ in range(levels):
        value = {"a": value}
    return value
