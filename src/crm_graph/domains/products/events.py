"""The products domain's event types: the catalog's lifecycle."""

from __future__ import annotations

from crm_graph.domains.products.models import PriceBook, PriceBookEntry, Product
from crm_graph.kernel.catalog import EventType, lifecycle

EVENT_TYPES: list[EventType] = [
    *lifecycle("product", Product.__table__),
    *lifecycle("price_book", PriceBook.__table__),
    *lifecycle("price_book_entry", PriceBookEntry.__table__),
]
