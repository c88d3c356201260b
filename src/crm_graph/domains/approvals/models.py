"""Approval requests: a record waiting for someone with the right to approve it.

Small on purpose: one request, one decision. Workflow automation will generalise who
approves, in what order and on timeout; the request keeps the record it is about
(polymorphic: record type and id) so any domain can ask for one.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import TenantRecord


class ApprovalStatus(enum.Enum):
    """Where an approval request stands."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    __descriptions__: ClassVar[dict[str, str]] = {
        "PENDING": "Waiting for a decision.",
        "APPROVED": "Approved by someone with the right to.",
        "REJECTED": "Rejected, with the approver's comment.",
        "CANCELLED": "Withdrawn before a decision (the record was revised or closed).",
    }


class ApprovalRequest(TenantRecord, table=True):
    __tablename__ = "approval_requests"
    __table_args__ = (
        sa.Index("ix_approval_requests_record", "tenant_id", "record_type", "record_id", "created_at"),
        sa.Index("ix_approval_requests_tenant_status", "tenant_id", "status", "created_at"),
        sa.Index("ix_approval_requests_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_approval_requests_tenant_updated", "tenant_id", "updated_at", "id"),
        # One open request per record at a time.
        sa.Index(
            "ux_approval_requests_pending",
            "tenant_id",
            "record_type",
            "record_id",
            unique=True,
            postgresql_where=sa.text("status = 'pending'"),
        ),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'cancelled')", name="status"),
    )

    record_type: str
    record_id: uuid.UUID
    kind: str  # what is asked, e.g. quote_discount
    reason: str  # why approval is needed, in words
    status: str = Field(default=ApprovalStatus.PENDING.value)
    requested_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    decided_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    decided_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    comment: str | None = None
