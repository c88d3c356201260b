"""Default role rules for interactions: what each built-in role may do with its records.

Data, read when a tenant is created (a tenant's admin changes them afterwards); a rule's
scope must be one the record type's row-scope strategy honours (checked at start-up).
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", ("interaction",), ("read", "create", "update", "archive", "delete"), "team"),
    *grant("sales_rep", ("interaction",), ("read", "create", "update", "archive"), "own"),
    *grant("service_agent", ("interaction",), ("read", "create", "update"), "own"),
    *grant("service_manager", ("interaction",), ("read", "create", "update", "archive"), "tenant"),
    *grant("analyst", ("interaction",), ("read",), "tenant"),
    *grant("integration", ("interaction",), ("read", "create", "update"), "tenant"),
)
