"""Default role rules for contacts: what each built-in role may do with its records.

Data, read when a tenant is created (a tenant's admin changes them afterwards); a rule's
scope must be one the record type's row-scope strategy honours (checked at start-up).
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

RULES: tuple[Rule, ...] = (
    *grant("sales_manager", ("contact",), ("read", "create", "update", "archive", "delete"), "tenant"),
    *grant("sales_rep", ("contact",), ("read",), "tenant"),
    *grant("sales_rep", ("contact",), ("create", "update", "archive"), "own"),
    *grant("marketing_manager", ("contact",), ("read", "create", "update"), "tenant"),
    ("marketing_manager", "contact.phones", "*", "tenant", "deny"),
    *grant("service_agent", ("contact",), ("read",), "tenant"),
    *grant("service_manager", ("contact",), ("update",), "tenant"),
    *grant("analyst", ("contact",), ("read",), "tenant"),
    ("analyst", "contact.emails", "*", "tenant", "deny"),
    ("analyst", "contact.phones", "*", "tenant", "deny"),
    *grant("integration", ("contact",), ("read", "create", "update"), "tenant"),
)
