"""The opportunities domain's event types: opportunities, pipelines and their stages."""

from __future__ import annotations

from crm_graph.domains.opportunities.models import Opportunity, Pipeline, Stage
from crm_graph.kernel.catalog import EventType, lifecycle

_MOVE = ("stage_id", "status", "probability", "closed_at", "lost_reason")

EVENT_TYPES: list[EventType] = [
    *lifecycle("opportunity", Opportunity.__table__),
    EventType(
        "opportunity.stage_changed",
        "opportunity",
        "An opportunity moved to another open stage (its probability follows the stage).",
        _MOVE,
    ),
    EventType("opportunity.won", "opportunity", "An opportunity was won: moved to its pipeline's won stage.", _MOVE),
    EventType("opportunity.lost", "opportunity", "An opportunity was lost, with the reason.", _MOVE),
    *lifecycle("pipeline", Pipeline.__table__, actions=("created", "updated")),
    *lifecycle("stage", Stage.__table__, actions=("created", "updated", "archived")),
]
