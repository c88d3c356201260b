"""Read declarations for pipelines, stages, opportunities and stage history."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from crm_graph.domains.opportunities import models
from crm_graph.readside.common import lower, nulls_last_date, record_fields, record_filters, record_orders
from crm_graph.readside.spec import (
    Col,
    Entity,
    Filter,
    FilterOp,
    Inherits,
    Many,
    Order,
    Owned,
    Ref,
    TenantWide,
)

PIPELINE = Entity(
    name="Pipeline",
    record_type="pipeline",
    table=models.Pipeline.__table__,
    tag=30,
    fields=[
        Col("name", str, description="Name of the pipeline, e.g. New business."),
        Col(
            "is_default",
            bool,
            description="New opportunities go here unless another pipeline is given; one per tenant.",
        ),
        Col("stale_after_days", int, description="Days without an interaction before an opportunity is stale."),
        *record_fields(),
    ],
    many=[
        Many("stages", "Stage", fk="pipeline_id", order="position", description="Its stages, in order."),
        Many(
            "opportunities",
            "Opportunity",
            fk="pipeline_id",
            order="created_at",
            descending=True,
            description="Deals in this pipeline, newest first.",
        ),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("name",), description="Case-insensitive text contained in the name."),
        *record_filters(),
    ],
    orders=[Order("name", lower("name"), description="By name, case-insensitive."), *record_orders()],
    default_order="name",
    scope=TenantWide(),
    description="An ordered sequence of stages an opportunity moves through.",
)

STAGE = Entity(
    name="Stage",
    record_type="stage",
    table=models.Stage.__table__,
    tag=31,
    fields=[
        Col("name", str, description="Name of the stage, e.g. Proposal."),
        Col("position", int, description="Order of the stage in its pipeline, from 0."),
        Col("probability", int, description="Win probability in percent."),
        Col("is_won", bool, description="Reaching this stage wins the deal."),
        Col("is_lost", bool, description="Reaching this stage loses the deal."),
        *record_fields(),
    ],
    refs=[Ref("pipeline", "Pipeline", "pipeline_id", description="The pipeline this stage belongs to.")],
    orders=[Order("position", lambda t: [t.c.position], description="By position in the pipeline."), *record_orders()],
    default_order="position",
    scope=TenantWide(),
    description="A step of a pipeline, with the win probability it implies.",
)

OPPORTUNITY = Entity(
    name="Opportunity",
    record_type="opportunity",
    table=models.Opportunity.__table__,
    tag=32,
    fields=[
        Col("name", str, description="Name of the deal."),
        Col(
            "amount",
            Decimal | None,
            guarded=True,
            description="Expected value in `currency`; null if unknown, or with a FORBIDDEN error for roles denied opportunity.amount.",
        ),
        Col("currency", str, description="ISO 4217 code."),
        Col("probability", int | None, description="Win probability in percent."),
        Col("expected_close_date", date | None, description="When the deal is expected to close (a calendar date)."),
        Col(
            "status",
            models.OpportunityStatus,
            enum=models.OpportunityStatus,
            description="Open, won or lost; set by moving to a won or lost stage.",
        ),
        Col("lost_reason", str | None, description="Why it was lost, when it was."),
        Col("source", str | None, description="Where the deal came from, e.g. referral, website."),
        Col("closed_at", datetime | None, description="When it was won or lost; null while open."),
        *record_fields(),
    ],
    refs=[
        Ref("organization", "Organization", "organization_id", description="The organization the deal is with."),
        Ref(
            "primary_contact",
            "Contact",
            "primary_contact_id",
            description="The main person on the other side, if set and visible to you.",
        ),
        Ref("owner", "User", "owner_id", description="The user responsible for the deal."),
        Ref("pipeline", "Pipeline", "pipeline_id", description="The pipeline it moves through."),
        Ref("stage", "Stage", "stage_id", description="Its current stage."),
    ],
    many=[
        Many(
            "stage_history",
            "OpportunityStageChange",
            fk="opportunity_id",
            order="changed_at",
            description="Every stage move, oldest first.",
        ),
        Many(
            "interactions",
            "Interaction",
            fk="opportunity_id",
            order="occurred_at",
            descending=True,
            description="Interactions about this deal, latest first.",
        ),
        Many(
            "tasks", "Task", fk="record_id", order="due_at", description="Tasks linked to this deal, soonest due first."
        ),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("name",), description="Case-insensitive text contained in the name."),
        Filter(
            "status",
            FilterOp.EQ_ANY,
            ("status",),
            models.OpportunityStatus,
            description="Deals with any of these statuses.",
        ),
        Filter(
            "organization",
            FilterOp.REF,
            ("organization_id",),
            entity="Organization",
            description="Global IDs of organizations; deals with any of them.",
        ),
        Filter(
            "owner",
            FilterOp.REF,
            ("owner_id",),
            entity="User",
            description="Global IDs of users; deals owned by any of them.",
        ),
        Filter(
            "pipeline",
            FilterOp.REF,
            ("pipeline_id",),
            entity="Pipeline",
            description="Global IDs of pipelines; deals in any of them.",
        ),
        Filter(
            "stage",
            FilterOp.REF,
            ("stage_id",),
            entity="Stage",
            description="Global IDs of stages; deals currently at any of them.",
        ),
        Filter(
            "amount",
            FilterOp.RANGE,
            ("amount",),
            Decimal,
            description="Inclusive bounds on the amount (any currency); a deal without an amount does not match.",
        ),
        Filter(
            "expected_close_date",
            FilterOp.RANGE,
            ("expected_close_date",),
            date,
            description="Expected to close within these dates; a deal without a date does not match.",
        ),
        Filter(
            "currency",
            FilterOp.EQ_ANY,
            ("currency",),
            str,
            description="Deals in any of these currencies (ISO 4217 codes).",
        ),
        *record_filters(),
    ],
    orders=[
        Order("name", lower("name"), description="By name, case-insensitive."),
        Order(
            "amount",
            lambda t: [sa.func.coalesce(t.c.amount, -1)],
            description="By amount; unknown amounts sort as smallest.",
        ),
        Order(
            "expected_close_date",
            nulls_last_date("expected_close_date"),
            description="By expected close date; deals without one last.",
        ),
        *record_orders(),
    ],
    default_order="created_at",
    default_descending=True,
    scope=Owned(),
    description="A potential deal with an organization, moving through a pipeline.",
)

STAGE_CHANGE = Entity(
    name="OpportunityStageChange",
    record_type="opportunity_stage_change",
    table=models.OpportunityStageChange.__table__,
    tag=33,
    fields=[Col("changed_at", datetime, description="When the opportunity moved (UTC, ISO 8601)."), *record_fields()],
    refs=[
        Ref("opportunity", "Opportunity", "opportunity_id", description="The opportunity that moved."),
        Ref("from_stage", "Stage", "from_stage_id", description="The stage it left; null for its first stage."),
        Ref("to_stage", "Stage", "to_stage_id", description="The stage it moved to."),
        Ref("changed_by", "User", "changed_by_id", description="The user who moved it."),
    ],
    orders=[Order("changed_at", lambda t: [t.c.changed_at], description="By when it moved."), *record_orders()],
    default_order="changed_at",
    scope=Inherits("opportunity"),  # a stage change is as visible as its opportunity
    archivable=False,
    description="One move of an opportunity from a stage to another.",
)
