"""Demo catalog: a default USD price book, a EUR one, and products in three families."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.products.models import PriceBook, PriceBookEntry, Product

# sku, name, family, unit, USD list price
CATALOG = (
    ("CRM-STD", "CRM Standard", "Licences", "seat/month", "25"),
    ("CRM-PRO", "CRM Professional", "Licences", "seat/month", "59"),
    ("CRM-ENT", "CRM Enterprise", "Licences", "seat/month", "119"),
    ("ADD-ANL", "Analytics add-on", "Add-ons", "seat/month", "15"),
    ("ADD-API", "API capacity pack", "Add-ons", "each", "499"),
    ("SRV-ONB", "Onboarding package", "Services", "each", "4500"),
    ("SRV-TRN", "Training day", "Services", "day", "1200"),
    ("SRV-CON", "Consulting", "Services", "hour", "185.50"),
)
EUR_RATE = Decimal("0.92")


async def seed_demo(conn: Any, tenant_id: uuid.UUID, new_id: Callable[[], uuid.UUID], **_: Any) -> dict[str, int]:
    books: sa.Table = PriceBook.__table__
    products: sa.Table = Product.__table__
    entries: sa.Table = PriceBookEntry.__table__
    usd, eur = new_id(), new_id()
    await conn.execute(
        sa.insert(books),
        [
            {"id": usd, "tenant_id": tenant_id, "name": "Standard USD", "currency": "USD", "is_default": True},
            {"id": eur, "tenant_id": tenant_id, "name": "Europe EUR", "currency": "EUR", "is_default": False},
        ],
    )
    rows, prices = [], []
    for sku, name, family, unit, amount in CATALOG:
        product_id = new_id()
        rows.append(
            {"id": product_id, "tenant_id": tenant_id, "sku": sku, "name": name, "family": family, "unit": unit}
        )
        usd_price = Decimal(amount)
        prices.append(
            {
                "id": new_id(),
                "tenant_id": tenant_id,
                "price_book_id": usd,
                "product_id": product_id,
                "list_price": usd_price,
            }
        )
        prices.append(
            {
                "id": new_id(),
                "tenant_id": tenant_id,
                "price_book_id": eur,
                "product_id": product_id,
                "list_price": (usd_price * EUR_RATE).quantize(Decimal("0.01")),
            }
        )
    await conn.execute(sa.insert(products), rows)
    await conn.execute(sa.insert(entries), prices)
    return {"price_books": 2, "products": len(rows), "price_book_entries": len(prices)}
