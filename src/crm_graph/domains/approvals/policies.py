"""Default role rules for approval requests. Deciding one is a right on the record's
type (`quote approve`), so these only say who sees requests and who may raise them."""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", ("approval_request",), ("read", "create", "update"), "team"),
    *grant("sales_rep", ("approval_request",), ("read", "create", "update"), "own"),
    *grant("analyst", ("approval_request",), ("read",), "tenant"),
    *grant("integration", ("approval_request",), ("read", "create", "update"), "tenant"),
)
