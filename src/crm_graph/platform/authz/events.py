"""The authorization domain's event types: roles and their rules."""

from __future__ import annotations

from crm_graph.kernel.catalog import EventType

_RULE = ("ptype", "subject", "object", "action", "scope", "effect", "created_by_id")

EVENT_TYPES: list[EventType] = [
    EventType("role.created", "role", "A role was created.", ("name", "description")),
    EventType("policy.granted", "policy", "A rule was added to a role.", _RULE),
    EventType(
        "policy.revoked",
        "policy",
        "A rule was removed from a role.",
        ("subject", "object", "action", "scope", "effect"),
    ),
]
