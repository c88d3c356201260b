"""The tasks domain's event types."""

from __future__ import annotations

from crm_graph.domains.tasks.models import Task
from crm_graph.kernel.catalog import EventType, lifecycle

EVENT_TYPES: list[EventType] = [
    *lifecycle("task", Task.__table__),
    EventType("task.completed", "task", "A task was marked done.", ("status", "completed_at")),
]
