"""The approvals domain's event types."""

from __future__ import annotations

from crm_graph.domains.approvals.models import ApprovalRequest
from crm_graph.kernel.catalog import EventType, lifecycle

_DECISION = ("status", "decided_by_id", "decided_at", "comment")

EVENT_TYPES: list[EventType] = [
    *lifecycle("approval_request", ApprovalRequest.__table__, actions=("created",)),
    EventType("approval_request.approved", "approval_request", "An approval request was approved.", _DECISION),
    EventType(
        "approval_request.rejected", "approval_request", "An approval request was rejected, with a comment.", _DECISION
    ),
    EventType(
        "approval_request.cancelled",
        "approval_request",
        "A pending approval request was withdrawn (its record was revised or submitted again).",
        _DECISION,
    ),
]
