"""The built-in roles every new tenant starts with. Their rules are data, declared by
each domain in its `policies.py` and composed over DOMAINS
(crm_graph.domains.enabled.default_rules); a tenant's admin changes them with
roleCreate / roleGrant / roleRevoke.

A rule is (role, object, action, scope, effect). Objects are record types, or
`<type>.<field>` for a field rule; `*` matches any object or action.
"""

from __future__ import annotations

# (child role, parent role): the child has every permission of the parent.
DEFAULT_INHERITANCE: list[tuple[str, str]] = [("service_manager", "service_agent")]

DEFAULT_ROLES = (
    "admin",
    "sales_manager",
    "sales_rep",
    "marketing_manager",
    "service_manager",
    "service_agent",
    "analyst",
    "integration",
)
