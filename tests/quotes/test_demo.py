"""`seed --demo` gives the quote screens something to show: a catalog, quotes in every
status whose totals add up, approval requests, all under the usual scopes."""

from __future__ import annotations

from decimal import Decimal

QUOTES = """{ quotes(first: 100) { totalCount edges { node { status grandTotal netTotal taxTotal
  opportunity { owner { email } } lines(first: 10) { edges { node { total netAmount } } } } } } }"""
CATALOG = "{ products(first: 20) { totalCount } priceBooks(first: 5) { edges { node { name isDefault } } } }"


async def test_the_demo_has_a_catalog_and_quotes_that_add_up(demo):
    admin = demo.client("admin@demo.example")
    catalog = await admin(CATALOG)
    assert catalog["products"]["totalCount"] == 8
    assert [b["node"]["isDefault"] for b in catalog["priceBooks"]["edges"]].count(True) == 1
    data = (await admin(QUOTES))["quotes"]
    assert data["totalCount"] > 0
    quotes = [e["node"] for e in data["edges"]]
    assert len({q["status"] for q in quotes}) >= 4
    for q in quotes:
        lines = [e["node"] for e in q["lines"]["edges"]]
        assert sum(Decimal(x["total"]) for x in lines) == Decimal(q["grandTotal"])
        assert Decimal(q["netTotal"]) + Decimal(q["taxTotal"]) == Decimal(q["grandTotal"])
    rep = (await demo.client("rep1@demo.example")(QUOTES))["quotes"]
    assert 0 < rep["totalCount"] < data["totalCount"]
    assert {e["node"]["opportunity"]["owner"]["email"] for e in rep["edges"]} == {"rep1@demo.example"}
