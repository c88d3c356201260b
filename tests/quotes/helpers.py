"""GraphQL documents and steps the quote tests share."""

from __future__ import annotations

import uuid
from typing import Any

from crm_graph import provisioning
from crm_graph.readside.ids import from_global_id

ERRORS = "errors { __typename message path ... on ValidationError { code } ... on Conflict { currentVersion } }"
PRODUCT = "id sku name family unit active version"
BOOK = "id name currency isDefault active version"
ENTRY = "id listPrice version product { sku } priceBook { name }"
LINE = """id position description quantity listPrice unitPrice priceOverridden discountPercent taxRate
  subtotal discountAmount netAmount taxAmount total product { sku }"""
QUOTE = f"""id number revision name status currency validUntil isPrimary notes version
  subtotal discountTotal netTotal taxTotal grandTotal maxDiscountPercent
  opportunity {{ id amount currency }} priceBook {{ id }} previousRevision {{ id revision }}
  lines(first: 50) {{ edges {{ node {{ {LINE} }} }} }}
  approvalRequests(first: 5) {{ edges {{ node {{ status kind reason comment requestedBy {{ id }} decidedBy {{ id }} }} }} }}"""


def m(name: str, input_type: str, record: str, fields: str) -> str:
    return f"mutation($i: {input_type}!) {{ {name}(input: $i) {{ {record} {{ {fields} }} {ERRORS} }} }}"


PRODUCT_CREATE = m("productCreate", "ProductCreateInput", "product", PRODUCT)
PRODUCT_UPDATE = m("productUpdate", "ProductUpdateInput", "product", PRODUCT)
BOOK_CREATE = m("priceBookCreate", "PriceBookCreateInput", "priceBook", BOOK)
BOOK_UPDATE = m("priceBookUpdate", "PriceBookUpdateInput", "priceBook", BOOK)
BOOK_ARCHIVE = m("priceBookArchive", "RecordArchiveInput", "priceBook", BOOK)
ENTRY_SET = m("priceBookEntrySet", "PriceBookEntrySetInput", "priceBookEntry", ENTRY)
QUOTE_CREATE = m("quoteCreate", "QuoteCreateInput", "quote", QUOTE)
QUOTE_UPDATE = m("quoteUpdate", "QuoteUpdateInput", "quote", QUOTE)
LINE_ADD = m("quoteLineAdd", "QuoteLineAddInput", "quote", QUOTE)
LINE_UPDATE = m("quoteLineUpdate", "QuoteLineUpdateInput", "quote", QUOTE)
LINE_REMOVE = m("quoteLineRemove", "QuoteLineRemoveInput", "quote", QUOTE)
SUBMIT = m("quoteSubmit", "QuoteActionInput", "quote", QUOTE)
APPROVE = m("quoteApprove", "QuoteDecisionInput", "quote", QUOTE)
REJECT = m("quoteReject", "QuoteDecisionInput", "quote", QUOTE)
SEND = m("quoteSend", "QuoteActionInput", "quote", QUOTE)
ACCEPT = m("quoteAccept", "QuoteActionInput", "quote", QUOTE)
DECLINE = m("quoteDecline", "QuoteActionInput", "quote", QUOTE)
REVISE = m("quoteRevise", "QuoteActionInput", "quote", QUOTE)
READ = f"query($id: ID!) {{ node(id: $id) {{ ... on Quote {{ {QUOTE} }} }} }}"


def ok(data: dict[str, Any], field: str) -> dict[str, Any]:
    payload = data[field]
    assert payload["errors"] == [], payload["errors"]
    record = next(k for k in payload if k != "errors")
    return payload[record]  # type: ignore[no-any-return]


def errors(data: dict[str, Any], field: str) -> list[dict[str, Any]]:
    payload = data[field]
    record = next(k for k in payload if k != "errors")
    assert payload[record] is None, payload
    return payload["errors"]  # type: ignore[no-any-return]


def codes(data: dict[str, Any], field: str) -> list[str]:
    return [e.get("code") or e["__typename"] for e in errors(data, field)]


def lines(quote: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["node"] for e in quote["lines"]["edges"]]


def uid(global_id: str) -> uuid.UUID:
    found = from_global_id(global_id)
    assert found is not None
    return found[1]


async def product(gql: Any, sku: str, name: str | None = None) -> str:
    data = await gql(PRODUCT_CREATE, {"i": {"sku": sku, "name": name or sku}})
    return ok(data, "productCreate")["id"]  # type: ignore[no-any-return]


async def book(gql: Any, name: str, currency: str, *, default: bool = False) -> str:
    data = await gql(BOOK_CREATE, {"i": {"name": name, "currency": currency, "isDefault": default}})
    return ok(data, "priceBookCreate")["id"]  # type: ignore[no-any-return]


async def price(gql: Any, book_id: str, product_id: str, amount: str) -> None:
    data = await gql(ENTRY_SET, {"i": {"priceBookId": book_id, "productId": product_id, "listPrice": amount}})
    ok(data, "priceBookEntrySet")


async def opportunity(gql: Any, name: str = "Big deal", owner_id: str | None = None) -> str:
    given: dict[str, Any] = {"name": name}
    if owner_id is not None:
        given["ownerId"] = owner_id
    data = await gql(
        "mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) { opportunity { id } errors { message } } }",
        {"i": given},
    )
    assert data["opportunityCreate"]["errors"] == [], data
    return data["opportunityCreate"]["opportunity"]["id"]  # type: ignore[no-any-return]


async def team_user(tenant: Any, email: str, roles: list[str], team_id: uuid.UUID | None) -> uuid.UUID:
    return await tenant.user(email, roles, team_id)  # type: ignore[no-any-return]


async def team(tenant: Any, name: str, parent_id: uuid.UUID | None = None) -> uuid.UUID:
    async with tenant.engine.begin() as conn:
        return await provisioning.create_team(conn, tenant.id, name, parent_id)
