"""Default role rules for accounts: what each built-in role may do with its records.

Data, read when a tenant is created (a tenant's admin changes them afterwards); a rule's
scope must be one the record type's row-scope strategy honours (checked at start-up).
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", ("organization",), ("read", "create", "update", "archive", "delete"), "tenant"),
    *grant("sales_rep", ("organization",), ("read",), "tenant"),
    *grant("sales_rep", ("organization",), ("create", "update", "archive"), "own"),
    *grant("marketing_manager", ("organization",), ("read",), "tenant"),
    *grant("service_agent", ("organization",), ("read",), "tenant"),
    *grant("analyst", ("organization",), ("read",), "tenant"),
    *grant("integration", ("organization",), ("read", "create", "update"), "tenant"),
)
