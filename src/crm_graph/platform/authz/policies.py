"""Default role rules for authz: what each built-in role may do with its records.

Data, read when a tenant is created (a tenant's admin changes them afterwards); a rule's
scope must be one the record type's row-scope strategy honours (checked at start-up).
"""

from __future__ import annotations

from crm_graph.kernel.domain import Rule

RULES: tuple[Rule, ...] = (("admin", "*", "*", "tenant", "allow"),)
