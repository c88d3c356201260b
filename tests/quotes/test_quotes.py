"""Quotes through the public GraphQL API: lines priced from the book or by hand, totals
to the cent, edits in draft only, revisions, scopes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.quotes.helpers import (
    LINE_ADD,
    LINE_REMOVE,
    LINE_UPDATE,
    QUOTE_CREATE,
    QUOTE_UPDATE,
    READ,
    REVISE,
    SUBMIT,
    book,
    codes,
    lines,
    ok,
    opportunity,
    price,
    product,
    team,
)


async def usd_catalog(gql: Any) -> dict[str, str]:
    usd = await book(gql, "Standard USD", "USD", default=True)
    ids = {"book": usd}
    for sku, amount in (("A", "19.99"), ("B", "0.3333"), ("C", "150"), ("D", "0.125")):
        ids[sku] = await product(gql, sku, f"Product {sku}")
        await price(gql, usd, ids[sku], amount)
    return ids


def amounts(line: dict[str, Any]) -> tuple[str, ...]:
    keys = ("unitPrice", "subtotal", "discountAmount", "netAmount", "taxAmount", "total")
    return tuple(line[k] for k in keys)


async def test_a_quote_totals_its_lines_to_the_cent(gql):
    ids = await usd_catalog(gql)
    deal = await opportunity(gql)
    given = [
        {"productId": ids["A"], "quantity": "3", "discountPercent": "10", "taxRate": "8.25"},
        {"productId": ids["B"], "quantity": "7", "taxRate": "20"},
        {"productId": ids["C"], "quantity": "1", "unitPrice": "100.005", "discountPercent": "12.5"},
        {"productId": ids["D"], "quantity": "1"},
    ]
    quote = ok(await gql(QUOTE_CREATE, {"i": {"opportunityId": deal, "lines": given}}), "quoteCreate")
    assert (quote["number"], quote["revision"], quote["status"], quote["currency"]) == (1, 1, "DRAFT", "USD")
    assert quote["isPrimary"] is True and quote["priceBook"]["id"] == ids["book"]
    got = lines(quote)
    # A: 3 x 19.99 = 59.97; 10% = 5.997 -> 6.00; net 53.97; 8.25% = 4.452525 -> 4.45; 58.42
    assert amounts(got[0]) == ("19.99", "59.97", "6.00", "53.97", "4.45", "58.42")
    # B: 7 x 0.3333 = 2.3331 -> 2.33; 20% = 0.466 -> 0.47; 2.80
    assert amounts(got[1]) == ("0.3333", "2.33", "0.00", "2.33", "0.47", "2.80")
    # C (price by hand): 100.005 -> 100.01 (half-up); 12.5% = 12.50125 -> 12.50; 87.51
    assert amounts(got[2]) == ("100.005", "100.01", "12.50", "87.51", "0.00", "87.51")
    assert got[2]["priceOverridden"] is True and got[2]["listPrice"] == "150"
    # D: 0.125 -> 0.13 (half-up, not to even)
    assert amounts(got[3]) == ("0.125", "0.13", "0.00", "0.13", "0.00", "0.13")
    assert [g["position"] for g in got] == [0, 1, 2, 3] and got[0]["description"] == "Product A"
    totals = tuple(quote[k] for k in ("subtotal", "discountTotal", "netTotal", "taxTotal", "grandTotal"))
    assert totals == ("162.44", "18.50", "143.94", "4.92", "148.86")
    assert quote["maxDiscountPercent"] == "12.50"
    # Read back through both read paths (the test client compares them).
    assert (await gql(READ, {"id": quote["id"]}))["node"]["grandTotal"] == "148.86"


async def test_each_currency_rounds_to_its_minor_unit(gql):
    jpy = await book(gql, "JPY", "JPY")
    kwd = await book(gql, "KWD", "KWD")
    item = await product(gql, "X")
    await price(gql, jpy, item, "5")
    await price(gql, kwd, item, "1.2345")
    deal = await opportunity(gql)
    yen = ok(
        await gql(
            QUOTE_CREATE,
            {
                "i": {
                    "opportunityId": deal,
                    "priceBookId": jpy,
                    "lines": [{"productId": item, "quantity": "0.5", "taxRate": "10"}],
                }
            },
        ),
        "quoteCreate",
    )
    # 0.5 x 5 = 2.5 -> 3 yen; 10% = 0.3 -> 0; total 3.
    assert (yen["currency"], yen["subtotal"], yen["taxTotal"], yen["grandTotal"]) == ("JPY", "3", "0", "3")
    dinar = ok(
        await gql(
            QUOTE_CREATE,
            {
                "i": {
                    "opportunityId": deal,
                    "priceBookId": kwd,
                    "lines": [{"productId": item, "quantity": "1", "taxRate": "5"}],
                }
            },
        ),
        "quoteCreate",
    )
    assert (dinar["subtotal"], dinar["taxTotal"], dinar["grandTotal"]) == ("1.235", "0.062", "1.297")
    assert dinar["isPrimary"] is False and dinar["number"] == yen["number"] + 1


async def test_lines_are_added_changed_and_removed_and_the_totals_follow(gql):
    ids = await usd_catalog(gql)
    quote = ok(await gql(QUOTE_CREATE, {"i": {"opportunityId": await opportunity(gql)}}), "quoteCreate")
    assert (quote["grandTotal"], lines(quote)) == ("0", [])
    quote = ok(
        await gql(LINE_ADD, {"i": {"quoteId": quote["id"], "productId": ids["A"], "quantity": "2", "taxRate": "10"}}),
        "quoteLineAdd",
    )
    assert (quote["subtotal"], quote["taxTotal"], quote["grandTotal"]) == ("39.98", "4.00", "43.98")
    line = lines(quote)[0]
    quote = ok(
        await gql(
            LINE_UPDATE, {"i": {"id": line["id"], "discountPercent": "25", "unitPrice": "20", "expectedVersion": 1}}
        ),
        "quoteLineUpdate",
    )
    # 2 x 20 = 40.00; 25% = 10.00; net 30.00; 10% = 3.00; 33.00
    assert amounts(lines(quote)[0]) == ("20", "40.00", "10.00", "30.00", "3.00", "33.00")
    assert (quote["grandTotal"], quote["maxDiscountPercent"]) == ("33.00", "25.00")
    stale = await gql(LINE_UPDATE, {"i": {"id": line["id"], "quantity": "5", "expectedVersion": 1}})
    assert codes(stale, "quoteLineUpdate") == ["Conflict"]
    # Clearing the override goes back to the list price.
    quote = ok(await gql(LINE_UPDATE, {"i": {"id": line["id"], "unitPrice": None}}), "quoteLineUpdate")
    assert (lines(quote)[0]["unitPrice"], lines(quote)[0]["priceOverridden"]) == ("19.99", False)
    quote = ok(await gql(LINE_REMOVE, {"i": {"id": line["id"]}}), "quoteLineRemove")
    assert (quote["grandTotal"], quote["subtotal"], lines(quote)) == ("0", "0", [])


async def test_bad_lines_are_reported_with_their_path(gql):
    ids = await usd_catalog(gql)
    unpriced = await product(gql, "NP", "Not in the book")
    deal = await opportunity(gql)
    data = await gql(
        QUOTE_CREATE,
        {
            "i": {
                "opportunityId": deal,
                "lines": [
                    {"productId": ids["A"], "quantity": "0"},
                    {"productId": ids["A"], "quantity": "1", "discountPercent": "120", "taxRate": "-1"},
                    {"productId": ids["A"], "quantity": "1", "unitPrice": "-3"},
                ],
            }
        },
    )
    problems = {(tuple(e["path"]), e["code"]) for e in data["quoteCreate"]["errors"]}
    assert problems == {
        (("input", "lines", "0", "quantity"), "OUT_OF_RANGE"),
        (("input", "lines", "1", "discountPercent"), "OUT_OF_RANGE"),
        (("input", "lines", "1", "taxRate"), "OUT_OF_RANGE"),
        (("input", "lines", "2", "unitPrice"), "OUT_OF_RANGE"),
    }
    no_price = await gql(
        QUOTE_CREATE, {"i": {"opportunityId": deal, "lines": [{"productId": unpriced, "quantity": "1"}]}}
    )
    assert codes(no_price, "quoteCreate") == ["NO_LIST_PRICE"]
    bad_id = await gql(QUOTE_CREATE, {"i": {"opportunityId": deal, "lines": [{"productId": deal, "quantity": "1"}]}})
    assert codes(bad_id, "quoteCreate") == ["INVALID_ID"]
    past = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    assert codes(await gql(QUOTE_CREATE, {"i": {"opportunityId": deal, "validUntil": past}}), "quoteCreate") == [
        "IN_THE_PAST"
    ]


async def test_a_quote_without_a_default_price_book_is_refused(gql):
    data = await gql(QUOTE_CREATE, {"i": {"opportunityId": await opportunity(gql)}})
    assert codes(data, "quoteCreate") == ["REQUIRED"]


async def test_only_a_draft_is_edited_and_a_revision_copies_the_lines(gql):
    ids = await usd_catalog(gql)
    deal = await opportunity(gql)
    quote = ok(
        await gql(
            QUOTE_CREATE,
            {"i": {"opportunityId": deal, "name": "First", "lines": [{"productId": ids["A"], "quantity": "1"}]}},
        ),
        "quoteCreate",
    )
    ok(
        await gql(QUOTE_UPDATE, {"i": {"id": quote["id"], "notes": "Net 30", "expectedVersion": quote["version"]}}),
        "quoteUpdate",
    )
    submitted = ok(await gql(SUBMIT, {"i": {"id": quote["id"]}}), "quoteSubmit")
    assert submitted["status"] == "APPROVED"  # no discount: approved on submit
    assert codes(await gql(QUOTE_UPDATE, {"i": {"id": quote["id"], "name": "Late"}}), "quoteUpdate") == [
        "INVALID_STATUS"
    ]
    line = lines(submitted)[0]
    assert codes(await gql(LINE_UPDATE, {"i": {"id": line["id"], "quantity": "2"}}), "quoteLineUpdate") == [
        "INVALID_STATUS"
    ]
    second = ok(await gql(REVISE, {"i": {"id": quote["id"]}}), "quoteRevise")
    assert (second["number"], second["revision"], second["status"], second["name"]) == (
        quote["number"],
        2,
        "DRAFT",
        "First",
    )
    assert second["previousRevision"] == {"id": quote["id"], "revision": 1}
    assert second["isPrimary"] is True and second["notes"] == "Net 30"
    assert [amounts(x) for x in lines(second)] == [amounts(x) for x in lines(submitted)]
    assert lines(second)[0]["id"] != line["id"]
    old = (await gql(READ, {"id": quote["id"]}))["node"]
    assert (old["status"], old["isPrimary"], old["revision"]) == ("APPROVED", False, 1)
    assert codes(await gql(REVISE, {"i": {"id": quote["id"]}}), "quoteRevise") == ["NOT_LATEST"]
    # The new draft can be edited.
    ok(await gql(LINE_UPDATE, {"i": {"id": lines(second)[0]["id"], "quantity": "2"}}), "quoteLineUpdate")


async def test_reps_see_the_quotes_of_their_deals_and_managers_their_teams(tenant, gql):
    ids = await usd_catalog(gql)
    west = await team(tenant, "West")
    east = await team(tenant, "East")
    rep = await tenant.user("rep@west.example", ["sales_rep"], west)
    peer = await tenant.user("peer@east.example", ["sales_rep"], east)
    boss = await tenant.user("boss@west.example", ["sales_manager"], west)
    as_rep, as_peer, as_boss = tenant.client(rep), tenant.client(peer), tenant.client(boss)
    deal = await opportunity(as_rep, "Rep's deal")
    quote = ok(
        await as_rep(QUOTE_CREATE, {"i": {"opportunityId": deal, "lines": [{"productId": ids["A"], "quantity": "1"}]}}),
        "quoteCreate",
    )
    line_id = lines(quote)[0]["id"]
    line_read = "query($id: ID!) { node(id: $id) { ... on QuoteLine { total quote { id } } } }"
    assert (await as_peer(READ, {"id": quote["id"]}))["node"] is None
    assert (await as_peer(line_read, {"id": line_id}))["node"] is None
    assert (await as_boss(READ, {"id": quote["id"]}))["node"]["id"] == quote["id"]
    assert (await as_boss(line_read, {"id": line_id}))["node"] == {"total": "19.99", "quote": {"id": quote["id"]}}
    listed = "{ quotes(first: 10) { totalCount } }"
    assert [(await c(listed))["quotes"]["totalCount"] for c in (as_rep, as_peer, as_boss, gql)] == [1, 0, 1, 1]
    # A rep cannot quote on someone else's deal.
    other_deal = await opportunity(as_peer, "Peer's deal")
    data = await as_rep(QUOTE_CREATE, {"i": {"opportunityId": other_deal}})
    assert codes(data, "quoteCreate") == ["NOT_FOUND"]
    # Nor edit another's quote line.
    data = await as_peer(LINE_UPDATE, {"i": {"id": line_id, "quantity": "9"}})
    assert codes(data, "quoteLineUpdate") == ["NotFound"]
