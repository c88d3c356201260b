"""The relationships domain's event types: edges between records and their kinds."""

from __future__ import annotations

from crm_graph.domains.relationships.models import Relationship, RelationshipKind
from crm_graph.kernel.catalog import EventType, lifecycle

EVENT_TYPES: list[EventType] = [
    *lifecycle("relationship", Relationship.__table__, actions=("created", "updated")),
    EventType(
        "relationship.deleted",
        "relationship",
        "A relationship was deleted: its ends, each to null.",
        ("source_type", "source_id", "target_type", "target_id"),
    ),
    *lifecycle("relationship_kind", RelationshipKind.__table__, noun="relationship kind", actions=("created",)),
]
