"""quoteDocument: printable HTML from the tenant's template and a valid PDF holding the totals."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import re
import zlib
from typing import Any

from tests.quotes.helpers import QUOTE_CREATE, book, ok, opportunity, price, product

DOCUMENT = """query($id: ID!) { quoteDocument(id: $id) { html pdfBase64 filename contentType templateError } }"""
SETTINGS_UPDATE = """mutation($i: QuoteSettingsUpdateInput!) { quoteSettingsUpdate(input: $i) {
  settings { version } errors { message ... on ValidationError { code } } } }"""


def pdf_text(pdf: bytes) -> str:
    """The text drawn by the PDF's content streams (inflated when compressed)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        raw = match.group(1)
        with contextlib.suppress(zlib.error):  # an uncompressed stream is read as it is
            raw = zlib.decompress(raw)
        out.append(raw.decode("latin-1"))
    return "\n".join(out)


async def a_quote(gql: Any) -> dict[str, Any]:
    usd = await book(gql, "USD", "USD")
    item = await product(gql, "LIC-1", "Licence <b>Pro</b>")
    await price(gql, usd, item, "1234.5")
    deal = await opportunity(gql, "Acme renewal")
    line = {"productId": item, "quantity": "3", "discountPercent": "10", "taxRate": "19"}
    # 3 x 1234.50 = 3703.50; 10% = 370.35; net 3333.15; 19% = 633.2985 -> 633.30; total 3966.45
    return ok(
        await gql(QUOTE_CREATE, {"i": {"opportunityId": deal, "lines": [line], "notes": "Net 30"}}), "quoteCreate"
    )


async def test_the_document_is_html_and_a_valid_pdf_with_the_totals(gql):
    quote = await a_quote(gql)
    assert quote["grandTotal"] == "3966.45"
    doc = (await gql(DOCUMENT, {"id": quote["id"]}))["quoteDocument"]
    assert (doc["filename"], doc["contentType"], doc["templateError"]) == ("Q-00001.pdf", "application/pdf", None)
    html = doc["html"]
    assert html.startswith("<!doctype html>") and "Quote Q-00001" in html
    assert "3,966.45" in html and "633.30" in html and "Net 30" in html
    # The product's name is escaped, not markup.
    assert "Licence &lt;b&gt;Pro&lt;/b&gt;" in html and "<b>Pro</b>" not in html
    pdf = base64.b64decode(doc["pdfBase64"])
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in pdf and b"startxref" in pdf
    text = pdf_text(pdf)
    for amount in ("3,703.50", "-370.35", "3,333.15", "633.30", "3,966.45"):
        assert f"({amount})" in text, amount
    # Dated by the quote's last change: the same quote renders to the same bytes later.
    await asyncio.sleep(1.1)
    assert (await gql(DOCUMENT, {"id": quote["id"]}))["quoteDocument"]["pdfBase64"] == doc["pdfBase64"]


async def test_a_tenant_template_is_used_and_a_broken_one_is_refused(gql):
    quote = await a_quote(gql)
    template = "<p>{{ seller }} quotes {{ totals.grand_total }} {{ quote.currency }} for {{ lines|length }} line(s)</p>"
    data = await gql(SETTINGS_UPDATE, {"i": {"documentTemplate": template, "companyName": "Seller & Co"}})
    assert data["quoteSettingsUpdate"]["errors"] == []
    doc = (await gql(DOCUMENT, {"id": quote["id"]}))["quoteDocument"]
    assert doc["html"] == "<p>Seller &amp; Co quotes 3,966.45 USD for 1 line(s)</p>"
    broken = await gql(SETTINGS_UPDATE, {"i": {"documentTemplate": "{% for x in %}"}})
    assert [e["code"] for e in broken["quoteSettingsUpdate"]["errors"]] == ["INVALID_TEMPLATE"]
    # The sandbox refuses to reach Python internals: the built-in template prints instead.
    sneaky = "{{ quote.__class__.__mro__ }}{{ ''.__class__.__subclasses__() }}"
    assert (await gql(SETTINGS_UPDATE, {"i": {"documentTemplate": sneaky}}))["quoteSettingsUpdate"]["errors"] == []
    doc = (await gql(DOCUMENT, {"id": quote["id"]}))["quoteDocument"]
    assert doc["templateError"] is not None and "3,966.45" in doc["html"] and "subclasses" not in doc["html"]


async def test_a_quote_you_cannot_see_has_no_document(tenant, gql):
    quote = await a_quote(gql)
    rep = tenant.client(await tenant.user("rep@doc.example", ["sales_rep"]))
    assert (await rep(DOCUMENT, {"id": quote["id"]}))["quoteDocument"] is None
    response = await rep.post(DOCUMENT, {"id": "not-an-id"})
    assert response.json()["errors"][0]["message"] == "Not the ID of a Quote."
