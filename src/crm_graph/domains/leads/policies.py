"""Default role rules for leads: what each built-in role may do with leads, their
rules and web forms. Data, read when a tenant is created; admins have every right
(crm_graph.platform.authz.policies), so only they create web forms by default."""

from __future__ import annotations

from crm_graph.kernel.domain import Rule, grant

WRITE = ("create", "update", "archive")
RULES_OF_LEADS = ("lead_assignment_rule", "lead_scoring_rule")

RULES: tuple[Rule, ...] = (
    # Reps work their own leads; managers their team's, and set the assignment and scoring rules.
    *grant("sales_rep", ("lead",), ("read", *WRITE), "own"),
    *grant("sales_rep", RULES_OF_LEADS, ("read",), "tenant"),
    *grant("sales_manager", ("lead",), ("read", *WRITE), "team"),
    *grant("sales_manager", RULES_OF_LEADS, ("read", *WRITE), "tenant"),
    *grant("sales_manager", ("lead_form",), ("read",), "tenant"),
    # Marketing brings leads in (imports, events, campaigns) and tunes scoring.
    *grant("marketing_manager", ("lead",), ("read", "create", "update"), "tenant"),
    *grant("marketing_manager", ("lead_scoring_rule",), ("read", *WRITE), "tenant"),
    *grant("marketing_manager", ("lead_assignment_rule", "lead_form"), ("read",), "tenant"),
    *grant("analyst", ("lead", *RULES_OF_LEADS, "lead_form"), ("read",), "tenant"),
    *grant("integration", ("lead",), ("read", "create", "update"), "tenant"),
)
