"""The tasks domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from crm_graph.domains.tasks import events, models, policies, read
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="tasks",
    description="To-dos for users, optionally about a record.",
    tables=(models,),
    entities=(read.TASK,),
    root_lists={"tasks": "Task"},
    api=("crm_graph.domains.tasks.api",),
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
)
