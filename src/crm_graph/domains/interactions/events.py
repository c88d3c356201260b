"""The interactions domain's event types."""

from __future__ import annotations

from crm_graph.domains.interactions.models import Interaction
from crm_graph.kernel.catalog import EventType, lifecycle, payload_of

# Participants are part of an interaction's payload.
_INTERACTION = (*payload_of(Interaction.__table__), "contact_ids", "user_ids")

EVENT_TYPES: list[EventType] = [
    EventType(
        "interaction.logged",
        "interaction",
        "An interaction (call, meeting, email, note) was logged, with its participants.",
        _INTERACTION,
    ),
    EventType(
        "interaction.updated",
        "interaction",
        "An interaction changed: the changed fields, before and after (participants as contact_ids and user_ids).",
        _INTERACTION,
    ),
    *lifecycle("interaction", Interaction.__table__, actions=("archived", "restored")),
]
