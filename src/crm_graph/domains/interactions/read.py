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
        Col(
            "kind",
            models.InteractionKind,
            enum=models.InteractionKind,
            description="The channel: call, email, meeting, note, chat, social or visit.",
        ),
        Col(
            "direction",
            models.Direction,
            enum=models.Direction,
            description="Who started it: inbound, outbound or internal.",
        ),
        Col("occurred_at", datetime, description="When it happened (UTC, ISO 8601)."),
        Col("subject", str, description="One-line summary."),
        Col("body", str | None, description="Full text: notes, the email body, minutes."),
        Col("duration_minutes", int | None, description="How long it lasted, in minutes (calls, meetings, visits)."),
        *record_fields(),
    ],
    refs=[
        Ref("organization", "Organization", "organization_id", description="The organization it concerns, if any."),
        Ref(
            "opportunity",
            "Opportunity",
            "opportunity_id",
            description="The deal it concerns, if any; it keeps the deal from going stale.",
        ),
        Ref("owner", "User", "owner_id", description="The user who logged it and is responsible for it."),
        Ref("lead", "Lead", "lead_id", description="The lead it was with, if any and visible to you."),
    ],
    many=[
        Many(
            "contacts",
            "Contact",
            through=Through(_participants, "interaction_id", "contact_id"),
            order="name",
            description="Contacts who took part.",
        ),
        Many(
            "users",
            "User",
            through=Through(_participants, "interaction_id", "user_id"),
            order="name",
            description="Users who took part; they see it under an `own` rule.",
        ),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("subject",), description="Case-insensitive text contained in the subject."),
        Filter(
            "kinds",
            FilterOp.EQ_ANY,
            ("kind",),
            models.InteractionKind,
            description="Interactions of any of these kinds.",
        ),
        Filter(
            "direction",
            FilterOp.EQ_ANY,
            ("direction",),
            models.Direction,
            description="Interactions in any of these directions.",
        ),
        Filter(
            "organization",
            FilterOp.REF,
            ("organization_id",),
            entity="Organization",
            description="Global IDs of organizations; interactions about any of them.",
        ),
        Filter(
            "opportunity",
            FilterOp.REF,
            ("opportunity_id",),
            entity="Opportunity",
            description="Global IDs of opportunities; interactions about any of them.",
        ),
        Filter(
            "lead",
            FilterOp.REF,
            ("lead_id",),
            entity="Lead",
            description="Global IDs of leads; interactions with any of them.",
        ),
        Filter(
            "owner",
            FilterOp.REF,
            ("owner_id",),
            entity="User",
            description="Global IDs of users; interactions owned by any of them.",
        ),
        Filter("occurred_at", FilterOp.RANGE, ("occurred_at",), datetime, description="Happened within these bounds."),
        *record_filters(),
    ],
    orders=[Order("occurred_at", lambda t: [t.c.occurred_at], description="By when it happened."), *record_orders()],
    default_order="occurred_at",
    default_descending=True,
    scope=Participants("owner_id", _participants, "interaction_id", "user_id"),
    description="A call, email, meeting, note, chat, social touch or visit.",
)
