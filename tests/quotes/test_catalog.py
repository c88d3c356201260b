"""Products, price books and list prices through the public GraphQL API."""

from __future__ import annotations

from tests.quotes.helpers import (
    BOOK_ARCHIVE,
    BOOK_CREATE,
    BOOK_UPDATE,
    ENTRY_SET,
    PRODUCT_CREATE,
    PRODUCT_UPDATE,
    book,
    codes,
    ok,
    product,
)

BOOKS = "{ priceBooks(first: 10) { edges { node { name currency isDefault } } } }"
PRODUCTS = """query($s: String) { products(first: 10, filter: {search: $s}) { totalCount
  edges { node { sku name prices(first: 5) { edges { node { listPrice priceBook { name } } } } } } } }"""


async def test_a_product_is_created_and_its_sku_is_unique_in_the_tenant_whatever_its_case(gql, other):
    created = ok(
        await gql(PRODUCT_CREATE, {"i": {"sku": " CRM-PRO ", "name": "CRM Pro", "family": "Licences", "unit": "seat"}}),
        "productCreate",
    )
    assert (created["sku"], created["name"], created["family"], created["unit"], created["active"]) == (
        "CRM-PRO",
        "CRM Pro",
        "Licences",
        "seat",
        True,
    )
    assert codes(await gql(PRODUCT_CREATE, {"i": {"sku": "crm-pro", "name": "Again"}}), "productCreate") == [
        "DUPLICATE"
    ]
    # Another tenant has its own catalog.
    ok(await other.client()(PRODUCT_CREATE, {"i": {"sku": "CRM-PRO", "name": "Theirs"}}), "productCreate")


async def test_bad_product_input_is_reported_field_by_field(gql):
    data = await gql(PRODUCT_CREATE, {"i": {"sku": " ", "name": "", "unit": "x" * 40}})
    assert sorted(codes(data, "productCreate")) == ["BLANK", "BLANK", "TOO_LONG"]


async def test_a_product_update_with_a_stale_version_conflicts_and_a_taken_sku_is_refused(gql):
    first = await product(gql, "A-1")
    await product(gql, "B-1")
    changed = ok(
        await gql(PRODUCT_UPDATE, {"i": {"id": first, "name": "Renamed", "active": False, "expectedVersion": 1}}),
        "productUpdate",
    )
    assert (changed["name"], changed["active"], changed["version"]) == ("Renamed", False, 2)
    stale = await gql(PRODUCT_UPDATE, {"i": {"id": first, "name": "Late", "expectedVersion": 1}})
    assert codes(stale, "productUpdate") == ["Conflict"]
    assert codes(await gql(PRODUCT_UPDATE, {"i": {"id": first, "sku": "b-1"}}), "productUpdate") == ["DUPLICATE"]


async def test_a_sales_rep_reads_the_catalog_but_cannot_change_it(tenant, gql):
    await product(gql, "R-1", "Readable")
    rep = tenant.client(await tenant.user("rep@catalog.example", ["sales_rep"]))
    assert (await rep(PRODUCTS, {"s": "readable"}))["products"]["totalCount"] == 1
    response = await rep.post(PRODUCT_CREATE, {"i": {"sku": "R-2", "name": "Nope"}})
    assert response.json()["errors"][0]["message"] == "Not allowed to create product."


async def test_the_first_price_book_is_the_default_and_one_default_is_kept(gql):
    eur = await book(gql, "Standard EUR", "EUR")
    usd = await book(gql, "Standard USD", "usd", default=True)
    listed = {e["node"]["name"]: e["node"] for e in (await gql(BOOKS))["priceBooks"]["edges"]}
    assert listed["Standard EUR"]["isDefault"] is False and listed["Standard USD"]["isDefault"] is True
    assert listed["Standard USD"]["currency"] == "USD"
    # Making the EUR book the default un-defaults the USD one.
    ok(await gql(BOOK_UPDATE, {"i": {"id": eur, "isDefault": True}}), "priceBookUpdate")
    listed = {e["node"]["name"]: e["node"] for e in (await gql(BOOKS))["priceBooks"]["edges"]}
    assert [n for n, b in listed.items() if b["isDefault"]] == ["Standard EUR"]
    # The default cannot be un-defaulted nor archived; another book can.
    assert codes(await gql(BOOK_UPDATE, {"i": {"id": eur, "isDefault": False}}), "priceBookUpdate") == [
        "DEFAULT_REQUIRED"
    ]
    assert codes(await gql(BOOK_ARCHIVE, {"i": {"id": eur}}), "priceBookArchive") == ["DEFAULT_REQUIRED"]
    ok(await gql(BOOK_ARCHIVE, {"i": {"id": usd}}), "priceBookArchive")


async def test_a_price_book_needs_an_iso_4217_currency_and_a_new_name(gql):
    await book(gql, "Main", "EUR")
    data = await gql(BOOK_CREATE, {"i": {"name": "Main", "currency": "EUX"}})
    assert sorted(codes(data, "priceBookCreate")) == ["DUPLICATE", "INVALID_CURRENCY"]


async def test_a_list_price_is_set_changed_and_validated(gql):
    eur = await book(gql, "EUR", "EUR")
    item = await product(gql, "P-1", "Widget")
    created = ok(
        await gql(ENTRY_SET, {"i": {"priceBookId": eur, "productId": item, "listPrice": "19.99"}}), "priceBookEntrySet"
    )
    assert (created["listPrice"], created["version"], created["product"]["sku"]) == ("19.99", 1, "P-1")
    changed = ok(
        await gql(ENTRY_SET, {"i": {"priceBookId": eur, "productId": item, "listPrice": "21.5", "expectedVersion": 1}}),
        "priceBookEntrySet",
    )
    assert (changed["id"], changed["listPrice"], changed["version"]) == (created["id"], "21.5", 2)
    stale = await gql(ENTRY_SET, {"i": {"priceBookId": eur, "productId": item, "listPrice": "1", "expectedVersion": 1}})
    assert codes(stale, "priceBookEntrySet") == ["Conflict"]
    for bad, code in (("-1", "OUT_OF_RANGE"), ("0.00001", "TOO_PRECISE")):
        data = await gql(ENTRY_SET, {"i": {"priceBookId": eur, "productId": item, "listPrice": bad}})
        assert codes(data, "priceBookEntrySet") == [code]
    # The currency of a book with prices is fixed.
    assert codes(await gql(BOOK_UPDATE, {"i": {"id": eur, "currency": "USD"}}), "priceBookUpdate") == ["HAS_PRICES"]
    found = (await gql(PRODUCTS, {"s": "widget"}))["products"]["edges"][0]["node"]
    assert found["prices"]["edges"] == [{"node": {"listPrice": "21.5", "priceBook": {"name": "EUR"}}}]


async def test_products_filter_by_family_and_activity(gql):
    await gql(PRODUCT_CREATE, {"i": {"sku": "L-1", "name": "Seat", "family": "Licences"}})
    await gql(PRODUCT_CREATE, {"i": {"sku": "S-1", "name": "Day", "family": "Services", "active": False}})
    query = """query($f: ProductFilter) { products(first: 10, filter: $f, orderBy: {field: SKU}) {
      edges { node { sku } } } }"""

    async def skus(f: dict) -> list[str]:
        return [e["node"]["sku"] for e in (await gql(query, {"f": f}))["products"]["edges"]]

    assert await skus({"family": ["Services"]}) == ["S-1"]
    assert await skus({"active": [True]}) == ["L-1"]
    assert await skus({}) == ["L-1", "S-1"]
