"""Default role rules for opportunities: what each built-in role may do with its records.

Data, read when a tenant is created (a tenant's admin changes them afterwards); a rule's
scope must be one the record type's row-scope strategy honours (checked at start-up).
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", ("opportunity",), ("read", "create", "update", "archive", "delete"), "team"),
    *grant("sales_manager", ("pipeline", "stage"), ("create", "update", "read"), "tenant"),
    *grant("sales_manager", ("opportunity_stage_change",), ("read",), "tenant"),
    *grant("sales_rep", ("opportunity",), ("read", "create", "update", "archive"), "own"),
    *grant("sales_rep", ("pipeline", "stage", "opportunity_stage_change"), ("read",), "tenant"),
    *grant("marketing_manager", ("pipeline", "stage", "opportunity_stage_change"), ("read",), "tenant"),
    *grant("service_agent", ("opportunity", "pipeline", "stage", "opportunity_stage_change"), ("read",), "tenant"),
    ("service_agent", "opportunity.amount", "*", "tenant", "deny"),
    *grant("analyst", ("opportunity", "pipeline", "stage", "opportunity_stage_change"), ("read",), "tenant"),
    *grant("integration", ("opportunity",), ("read", "create", "update"), "tenant"),
    *grant("integration", ("pipeline", "stage", "opportunity_stage_change"), ("read",), "tenant"),
)
