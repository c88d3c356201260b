"""Default role rules for quotes and their lines.

A quote is as visible as its opportunity (Inherits): `own` means quotes of deals the
rep owns, `team` those of the manager's team. `approve` is the right to approve or
reject a quote in review: sales managers for their team's deals (admins through *).
Service agents see quotes but not their discounts.
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

QUOTES = ("quote", "quote_line")

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", QUOTES, ("read", "create", "update", "archive"), "team"),
    ("sales_manager", "quote", "approve", "team", "allow"),
    *grant("sales_rep", QUOTES, ("read", "create", "update", "archive"), "own"),
    *grant("service_agent", QUOTES, ("read",), "tenant"),
    ("service_agent", "quote_line.discount_percent", "*", "tenant", "deny"),
    ("service_agent", "quote_line.discount_amount", "*", "tenant", "deny"),
    ("service_agent", "quote.discount_total", "*", "tenant", "deny"),
    ("service_agent", "quote.max_discount_percent", "*", "tenant", "deny"),
    *grant("analyst", QUOTES, ("read",), "tenant"),
    *grant("integration", QUOTES, ("read", "create", "update"), "tenant"),
)
