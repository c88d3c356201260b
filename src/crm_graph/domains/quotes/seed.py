"""Demo quotes: on a share of the demo opportunities, priced from the default book,
in every status, with an approval request where the discount needs one."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.approvals.models import ApprovalRequest
from crm_graph.domains.opportunities.models import Opportunity
from crm_graph.domains.products.models import PriceBook, PriceBookEntry
from crm_graph.domains.quotes import settings, totals
from crm_graph.domains.quotes.models import Quote, QuoteLine
from crm_graph.domains.quotes.service import approval_reason
from crm_graph.platform.identity.models import User

MAX_QUOTES = 150
STATUSES = ("draft", "draft", "in_review", "approved", "sent", "sent", "accepted", "rejected", "expired")
DISCOUNTS = (Decimal(0), Decimal(0), Decimal(5), Decimal(10), Decimal("12.5"), Decimal(15), Decimal(25), Decimal(30))
TAX_RATES = (Decimal(0), Decimal("8.25"), Decimal(20))


async def seed_demo(
    conn: Any, tenant_id: uuid.UUID, new_id: Callable[[], uuid.UUID], rng: random.Random, now: datetime, **_: Any
) -> dict[str, int]:
    o: sa.Table = Opportunity.__table__
    b: sa.Table = PriceBook.__table__
    e: sa.Table = PriceBookEntry.__table__
    book = (await conn.execute(sa.select(b).where(b.c.tenant_id == tenant_id, b.c.is_default))).first()
    if book is None:
        return {}
    prices = (await conn.execute(sa.select(e.c.product_id, e.c.list_price).where(e.c.price_book_id == book.id))).all()
    deals = (
        await conn.execute(
            sa.select(o.c.id, o.c.name, o.c.owner_id, o.c.status)
            .where(o.c.tenant_id == tenant_id, o.c.owner_id.is_not(None))
            .order_by(o.c.id)
        )
    ).all()
    users: sa.Table = User.__table__
    managers = list(
        (
            await conn.execute(
                sa.select(users.c.id).where(users.c.tenant_id == tenant_id, users.c.roles.any("sales_manager"))
            )
        ).scalars()
    )
    threshold = settings.DEFAULTS["discount_threshold"]
    quotes, lines, requests = [], [], []
    for number, deal in enumerate(rng.sample(deals, min(MAX_QUOTES, len(deals) // 3)), start=1):
        status = "accepted" if deal.status == "won" else rng.choice(STATUSES)
        created = now - timedelta(days=rng.randint(1, 60))
        valid_until = (created + timedelta(days=30)).date()
        if status == "expired":
            valid_until = (now - timedelta(days=rng.randint(1, 20))).date()
        quote_id = new_id()
        quote_lines = []
        for position, (product_id, list_price) in enumerate(rng.sample(prices, rng.randint(1, 4))):
            quantity = Decimal(rng.choice((1, 2, 5, 10, 25, 50)))
            discount = rng.choice(DISCOUNTS)
            tax = rng.choice(TAX_RATES)
            amounts = totals.line_amounts(quantity, list_price, discount, tax, book.currency)
            quote_lines.append(
                {
                    "id": new_id(),
                    "tenant_id": tenant_id,
                    "quote_id": quote_id,
                    "position": position,
                    "product_id": product_id,
                    "quantity": quantity,
                    "list_price": list_price,
                    "unit_price": list_price,
                    "discount_percent": discount,
                    "tax_rate": tax,
                    **amounts.as_values(),
                }
            )
        sums = {
            "subtotal": sum((x["subtotal"] for x in quote_lines), Decimal(0)),
            "discount_total": sum((x["discount_amount"] for x in quote_lines), Decimal(0)),
            "net_total": sum((x["net_amount"] for x in quote_lines), Decimal(0)),
            "tax_total": sum((x["tax_amount"] for x in quote_lines), Decimal(0)),
            "grand_total": sum((x["total"] for x in quote_lines), Decimal(0)),
            "max_discount_percent": max(x["discount_percent"] for x in quote_lines),
        }
        reason = approval_reason(sums, threshold)
        if status == "in_review" and reason is None:
            status = "approved"
        submitted = status != "draft"
        quotes.append(
            {
                "id": quote_id,
                "tenant_id": tenant_id,
                "created_at": created,
                "updated_at": created,
                "opportunity_id": deal.id,
                "number": number,
                "revision": 1,
                "name": deal.name,
                "status": status,
                "price_book_id": book.id,
                "currency": book.currency,
                "valid_until": valid_until,
                "is_primary": True,
                "submitted_by_id": deal.owner_id if submitted else None,
                "submitted_at": created + timedelta(hours=2) if submitted else None,
                "approved_at": created + timedelta(hours=5) if status not in ("draft", "in_review") else None,
                "sent_at": created + timedelta(days=1) if status in ("sent", "accepted", "rejected") else None,
                "closed_at": created + timedelta(days=5) if status in ("accepted", "rejected") else None,
                **sums,
            }
        )
        lines.extend(quote_lines)
        if reason is not None and status != "draft":
            decided = status != "in_review"
            requests.append(
                {
                    "id": new_id(),
                    "tenant_id": tenant_id,
                    "record_type": "quote",
                    "record_id": quote_id,
                    "kind": "quote_discount",
                    "reason": reason,
                    "status": "cancelled" if status == "expired" else "approved" if decided else "pending",
                    "requested_by_id": deal.owner_id,
                    "decided_by_id": rng.choice(managers) if decided and managers and status != "expired" else None,
                    "decided_at": created + timedelta(hours=5) if decided else None,
                }
            )
    if quotes:
        await conn.execute(sa.insert(Quote.__table__), quotes)
        await conn.execute(sa.insert(QuoteLine.__table__), lines)
    if requests:
        await conn.execute(sa.insert(ApprovalRequest.__table__), requests)
    return {"quotes": len(quotes), "quote_lines": len(lines), "approval_requests": len(requests)}
