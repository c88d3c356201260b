"""The printable quote: HTML from the tenant's template (Jinja2, sandboxed) and a PDF.

The HTML is the tenant's: its template (quote settings) or the built-in one, rendered
in Jinja2's sandbox with autoescaping, so a template can neither reach Python objects
nor inject markup through a customer's name. The PDF is laid out by fpdf2 (a pure
Python wheel: no system libraries) from the same values, in PDF's core Helvetica
font: characters outside Latin-1 print as "?".
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.opportunities.models import Opportunity
from crm_graph.domains.products.models import Product
from crm_graph.domains.products.money import minor_units
from crm_graph.domains.quotes import settings
from crm_graph.domains.quotes.models import Quote, QuoteLine
from crm_graph.kernel import writes
from crm_graph.kernel.db import UnitOfWork
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import declared

QUOTES: sa.Table = Quote.__table__
LINES: sa.Table = QuoteLine.__table__
PRODUCTS: sa.Table = Product.__table__
OPPORTUNITIES: sa.Table = Opportunity.__table__
ORGANIZATIONS: sa.Table = Organization.__table__

DEFAULT_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Quote {{ quote.label }}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; font-size: 11pt; margin: 2em; color: #222; }
table { border-collapse: collapse; width: 100%; margin-top: 1em; }
th, td { border-bottom: 1px solid #ccc; padding: 4px 6px; text-align: left; }
td.n, th.n { text-align: right; }
.totals td { border: none; }
</style></head>
<body>
<h1>Quote {{ quote.label }}</h1>
<p>{% if seller %}<strong>{{ seller }}</strong><br>{% endif %}
{% if customer %}For: {{ customer }}<br>{% endif %}
{{ quote.name }}<br>
Valid until {{ quote.valid_until }} &middot; Amounts in {{ quote.currency }}</p>
<table>
<thead><tr><th>Product</th><th class="n">Qty</th><th class="n">Unit price</th>
<th class="n">Discount</th><th class="n">Tax</th><th class="n">Net</th><th class="n">Total</th></tr></thead>
<tbody>
{% for line in lines %}<tr><td>{{ line.description }} <small>{{ line.sku }}</small></td>
<td class="n">{{ line.quantity }} {{ line.unit }}</td><td class="n">{{ line.unit_price }}</td>
<td class="n">{{ line.discount_percent }}%</td><td class="n">{{ line.tax_rate }}%</td>
<td class="n">{{ line.net_amount }}</td><td class="n">{{ line.total }}</td></tr>
{% endfor %}</tbody>
</table>
<table class="totals">
<tr><td class="n">Subtotal</td><td class="n">{{ totals.subtotal }}</td></tr>
<tr><td class="n">Discount</td><td class="n">-{{ totals.discount_total }}</td></tr>
<tr><td class="n">Net</td><td class="n">{{ totals.net_total }}</td></tr>
<tr><td class="n">Tax</td><td class="n">{{ totals.tax_total }}</td></tr>
<tr><td class="n"><strong>Total {{ quote.currency }}</strong></td><td class="n"><strong>{{ totals.grand_total }}</strong></td></tr>
</table>
{% if quote.notes %}<p>{{ quote.notes }}</p>{% endif %}
</body></html>
"""

_ENV = ImmutableSandboxedEnvironment(autoescape=True)


@dataclass(frozen=True)
class Document:
    html: str
    pdf: bytes
    filename: str
    template_error: str | None = None


def template_problem(source: str) -> str | None:
    """Why a template cannot be used (a syntax error), or None."""
    try:
        _ENV.from_string(source)
    except TemplateError as exc:
        return f"The template does not compile: {exc}"
    return None


def money_text(amount: Decimal, currency: str) -> str:
    return f"{Decimal(amount):,.{minor_units(currency)}f}"


def _plain(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text


async def _context(uow: UnitOfWork, quote_id: uuid.UUID) -> dict[str, Any]:
    quote = await writes.load(uow, QUOTES, "quote", quote_id, lock=False, action="read")
    currency = quote["currency"]
    stmt = (
        sa.select(LINES, PRODUCTS.c.sku, PRODUCTS.c.unit)
        .select_from(LINES.join(PRODUCTS, PRODUCTS.c.id == LINES.c.product_id))
        .where(LINES.c.quote_id == quote["id"])
        .order_by(LINES.c.position)
    )
    lines = [
        {
            "description": r.description or "",
            "sku": r.sku,
            "unit": r.unit,
            "quantity": _plain(r.quantity),
            "unit_price": money_text(r.unit_price, currency) if r.unit_price is not None else "",
            "discount_percent": _plain(r.discount_percent),
            "tax_rate": _plain(r.tax_rate),
            "subtotal": money_text(r.subtotal, currency),
            "net_amount": money_text(r.net_amount, currency),
            "tax_amount": money_text(r.tax_amount, currency),
            "total": money_text(r.total, currency),
        }
        for r in (await uow.execute(stmt)).all()
    ]
    org = ORGANIZATIONS
    customer_stmt = (
        sa.select(org.c.name)
        .select_from(OPPORTUNITIES.join(org, org.c.id == OPPORTUNITIES.c.organization_id))
        .where(OPPORTUNITIES.c.id == quote["opportunity_id"], row_scope(declared("organization"), org, uow.actor))
    )
    customer = (await uow.execute(customer_stmt)).scalar_one_or_none()
    config = await settings.read(uow, uow.tenant_id)
    label = f"Q-{quote['number']:05d}" + (f" rev {quote['revision']}" if quote["revision"] > 1 else "")
    names = ("subtotal", "discount_total", "net_total", "tax_total", "grand_total")
    return {
        "quote": {
            "label": label,
            "number": quote["number"],
            "revision": quote["revision"],
            "name": quote["name"],
            "status": quote["status"],
            "currency": currency,
            "valid_until": quote["valid_until"].isoformat(),
            "notes": quote["notes"],
        },
        "lines": lines,
        "totals": {k: money_text(quote[k], currency) for k in names},
        "as_of": quote["updated_at"],
        "customer": customer,
        "seller": config["company_name"],
        "template": config["document_template"],
    }


def _latin1(text: Any) -> str:
    return str(text).encode("latin-1", "replace").decode("latin-1")


def render_pdf(ctx: Mapping[str, Any]) -> bytes:
    quote, totals = ctx["quote"], ctx["totals"]
    pdf = FPDF(format="A4")
    # Dated by the quote's last change, not the clock: the same quote renders to the
    # same bytes (its creation date, and the file ID derived from it).
    pdf.set_creation_date(ctx["as_of"])
    pdf.set_title(_latin1(f"Quote {quote['label']}"))
    pdf.set_creator("crm-graph")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, _latin1(f"Quote {quote['label']}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 10)
    for text in (ctx["seller"], f"For: {ctx['customer']}" if ctx["customer"] else None, quote["name"]):
        if text:
            pdf.cell(0, 6, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(
        0,
        6,
        _latin1(f"Valid until {quote['valid_until']} - amounts in {quote['currency']}"),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(4)
    widths = (62, 22, 26, 18, 16, 23, 23)
    heads = ("Product", "Qty", "Unit price", "Disc. %", "Tax %", "Net", "Total")
    pdf.set_font("Helvetica", "B", 9)
    for width, head in zip(widths, heads, strict=True):
        pdf.cell(width, 7, head, border="B", align="L" if head == "Product" else "R")
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for line in ctx["lines"]:
        cells = (
            f"{line['description']} ({line['sku']})"[:45],
            f"{line['quantity']} {line['unit']}"[:14],
            line["unit_price"],
            line["discount_percent"],
            line["tax_rate"],
            line["net_amount"],
            line["total"],
        )
        for i, (width, text) in enumerate(zip(widths, cells, strict=True)):
            pdf.cell(width, 6, _latin1(text), align="L" if i == 0 else "R")
        pdf.ln()
    pdf.ln(4)
    rows = (
        ("Subtotal", totals["subtotal"]),
        ("Discount", f"-{totals['discount_total']}"),
        ("Net", totals["net_total"]),
        ("Tax", totals["tax_total"]),
        (f"Total {quote['currency']}", totals["grand_total"]),
    )
    for i, (label, amount) in enumerate(rows):
        pdf.set_font("Helvetica", "B" if i == len(rows) - 1 else "", 10)
        pdf.cell(sum(widths) - 40, 6, _latin1(label), align="R")
        pdf.cell(40, 6, _latin1(amount), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if quote["notes"]:
        pdf.ln(4)
        pdf.set_font("Helvetica", "", 9)
        pdf.multi_cell(0, 5, _latin1(quote["notes"]))
    return bytes(pdf.output())


async def render(uow: UnitOfWork, quote_id: uuid.UUID) -> Document:
    ctx = await _context(uow, quote_id)
    values = {k: ctx[k] for k in ("quote", "lines", "totals", "customer", "seller")}
    error = None
    try:
        html = _ENV.from_string(ctx["template"] or DEFAULT_TEMPLATE).render(**values)
    except TemplateError as exc:
        # The tenant's template failed on this quote (the sandbox refused something, a
        # filter raised): the built-in template prints it, and the error is reported.
        error = f"The tenant's template failed: {exc}"
        html = _ENV.from_string(DEFAULT_TEMPLATE).render(**values)
    label = ctx["quote"]["label"].replace(" ", "-")
    return Document(html=html, pdf=render_pdf(ctx), filename=f"{label}.pdf", template_error=error)
