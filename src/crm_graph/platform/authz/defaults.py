"""The default roles every new tenant starts with. They are data: a tenant's admin
changes them with roleCreate / roleGrant / roleRevoke.

A rule is (role, object, action, scope, effect). Objects are record types, or
`<type>.<field>` for a field rule; `*` matches any object or action.
"""

from __future__ import annotations

SALES = ("organization", "contact", "opportunity", "interaction", "task", "relationship")
REFERENCE = ("user", "team", "pipeline", "stage", "relationship_kind", "opportunity_stage_change")
WRITE = ("create", "update", "archive", "delete")

Rule = tuple[str, str, str, str, str]


def _grant(role: str, objects: tuple[str, ...], actions: tuple[str, ...], scope: str) -> list[Rule]:
    return [(role, o, a, scope, "allow") for o in objects for a in actions]


def _reference_reads(role: str) -> list[Rule]:
    return _grant(role, REFERENCE, ("read",), "tenant")


DEFAULT_RULES: list[Rule] = [
    ("admin", "*", "*", "tenant", "allow"),
    # Sales managers: every sales record of their team (their own and their team's
    # reps'), organizations and contacts of the whole tenant, and the pipelines.
    *_grant("sales_manager", ("organization", "contact", "relationship"), ("read", *WRITE), "tenant"),
    *_grant("sales_manager", ("opportunity", "interaction", "task"), ("read", *WRITE), "team"),
    *_grant("sales_manager", ("pipeline", "stage"), ("create", "update"), "tenant"),
    *_reference_reads("sales_manager"),
    # Sales reps: read organizations and contacts of the tenant; own everything else.
    *_grant("sales_rep", ("organization", "contact", "relationship"), ("read",), "tenant"),
    *_grant("sales_rep", ("organization", "contact"), ("create", "update", "archive"), "own"),
    *_grant("sales_rep", ("relationship",), ("create", "update", "delete"), "tenant"),
    *_grant("sales_rep", ("opportunity", "interaction", "task"), ("read", "create", "update", "archive"), "own"),
    *_reference_reads("sales_rep"),
    # Marketing: contacts and organizations of the tenant, but not private phone numbers.
    *_grant("marketing_manager", ("organization", "contact", "relationship"), ("read",), "tenant"),
    *_grant("marketing_manager", ("contact",), ("create", "update"), "tenant"),
    ("marketing_manager", "contact.phones", "*", "tenant", "deny"),
    *_reference_reads("marketing_manager"),
    # Service: read customers; log their interactions and tasks; no opportunity amounts.
    *_grant("service_agent", ("organization", "contact", "relationship", "opportunity"), ("read",), "tenant"),
    *_grant("service_agent", ("interaction", "task"), ("read", "create", "update"), "own"),
    ("service_agent", "opportunity.amount", "*", "tenant", "deny"),
    *_reference_reads("service_agent"),
    *_grant("service_manager", ("interaction", "task"), ("read", "create", "update", "archive"), "tenant"),
    *_grant("service_manager", ("contact",), ("update",), "tenant"),
    # Analysts: read everything of the tenant, no personal contact data, write nothing.
    *_grant("analyst", SALES, ("read",), "tenant"),
    ("analyst", "contact.emails", "*", "tenant", "deny"),
    ("analyst", "contact.phones", "*", "tenant", "deny"),
    *_reference_reads("analyst"),
    # Integrations (API keys): read and write sales records of the tenant, never archive.
    *_grant("integration", SALES, ("read", "create", "update"), "tenant"),
    *_reference_reads("integration"),
]

# (child role, parent role): the child has every permission of the parent.
# Everyone reads their own notifications and marks them read.
DEFAULT_RULES += [(role, "notification", action, "own", "allow") for role in (
    "admin", "sales_manager", "sales_rep", "marketing_manager", "service_manager", "service_agent", "analyst",
    "integration") for action in ("read", "update")]

DEFAULT_INHERITANCE: list[tuple[str, str]] = [("service_manager", "service_agent")]

DEFAULT_ROLES = ("admin", "sales_manager", "sales_rep", "marketing_manager", "service_manager", "service_agent",
                 "analyst", "integration")
