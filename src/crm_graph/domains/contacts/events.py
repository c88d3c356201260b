"""The contacts domain's event types."""

from __future__ import annotations

from crm_graph.domains.contacts.models import Contact
from crm_graph.kernel.catalog import EventType, lifecycle

EVENT_TYPES: list[EventType] = [
    *lifecycle("contact", Contact.__table__),
    EventType(
        "contact.merged",
        "contact",
        "Duplicates were merged into this contact (they are archived; their references now point here).",
        ("merged_ids",),
    ),
]
