"""Tasks: to-dos for a user, optionally about an organization, contact, opportunity or lead."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import TenantRecord


class TaskStatus(enum.Enum):
    """How far a task is."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"

    __descriptions__: ClassVar[dict[str, str]] = {  # GraphQL descriptions of the values (api.kit.builder.gql_enum)
        "OPEN": "Not started.",
        "IN_PROGRESS": "Being worked on.",
        "DONE": "Completed; completedAt says when.",
        "CANCELLED": "Will not be done.",
    }


class Task(TenantRecord, table=True):
    __tablename__ = "tasks"
    __table_args__ = (
        sa.Index("ix_tasks_tenant_due", "tenant_id", "due_at", "id"),
        sa.Index("ix_tasks_record", "record_id"),
        sa.Index("ix_tasks_tenant_status", "tenant_id", "status"),
        sa.Index("ix_tasks_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_tasks_tenant_updated", "tenant_id", "updated_at", "id"),
        sa.Index("ix_tasks_title_trgm", "title", postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"}),
    )

    title: str
    description: str | None = None
    due_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    status: str = Field(default=TaskStatus.OPEN.value)
    assignee_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    record_type: str | None = None  # organization | contact | opportunity | lead
    record_id: uuid.UUID | None = None
    completed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
