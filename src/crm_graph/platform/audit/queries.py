"""Read declaration of the audit log (admins only)."""

from __future__ import annotations

from datetime import datetime

from crm_graph.platform.audit import models
from crm_graph.readside.spec import About, Col, Entity, Filter, FilterOp, Order, Ref

AUDIT_ENTRY = Entity(
    name="AuditEntry",
    record_type="audit_entry",
    table=models.AuditEntry.__table__,
    tag=50,
    fields=[
        Col("seq", int, description="Position in the tenant's hash chain."),
        Col("occurred_at", datetime, description="When it happened (UTC, ISO 8601)."),
        Col("action", str, description="e.g. organization.updated, policy.granted, api_key.used."),
        Col(
            "record_type",
            str | None,
            description="Type of the record it is about (organization, contact, policy...); null for tenant-wide actions.",
        ),
        Col(
            "request_id",
            str | None,
            description="ID of the API request that made the change (the X-Request-ID header), to correlate with logs.",
        ),
        Col("client_address", str | None, description="IP address the request came from, as the server saw it."),
        Col("prev_hash", str, description="Hash of the entry before it in the chain (hex SHA-256)."),
        Col(
            "hash",
            str,
            description="Hash of this entry and prev_hash (hex SHA-256); a changed or removed entry breaks the chain.",
        ),
    ],
    refs=[
        Ref(
            "actor",
            "User",
            "actor_user_id",
            description="The user who acted; null for API keys, jobs and users since deleted.",
        ),
        Ref(
            "record",
            None,
            "record_id",
            type_column="record_type",
            description="The record it is about, while it exists and is visible to you.",
        ),
    ],
    filters=[
        Filter(
            "actions",
            FilterOp.EQ_ANY,
            ("action",),
            str,
            description="Entries of any of these actions, e.g. contact.updated.",
        ),
        Filter(
            "record_types",
            FilterOp.EQ_ANY,
            ("record_type",),
            str,
            description="Entries about records of any of these types.",
        ),
        Filter(
            "actor",
            FilterOp.REF,
            ("actor_user_id",),
            entity="User",
            description="Global IDs of users; entries of actions by any of them.",
        ),
        Filter("occurred_at", FilterOp.RANGE, ("occurred_at",), datetime, description="Happened within these bounds."),
    ],
    orders=[
        Order("seq", lambda t: [t.c.seq], description="By position in the chain (the order entries were written)."),
        Order("occurred_at", lambda t: [t.c.occurred_at], description="By when it happened."),
    ],
    default_order="seq",
    default_descending=True,
    scope=About("record"),
    archivable=False,
    description="An entry of the append-only, hash-chained audit log.",
)
