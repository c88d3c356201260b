"""A discount above the tenant's threshold needs a sales manager's approval before the
quote can be sent: submitted, approved or rejected with a comment, never by the
submitter; under the threshold a submitted quote is approved at once."""

from __future__ import annotations

from typing import Any

from tests.quotes.helpers import (
    ACCEPT,
    APPROVE,
    DECLINE,
    QUOTE_CREATE,
    READ,
    REJECT,
    REVISE,
    SEND,
    SUBMIT,
    book,
    codes,
    ok,
    opportunity,
    price,
    product,
    team,
)

from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import entity

SETTINGS = "{ quoteSettings { discountThreshold defaultValidDays companyName version } }"
SETTINGS_UPDATE = """mutation($i: QuoteSettingsUpdateInput!) { quoteSettingsUpdate(input: $i) {
  settings { discountThreshold defaultValidDays companyName version } errors { __typename message path ... on ValidationError { code } } } }"""
REQUESTS = "{ approvalRequests(first: 10) { edges { node { status reason record { id } requestedBy { id } } } } }"


async def setup(tenant: Any, gql: Any) -> dict[str, Any]:
    usd = await book(gql, "USD", "USD")
    item = await product(gql, "SKU-1", "Licence")
    await price(gql, usd, item, "100")
    west = await team(tenant, "West")
    rep = await tenant.user("rep@approve.example", ["sales_rep"], west)
    boss = await tenant.user("boss@approve.example", ["sales_manager"], west)
    return {"item": item, "rep": tenant.client(rep), "boss": tenant.client(boss), "rep_id": rep, "boss_id": boss}


async def quote(client: Any, item: str, discount: str, quantity: str = "1", **extra: Any) -> dict[str, Any]:
    deal = await opportunity(client)
    line = {"productId": item, "quantity": quantity, "discountPercent": discount, "taxRate": "10"}
    return ok(await client(QUOTE_CREATE, {"i": {"opportunityId": deal, "lines": [line], **extra}}), "quoteCreate")


async def test_a_discount_within_the_threshold_is_approved_on_submit_and_sent(tenant, gql):
    s = await setup(tenant, gql)
    assert (await gql(SETTINGS))["quoteSettings"]["discountThreshold"] == "20.00"
    q = await quote(s["rep"], s["item"], "20")  # at the threshold: not above it
    assert codes(await s["rep"](SEND, {"i": {"id": q["id"]}}), "quoteSend") == ["APPROVAL_REQUIRED"]
    submitted = ok(await s["rep"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit")
    assert submitted["status"] == "APPROVED" and submitted["approvalRequests"]["edges"] == []
    assert codes(await s["rep"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit") == ["INVALID_STATUS"]
    sent = ok(await s["rep"](SEND, {"i": {"id": q["id"]}}), "quoteSend")
    assert sent["status"] == "SENT"


async def test_a_large_discount_waits_for_a_manager_and_cannot_be_sent_before(tenant, gql):
    s = await setup(tenant, gql)
    q = await quote(s["rep"], s["item"], "25")
    submitted = ok(await s["rep"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit")
    assert submitted["status"] == "IN_REVIEW"
    (request,) = [e["node"] for e in submitted["approvalRequests"]["edges"]]
    assert (request["status"], request["kind"]) == ("PENDING", "quote_discount")
    assert request["reason"] == "Line discount 25% exceeds the 20% threshold."
    # Sending before approval is refused, with a typed error.
    refused = (await s["rep"](SEND, {"i": {"id": q["id"]}}))["quoteSend"]
    assert refused["quote"] is None
    assert [(e["__typename"], e["code"]) for e in refused["errors"]] == [("ValidationError", "APPROVAL_REQUIRED")]
    # A rep has no right to approve.
    response = await s["rep"].post(APPROVE, {"i": {"id": q["id"]}})
    assert response.json()["errors"][0]["message"] == "Not allowed to approve quote."
    # The manager sees the request in their team's list and approves with a comment.
    listed = [e["node"] for e in (await s["boss"](REQUESTS))["approvalRequests"]["edges"]]
    assert [(r["status"], r["record"]["id"]) for r in listed] == [("PENDING", q["id"])]
    approved = ok(await s["boss"](APPROVE, {"i": {"id": q["id"], "comment": "Strategic account"}}), "quoteApprove")
    assert approved["status"] == "APPROVED"
    (request,) = [e["node"] for e in approved["approvalRequests"]["edges"]]
    assert (request["status"], request["comment"]) == ("APPROVED", "Strategic account")
    assert codes(await s["boss"](APPROVE, {"i": {"id": q["id"]}}), "quoteApprove") == ["INVALID_STATUS"]
    assert ok(await s["rep"](SEND, {"i": {"id": q["id"]}}), "quoteSend")["status"] == "SENT"


async def test_an_overall_discount_above_the_threshold_needs_approval_too(tenant, gql):
    s = await setup(tenant, gql)
    ok(await gql(SETTINGS_UPDATE, {"i": {"discountThreshold": "10"}}), "quoteSettingsUpdate")
    q = await quote(s["rep"], s["item"], "10.5")
    submitted = ok(await s["rep"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit")
    assert submitted["status"] == "IN_REVIEW"


async def test_nobody_approves_their_own_request(tenant, gql):
    s = await setup(tenant, gql)
    q = await quote(s["boss"], s["item"], "50")
    ok(await s["boss"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit")
    own = await s["boss"](APPROVE, {"i": {"id": q["id"]}})
    assert codes(own, "quoteApprove") == ["Forbidden"]
    assert own["quoteApprove"]["errors"][0]["message"].startswith("You cannot decide an approval you requested")
    # An admin (another user) may.
    assert ok(await gql(APPROVE, {"i": {"id": q["id"]}}), "quoteApprove")["status"] == "APPROVED"


async def test_a_rejection_needs_a_comment_and_returns_the_quote_to_draft(tenant, gql):
    s = await setup(tenant, gql)
    q = await quote(s["rep"], s["item"], "40")
    ok(await s["rep"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit")
    assert codes(await s["boss"](REJECT, {"i": {"id": q["id"]}}), "quoteReject") == ["REQUIRED"]
    rejected = ok(await s["boss"](REJECT, {"i": {"id": q["id"], "comment": "Too deep"}}), "quoteReject")
    assert rejected["status"] == "DRAFT"
    (request,) = [e["node"] for e in rejected["approvalRequests"]["edges"]]
    boss = to_global_id(entity("User"), s["boss_id"])
    assert (request["status"], request["comment"], request["decidedBy"]["id"]) == ("REJECTED", "Too deep", boss)
    # Submitted again, a new request is raised.
    again = ok(await s["rep"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit")
    assert [e["node"]["status"] for e in again["approvalRequests"]["edges"]] == ["PENDING", "REJECTED"]


async def test_a_manager_of_another_team_cannot_approve(tenant, gql):
    s = await setup(tenant, gql)
    east = await team(tenant, "East")
    stranger = tenant.client(await tenant.user("other@approve.example", ["sales_manager"], east))
    q = await quote(s["rep"], s["item"], "30")
    ok(await s["rep"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit")
    assert codes(await stranger(APPROVE, {"i": {"id": q["id"]}}), "quoteApprove") == ["NotFound"]


async def test_accepting_a_sent_quote_makes_it_primary_and_sets_the_deal_amount(tenant, gql):
    s = await setup(tenant, gql)
    first = await quote(s["rep"], s["item"], "0", quantity="2")  # 200.00 + 10% tax = 220.00
    deal = first["opportunity"]["id"]
    second = ok(
        await s["rep"](
            QUOTE_CREATE,
            {"i": {"opportunityId": deal, "lines": [{"productId": s["item"], "quantity": "3", "taxRate": "10"}]}},
        ),
        "quoteCreate",
    )
    assert (first["isPrimary"], second["isPrimary"]) == (True, False)
    assert codes(await s["rep"](ACCEPT, {"i": {"id": second["id"]}}), "quoteAccept") == ["INVALID_STATUS"]
    ok(await s["rep"](SUBMIT, {"i": {"id": second["id"]}}), "quoteSubmit")
    ok(await s["rep"](SEND, {"i": {"id": second["id"]}}), "quoteSend")
    stale = await s["rep"](ACCEPT, {"i": {"id": second["id"], "expectedVersion": 1}})
    assert codes(stale, "quoteAccept") == ["Conflict"]
    accepted = ok(await s["rep"](ACCEPT, {"i": {"id": second["id"]}}), "quoteAccept")
    assert (accepted["status"], accepted["isPrimary"]) == ("ACCEPTED", True)
    assert accepted["opportunity"]["amount"] == "330.00" and accepted["opportunity"]["currency"] == "USD"
    assert (await s["rep"](READ, {"id": first["id"]}))["node"]["isPrimary"] is False
    assert codes(await s["rep"](REVISE, {"i": {"id": second["id"]}}), "quoteRevise") == ["INVALID_STATUS"]
    assert codes(await s["rep"](DECLINE, {"i": {"id": second["id"]}}), "quoteDecline") == ["INVALID_STATUS"]


async def test_a_customer_declines_a_sent_quote(tenant, gql):
    s = await setup(tenant, gql)
    q = await quote(s["rep"], s["item"], "5")
    assert codes(await s["rep"](DECLINE, {"i": {"id": q["id"]}}), "quoteDecline") == ["INVALID_STATUS"]
    ok(await s["rep"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit")
    ok(await s["rep"](SEND, {"i": {"id": q["id"]}}), "quoteSend")
    assert ok(await s["rep"](DECLINE, {"i": {"id": q["id"]}}), "quoteDecline")["status"] == "REJECTED"


async def test_revising_a_quote_in_review_cancels_its_request(tenant, gql):
    s = await setup(tenant, gql)
    q = await quote(s["rep"], s["item"], "35")
    ok(await s["rep"](SUBMIT, {"i": {"id": q["id"]}}), "quoteSubmit")
    revised = ok(await s["rep"](REVISE, {"i": {"id": q["id"]}}), "quoteRevise")
    assert (revised["status"], revised["revision"]) == ("DRAFT", 2)
    old = (await s["rep"](READ, {"id": q["id"]}))["node"]
    assert old["status"] == "DRAFT"
    assert [e["node"]["status"] for e in old["approvalRequests"]["edges"]] == ["CANCELLED"]


async def test_only_an_admin_changes_the_settings_and_bad_values_are_refused(tenant, gql):
    s = await setup(tenant, gql)
    response = await s["boss"].post(SETTINGS_UPDATE, {"i": {"discountThreshold": "50"}})
    assert response.json()["errors"][0]["message"] == "Not allowed to update quote_settings."
    bad = (await gql(SETTINGS_UPDATE, {"i": {"discountThreshold": "101", "defaultValidDays": 0}}))[
        "quoteSettingsUpdate"
    ]
    assert sorted(e["code"] for e in bad["errors"]) == ["OUT_OF_RANGE", "OUT_OF_RANGE"]
    changed = ok(
        await gql(SETTINGS_UPDATE, {"i": {"companyName": "Acme Ltd", "defaultValidDays": 14}}), "quoteSettingsUpdate"
    )
    assert (changed["companyName"], changed["defaultValidDays"], changed["discountThreshold"]) == (
        "Acme Ltd",
        14,
        "20.00",
    )
    assert (await s["rep"](SETTINGS))["quoteSettings"]["companyName"] == "Acme Ltd"


async def test_a_quote_too_large_for_the_deal_amount_is_refused_on_accept_and_changes_nothing(tenant, gql):
    s = await setup(tenant, gql)
    deal = (await quote(s["rep"], s["item"], "0"))["opportunity"]["id"]
    line = {"productId": s["item"], "quantity": "100000", "unitPrice": "10000000"}  # 1e12: the amount column's bound
    big = ok(await s["rep"](QUOTE_CREATE, {"i": {"opportunityId": deal, "lines": [line]}}), "quoteCreate")
    ok(await s["rep"](SUBMIT, {"i": {"id": big["id"]}}), "quoteSubmit")
    sent = ok(await s["rep"](SEND, {"i": {"id": big["id"]}}), "quoteSend")
    assert codes(await s["rep"](ACCEPT, {"i": {"id": big["id"]}}), "quoteAccept") == ["OUT_OF_RANGE"]
    after = (await s["rep"](READ, {"id": big["id"]}))["node"]
    assert (after["status"], after["version"]) == ("SENT", sent["version"])
