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
        Col("occurred_at", datetime),
        Col("action", str, description="e.g. organization.updated, policy.granted, api_key.used."),
        Col("record_type", str | None),
        Col("request_id", str | None),
        Col("client_address", str | None),
        Col("prev_hash", str),
        Col("hash", str),
    ],
    refs=[
        Ref("actor", "User", "actor_user_id"),
        Ref("record", None, "record_id", type_column="record_type"),
    ],
    filters=[
        Filter("actions", FilterOp.EQ_ANY, ("action",), str),
        Filter("record_types", FilterOp.EQ_ANY, ("record_type",), str),
        Filter("actor", FilterOp.REF, ("actor_user_id",), entity="User"),
        Filter("occurred_at", FilterOp.RANGE, ("occurred_at",), datetime),
    ],
    orders=[Order("seq", lambda t: [t.c.seq]), Order("occurred_at", lambda t: [t.c.occurred_at])],
    default_order="seq",
    default_descending=True,
    scope=About("record"),
    archivable=False,
    description="An entry of the append-only, hash-chained audit log.",
)
