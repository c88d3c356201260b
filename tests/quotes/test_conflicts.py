"""Every quote and catalog mutation that takes expectedVersion refuses a stale one with
Conflict and changes nothing; audit and the event catalog know the quote events."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from tests.quotes.helpers import (
    ACCEPT,
    APPROVE,
    BOOK_UPDATE,
    DECLINE,
    LINE_REMOVE,
    QUOTE_CREATE,
    QUOTE_UPDATE,
    READ,
    REJECT,
    REVISE,
    SEND,
    SUBMIT,
    book,
    codes,
    lines,
    ok,
    opportunity,
    price,
    product,
)

from crm_graph.platform.audit.models import AuditEntry

# mutation, field, the steps that bring a quote to the state it acts on
STEPS = {
    "quoteUpdate": (QUOTE_UPDATE, ()),
    "quoteSubmit": (SUBMIT, ()),
    "quoteApprove": (APPROVE, ("submit",)),
    "quoteReject": (REJECT, ("submit",)),
    "quoteSend": (SEND, ("submit", "approve")),
    "quoteAccept": (ACCEPT, ("submit", "approve", "send")),
    "quoteDecline": (DECLINE, ("submit", "approve", "send")),
    "quoteRevise": (REVISE, ()),
}


async def a_quote(tenant: Any, gql: Any, discount: str) -> tuple[dict[str, Any], Any]:
    usd = await book(gql, "USD", "USD")
    item = await product(gql, "P")
    await price(gql, usd, item, "10")
    rep = tenant.client(await tenant.user("rep@conflict.example", ["sales_rep"]))
    deal = await opportunity(rep)
    line = {"productId": item, "quantity": "1", "discountPercent": discount}
    return ok(await rep(QUOTE_CREATE, {"i": {"opportunityId": deal, "lines": [line]}}), "quoteCreate"), rep


@pytest.mark.parametrize("name", list(STEPS))
async def test_a_stale_expected_version_conflicts(tenant, gql, name):
    document, steps = STEPS[name]
    quote, rep = await a_quote(tenant, gql, "30")
    for step in steps:
        doc = {"submit": SUBMIT, "approve": APPROVE, "send": SEND}[step]
        ok(await (gql if step == "approve" else rep)(doc, {"i": {"id": quote["id"]}}), f"quote{step.title()}")
    current = (await gql(READ, {"id": quote["id"]}))["node"]
    given = {"id": quote["id"], "expectedVersion": current["version"] - 1}
    if name == "quoteReject":
        given["comment"] = "No"
    if name == "quoteUpdate":
        given["name"] = "Stale"
    client = gql if name in ("quoteApprove", "quoteReject") else rep
    data = await client(document, {"i": given})
    assert [e["__typename"] for e in data[name]["errors"]] == ["Conflict"]
    assert data[name]["errors"][0]["currentVersion"] == current["version"]
    assert (await gql(READ, {"id": quote["id"]}))["node"]["version"] == current["version"]


async def test_other_stale_writes_conflict(tenant, gql):
    quote, rep = await a_quote(tenant, gql, "0")
    line = lines(quote)[0]
    stale = await rep(LINE_REMOVE, {"i": {"id": line["id"], "expectedVersion": 7}})
    assert codes(stale, "quoteLineRemove") == ["Conflict"]
    books = (await gql("{ priceBooks(first: 1) { edges { node { id version } } } }"))["priceBooks"]["edges"]
    book_id = books[0]["node"]["id"]
    assert codes(
        await gql(BOOK_UPDATE, {"i": {"id": book_id, "name": "X", "expectedVersion": 9}}), "priceBookUpdate"
    ) == ["Conflict"]


async def test_quote_changes_are_audited_and_their_events_are_in_the_catalog(tenant, gql, engine):
    quote, rep = await a_quote(tenant, gql, "30")
    ok(await rep(SUBMIT, {"i": {"id": quote["id"]}}), "quoteSubmit")
    ok(await gql(APPROVE, {"i": {"id": quote["id"], "comment": "ok"}}), "quoteApprove")
    audit = AuditEntry.__table__  # type: ignore[attr-defined]
    async with engine.connect() as conn:
        actions = (
            (await conn.execute(sa.select(audit.c.action).where(audit.c.tenant_id == tenant.id).order_by(audit.c.seq)))
            .scalars()
            .all()
        )
    for action in (
        "quote.created",
        "quote_line.created",
        "quote.submitted",
        "approval_request.created",
        "approval_request.approved",
        "quote.approved",
    ):
        assert action in actions, action
    names = {e["name"] for e in (await gql("{ eventTypes { name } }"))["eventTypes"]}
    assert {"quote.accepted", "quote.expired", "quote.revised", "approval_request.rejected", "product.created"} <= names
