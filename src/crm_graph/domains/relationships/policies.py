"""Default role rules for relationships: what each built-in role may do with its records.

Data, read when a tenant is created (a tenant's admin changes them afterwards); a rule's
scope must be one the record type's row-scope strategy honours (checked at start-up).
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", ("relationship",), ("read", "create", "update", "archive", "delete"), "tenant"),
    *grant("sales_manager", ("relationship_kind",), ("read",), "tenant"),
    *grant("sales_rep", ("relationship",), ("read", "create", "update", "delete"), "tenant"),
    *grant("sales_rep", ("relationship_kind",), ("read",), "tenant"),
    *grant("marketing_manager", ("relationship", "relationship_kind"), ("read",), "tenant"),
    *grant("service_agent", ("relationship", "relationship_kind"), ("read",), "tenant"),
    *grant("analyst", ("relationship", "relationship_kind"), ("read",), "tenant"),
    *grant("integration", ("relationship",), ("read", "create", "update"), "tenant"),
    *grant("integration", ("relationship_kind",), ("read",), "tenant"),
)
