"""Read declaration for tasks."""

from __future__ import annotations

from datetime import datetime

from crm_graph.domains.tasks import models
from crm_graph.readside.common import nulls_last_timestamp, record_fields, record_filters, record_orders
from crm_graph.readside.spec import Assigned, Col, Entity, Filter, FilterOp, Order, Ref

TASK = Entity(
    name="Task",
    record_type="task",
    table=models.Task.__table__,
    tag=41,
    fields=[
        Col("title", str, description="What is to be done, in one line."),
        Col("description", str | None, description="Details, plain text."),
        Col("due_at", datetime | None, description="When it is due (UTC, ISO 8601); null if no deadline."),
        Col("status", models.TaskStatus, enum=models.TaskStatus, description="Open, in progress, done or cancelled."),
        Col("completed_at", datetime | None, description="When it was marked done; null otherwise."),
        *record_fields(),
    ],
    refs=[
        Ref(
            "assignee", "User", "assignee_id", description="The user who is to do it; they see it under an `own` rule."
        ),
        Ref(
            "record",
            None,
            "record_id",
            type_column="record_type",
            description="The record it is about (organization, contact, opportunity...), if any and visible to you.",
        ),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("title",), description="Case-insensitive text contained in the title."),
        Filter(
            "status", FilterOp.EQ_ANY, ("status",), models.TaskStatus, description="Tasks with any of these statuses."
        ),
        Filter(
            "assignee",
            FilterOp.REF,
            ("assignee_id",),
            entity="User",
            description="Global IDs of users; tasks assigned to any of them.",
        ),
        Filter(
            "due_at",
            FilterOp.RANGE,
            ("due_at",),
            datetime,
            description="Due within these bounds; a task without a due date does not match.",
        ),
        *record_filters(),
    ],
    orders=[
        Order("due_at", nulls_last_timestamp("due_at"), description="By due time; tasks without one last."),
        *record_orders(),
    ],
    default_order="due_at",
    scope=Assigned(user_column="assignee_id"),
    description="A to-do for a user, optionally linked to a record.",
)
