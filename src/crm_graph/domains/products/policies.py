"""Default role rules for the catalog: managers keep it, everyone in sales reads it."""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

CATALOG = ("product", "price_book", "price_book_entry")

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", CATALOG, ("read", "create", "update", "archive"), "tenant"),
    *grant("sales_rep", CATALOG, ("read",), "tenant"),
    *grant("marketing_manager", CATALOG, ("read",), "tenant"),
    *grant("service_agent", CATALOG, ("read",), "tenant"),
    *grant("analyst", CATALOG, ("read",), "tenant"),
    *grant("integration", CATALOG, ("read", "create", "update"), "tenant"),
)
