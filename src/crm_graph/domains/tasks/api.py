"""Task mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import strawberry

from crm_graph.api.kit.builder import gql_enum
from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.mutations import ANY_NODE, archive_mutations, mutation
from crm_graph.domains.tasks import service
from crm_graph.domains.tasks.models import TaskStatus

gql_enum(TaskStatus)
UNSET = strawberry.UNSET


@strawberry.input(description="A new task; only the title is required.")
class TaskCreateInput:
    title: str
    description: Optional[str] = None
    due_at: Optional[datetime] = None
    assignee_id: Optional[strawberry.ID] = strawberry.field(default=None, description="Defaults to you.")
    record_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="The organization, contact, opportunity or lead the task is about."
    )


@strawberry.input(description="Only the fields you give change; null clears a field. Use taskComplete to mark it done.")
class TaskUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = strawberry.field(
        default=None, description="Fail with Conflict if the record moved on."
    )
    title: Optional[str] = UNSET
    description: Optional[str] = UNSET
    due_at: Optional[datetime] = UNSET
    status: Optional[TaskStatus] = strawberry.field(default=UNSET, description="OPEN, IN_PROGRESS or CANCELLED.")
    assignee_id: Optional[strawberry.ID] = UNSET
    record_id: Optional[strawberry.ID] = UNSET


@strawberry.input(description="Completing a done task succeeds and changes nothing.")
class TaskCompleteInput:
    id: strawberry.ID
    expected_version: Optional[int] = None


TASK_IDS = {"assignee_id": "User", "record_id": ANY_NODE}

FIELDS = {
    "task_create": mutation(
        "taskCreate",
        TaskCreateInput,
        entity="Task",
        policy=Policy("task", "create"),
        handler=service.create_task,
        ids=TASK_IDS,
        description="Create a task, assigned to you unless assigneeId says otherwise.",
    ),
    "task_update": mutation(
        "taskUpdate",
        TaskUpdateInput,
        entity="Task",
        policy=Policy("task", "update"),
        handler=service.update_task,
        ids=TASK_IDS,
        description="Change some fields of a task, or reassign it.",
    ),
    "task_complete": mutation(
        "taskComplete",
        TaskCompleteInput,
        entity="Task",
        policy=Policy("task", "update"),
        handler=service.complete_task,
        description="Mark a task done; completedAt is set.",
    ),
    **archive_mutations("Task", (service.archive_task, service.restore_task)),
}
