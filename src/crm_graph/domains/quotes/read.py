"""Read declarations for quotes and their lines.

A quote is as visible as its opportunity (a rep's quotes are those of their deals, a
manager's those of the team's deals) and a line as visible as its quote.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.quotes import models
from crm_graph.readside.common import lower, record_fields, record_filters, record_orders
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Inherits, Many, Order, Ref

MONEY = "in the quote's currency, rounded half-up to its minor unit"


def _approvals(target: sa.Table, parent: Any, args: dict[str, Any]) -> Any:
    return sa.and_(target.c.record_type == "quote", target.c.record_id == parent)


QUOTE = Entity(
    name="Quote",
    record_type="quote",
    table=models.Quote.__table__,
    tag=93,
    fields=[
        Col("number", int, description="Quote number in the tenant, shared by its revisions (printed Q-00042)."),
        Col("revision", int, description="1 for the first version; quoteRevise makes the next."),
        Col("name", str, description="Title of the quote as printed."),
        Col(
            "status",
            models.QuoteStatus,
            enum=models.QuoteStatus,
            description="Draft, in review, approved, sent, accepted, rejected or expired.",
        ),
        Col("currency", str, description="ISO 4217 code of every amount of the quote (its price book's)."),
        Col("valid_until", date, description="Last day the offer holds; a job expires it after that day (UTC)."),
        Col("is_primary", bool, description="The opportunity's primary quote: its amount follows this one."),
        Col("notes", str | None, description="Terms and notes printed on the quote."),
        Col("subtotal", Decimal, description=f"Sum of the lines' quantity x unit price, {MONEY}."),
        Col(
            "discount_total",
            Decimal | None,
            guarded=True,
            description=f"Sum of the lines' discounts, {MONEY}; null for roles denied quote.discountTotal.",
        ),
        Col("net_total", Decimal, description=f"Subtotal less discounts, before tax, {MONEY}."),
        Col("tax_total", Decimal, description=f"Sum of the lines' taxes, {MONEY}."),
        Col("grand_total", Decimal, description=f"Net total plus taxes: what the customer pays, {MONEY}."),
        Col(
            "max_discount_percent",
            Decimal | None,
            guarded=True,
            description="Largest line discount in percent; above the tenant's threshold the quote needs approval. "
            "Null for roles denied quote.maxDiscountPercent.",
        ),
        Col("submitted_at", datetime | None, description="When it was last submitted (UTC)."),
        Col("approved_at", datetime | None, description="When it was approved (UTC), by a manager or on submit."),
        Col("sent_at", datetime | None, description="When it was marked sent to the customer (UTC)."),
        Col("closed_at", datetime | None, description="When it was accepted, rejected or expired (UTC)."),
        *record_fields(),
    ],
    refs=[
        Ref("opportunity", "Opportunity", "opportunity_id", description="The deal the quote is for."),
        Ref("price_book", "PriceBook", "price_book_id", description="The price book its list prices come from."),
        Ref(
            "previous_revision",
            "Quote",
            "previous_revision_id",
            description="The version this one revised; null for the first.",
        ),
        Ref("submitted_by", "User", "submitted_by_id", description="Who last submitted it."),
    ],
    many=[
        Many("lines", "QuoteLine", fk="quote_id", order="position", description="Its lines, in order."),
        Many(
            "revisions",
            "Quote",
            fk="previous_revision_id",
            order="created_at",
            description="The version made from this one by quoteRevise (at most one).",
        ),
        Many(
            "approval_requests",
            "ApprovalRequest",
            link=_approvals,
            order="created_at",
            descending=True,
            description="Approval requests for this quote, latest first (visible to you).",
        ),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("name",), description="Case-insensitive text contained in the name."),
        Filter("status", FilterOp.EQ_ANY, ("status",), models.QuoteStatus, description="Any of these statuses."),
        Filter(
            "opportunity",
            FilterOp.REF,
            ("opportunity_id",),
            entity="Opportunity",
            description="Global IDs of opportunities; quotes for any of them.",
        ),
        Filter(
            "valid_until", FilterOp.RANGE, ("valid_until",), date, description="Valid until a day within these dates."
        ),
        Filter(
            "grand_total",
            FilterOp.RANGE,
            ("grand_total",),
            Decimal,
            description="Inclusive bounds on the grand total (any currency).",
        ),
        *record_filters(),
    ],
    orders=[
        Order("name", lower("name"), description="By name, case-insensitive."),
        Order("number", lambda t: [t.c.number, t.c.revision], description="By number, then revision."),
        Order("grand_total", lambda t: [t.c.grand_total], description="By grand total (any currency)."),
        Order("valid_until", lambda t: [t.c.valid_until], description="By valid-until date."),
        *record_orders(),
    ],
    default_order="created_at",
    default_descending=True,
    scope=Inherits("opportunity"),
    description="A priced offer on an opportunity: lines, totals, validity and an approval workflow.",
)

QUOTE_LINE = Entity(
    name="QuoteLine",
    record_type="quote_line",
    table=models.QuoteLine.__table__,
    tag=94,
    fields=[
        Col("position", int, description="Order of the line on the quote, from 0."),
        Col("description", str | None, description="Text printed for the line; defaults to the product's name."),
        Col("quantity", Decimal, description="How many units (the product's unit), more than 0."),
        Col(
            "list_price",
            Decimal | None,
            description="The product's list price in the quote's price book when the line was priced.",
        ),
        Col("unit_price", Decimal, description="Price of one unit on this quote: the list price unless overridden."),
        Col("price_overridden", bool, description="The unit price was given by hand instead of the price book's."),
        Col(
            "discount_percent",
            Decimal | None,
            guarded=True,
            description="Discount on the line in percent (0 to 100); null for roles denied it.",
        ),
        Col("tax_rate", Decimal, description="Tax rate in percent applied to the discounted line."),
        Col("subtotal", Decimal, description=f"Quantity x unit price, {MONEY}."),
        Col(
            "discount_amount",
            Decimal | None,
            guarded=True,
            description=f"Subtotal x discount percent, {MONEY}; null for roles denied it.",
        ),
        Col("net_amount", Decimal, description="Subtotal less the discount (already rounded)."),
        Col("tax_amount", Decimal, description=f"Net amount x tax rate, {MONEY}."),
        Col("total", Decimal, description="Net amount plus tax."),
        *record_fields(),
    ],
    refs=[
        Ref("quote", "Quote", "quote_id", description="The quote the line is on."),
        Ref("product", "Product", "product_id", description="The product sold."),
    ],
    orders=[Order("position", lambda t: [t.c.position], description="By position on the quote."), *record_orders()],
    default_order="position",
    scope=Inherits("quote"),
    archivable=False,
    description="One line of a quote: a product, a quantity, its price, discount and tax.",
)
