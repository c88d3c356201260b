"""Read declarations for interactions (activities)."""

from __future__ import annotations

from datetime import datetime

from crm_graph.domains.interactions import models
from crm_graph.readside.common import record_fields, record_filters, record_orders
from crm_graph.readside.spec import (
    Col,
    Entity,
    Filter,
    FilterOp,
    Many,
    Order,
    Participants,
    Ref,
    Through,
)

_participants = models.InteractionParticipant.__table__

INTERACTION = Entity(
    name="Interaction",
    record_type="interaction",
    table=models.Interaction.__table__,
    tag=40,
    fields=[
        Col("kind", models.InteractionKind, enum=models.InteractionKind),
        Col("direction", models.Direction, enum=models.Direction),
        Col("occurred_at", datetime),
        Col("subject", str),
        Col("body", str | None),
        Col("duration_minutes", int | None),
        *record_fields(),
    ],
    refs=[
        Ref("organization", "Organization", "organization_id"),
        Ref("opportunity", "Opportunity", "opportunity_id"),
        Ref("owner", "User", "owner_id"),
    ],
    many=[
        Many("contacts", "Contact", through=Through(_participants, "interaction_id", "contact_id"), order="name"),
        Many("users", "User", through=Through(_participants, "interaction_id", "user_id"), order="name"),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("subject",)),
        Filter("kinds", FilterOp.EQ_ANY, ("kind",), models.InteractionKind),
        Filter("direction", FilterOp.EQ_ANY, ("direction",), models.Direction),
        Filter("organization", FilterOp.REF, ("organization_id",), entity="Organization"),
        Filter("opportunity", FilterOp.REF, ("opportunity_id",), entity="Opportunity"),
        Filter("owner", FilterOp.REF, ("owner_id",), entity="User"),
        Filter("occurred_at", FilterOp.RANGE, ("occurred_at",), datetime),
        *record_filters(),
    ],
    orders=[Order("occurred_at", lambda t: [t.c.occurred_at]), *record_orders()],
    default_order="occurred_at",
    default_descending=True,
    scope=Participants("owner_id", _participants, "interaction_id", "user_id"),
    description="A call, email, meeting, note, chat, social touch or visit.",
)
