"""Default role rules for identity: what each built-in role may do with its records.

Data, read when a tenant is created (a tenant's admin changes them afterwards); a rule's
scope must be one the record type's row-scope strategy honours (checked at start-up).
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", ("user", "team"), ("read",), "tenant"),
    *grant("sales_rep", ("user", "team"), ("read",), "tenant"),
    *grant("marketing_manager", ("user", "team"), ("read",), "tenant"),
    *grant("service_agent", ("user", "team"), ("read",), "tenant"),
    *grant("analyst", ("user", "team"), ("read",), "tenant"),
    *grant("integration", ("user", "team"), ("read",), "tenant"),
)
