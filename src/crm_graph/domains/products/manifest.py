"""The products domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from crm_graph.domains.products import events, models, policies, read, seed
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="products",
    description="The catalog: products, and price books giving their list prices in one currency each.",
    tables=(models,),
    entities=(read.PRODUCT, read.PRICE_BOOK, read.PRICE_BOOK_ENTRY),
    root_lists={"products": "Product", "priceBooks": "PriceBook"},
    api=("crm_graph.domains.products.api",),
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
    seed=seed.seed_demo,
)
