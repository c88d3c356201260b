"""Read declaration of approval requests."""

from __future__ import annotations

from datetime import datetime

from crm_graph.domains.approvals import models
from crm_graph.readside.common import record_fields, record_filters, record_orders
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Owned, Ref

APPROVAL_REQUEST = Entity(
    name="ApprovalRequest",
    record_type="approval_request",
    table=models.ApprovalRequest.__table__,
    tag=95,
    fields=[
        Col("kind", str, description="What is asked, e.g. quote_discount (a discount above the tenant's threshold)."),
        Col("reason", str, description="Why approval is needed, in words, e.g. Line discount 35% exceeds 20%."),
        Col(
            "status",
            models.ApprovalStatus,
            enum=models.ApprovalStatus,
            description="Pending, approved, rejected or cancelled.",
        ),
        Col("decided_at", datetime | None, description="When it was approved or rejected (UTC); null while pending."),
        Col("comment", str | None, description="The approver's comment on the decision."),
        *record_fields(),
    ],
    refs=[
        Ref(
            "record",
            None,
            "record_id",
            type_column="record_type",
            record_types=("quote",),
            description="The record waiting for approval (a Quote).",
        ),
        Ref("requested_by", "User", "requested_by_id", description="Who asked for the approval."),
        Ref("decided_by", "User", "decided_by_id", description="Who approved or rejected it."),
    ],
    filters=[
        Filter(
            "status",
            FilterOp.EQ_ANY,
            ("status",),
            models.ApprovalStatus,
            description="Requests with any of these statuses.",
        ),
        *record_filters(),
    ],
    orders=[*record_orders()],
    default_order="created_at",
    default_descending=True,
    # The requester sees their own requests; a manager those of their team; an admin all.
    scope=Owned("requested_by_id"),
    archivable=False,
    description="A record waiting for (or given) the approval of someone with the right to approve it.",
)
