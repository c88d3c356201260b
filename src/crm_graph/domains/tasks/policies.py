"""Default role rules for tasks: what each built-in role may do with its records.

Data, read when a tenant is created (a tenant's admin changes them afterwards); a rule's
scope must be one the record type's row-scope strategy honours (checked at start-up).
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", ("task",), ("read", "create", "update", "archive", "delete"), "team"),
    *grant("sales_rep", ("task",), ("read", "create", "update", "archive"), "own"),
    *grant("service_agent", ("task",), ("read", "create", "update"), "own"),
    *grant("service_manager", ("task",), ("read", "create", "update", "archive"), "tenant"),
    *grant("analyst", ("task",), ("read",), "tenant"),
    *grant("integration", ("task",), ("read", "create", "update"), "tenant"),
)
