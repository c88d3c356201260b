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
        Col("title", str),
        Col("description", str | None),
        Col("due_at", datetime | None),
        Col("status", models.TaskStatus, enum=models.TaskStatus),
        Col("completed_at", datetime | None),
        *record_fields(),
    ],
    refs=[
        Ref("assignee", "User", "assignee_id"),
        Ref("record", None, "record_id", type_column="record_type"),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("title",)),
        Filter("status", FilterOp.EQ_ANY, ("status",), models.TaskStatus),
        Filter("assignee", FilterOp.REF, ("assignee_id",), entity="User"),
        Filter("due_at", FilterOp.RANGE, ("due_at",), datetime),
        *record_filters(),
    ],
    orders=[
        Order("due_at", nulls_last_timestamp("due_at")),
        *record_orders(),
    ],
    default_order="due_at",
    scope=Assigned(user_column="assignee_id"),
    description="A to-do for a user, optionally linked to a record.",
)
