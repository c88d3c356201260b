"""Default role rules for notifications: what each built-in role may do with its records.

Data, read when a tenant is created (a tenant's admin changes them afterwards); a rule's
scope must be one the record type's row-scope strategy honours (checked at start-up).
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

RULES: tuple[Rule, ...] = (
    *grant("admin", ("notification",), ("read", "update"), "own"),
    *grant("sales_manager", ("notification",), ("read", "update"), "own"),
    *grant("sales_rep", ("notification",), ("read", "update"), "own"),
    *grant("marketing_manager", ("notification",), ("read", "update"), "own"),
    *grant("service_manager", ("notification",), ("read", "update"), "own"),
    *grant("service_agent", ("notification",), ("read", "update"), "own"),
    *grant("analyst", ("notification",), ("read", "update"), "own"),
    *grant("integration", ("notification",), ("read", "update"), "own"),
)
