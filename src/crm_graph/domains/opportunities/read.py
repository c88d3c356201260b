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
        Col("name", str),
        Col("is_default", bool),
        Col("stale_after_days", int, description="Days without an interaction before an opportunity is stale."),
        *record_fields(),
    ],
    many=[
        Many("stages", "Stage", fk="pipeline_id", order="position"),
        Many("opportunities", "Opportunity", fk="pipeline_id", order="created_at", descending=True),
    ],
    filters=[Filter("search", FilterOp.SEARCH, ("name",)), *record_filters()],
    orders=[Order("name", lower("name")), *record_orders()],
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
        Col("name", str),
        Col("position", int),
        Col("probability", int, description="Win probability in percent."),
        Col("is_won", bool),
        Col("is_lost", bool),
        *record_fields(),
    ],
    refs=[Ref("pipeline", "Pipeline", "pipeline_id")],
    orders=[Order("position", lambda t: [t.c.position]), *record_orders()],
    default_order="position",
    scope=TenantWide(),
)

OPPORTUNITY = Entity(
    name="Opportunity",
    record_type="opportunity",
    table=models.Opportunity.__table__,
    tag=32,
    fields=[
        Col("name", str),
        Col("amount", Decimal | None, guarded=True),
        Col("currency", str, description="ISO 4217 code."),
        Col("probability", int | None, description="Win probability in percent."),
        Col("expected_close_date", date | None),
        Col("status", models.OpportunityStatus, enum=models.OpportunityStatus),
        Col("lost_reason", str | None),
        Col("source", str | None),
        Col("closed_at", datetime | None),
        *record_fields(),
    ],
    refs=[
        Ref("organization", "Organization", "organization_id"),
        Ref("primary_contact", "Contact", "primary_contact_id"),
        Ref("owner", "User", "owner_id"),
        Ref("pipeline", "Pipeline", "pipeline_id"),
        Ref("stage", "Stage", "stage_id"),
    ],
    many=[
        Many("stage_history", "OpportunityStageChange", fk="opportunity_id", order="changed_at"),
        Many("interactions", "Interaction", fk="opportunity_id", order="occurred_at", descending=True),
        Many("tasks", "Task", fk="record_id", order="due_at"),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("name",)),
        Filter("status", FilterOp.EQ_ANY, ("status",), models.OpportunityStatus),
        Filter("organization", FilterOp.REF, ("organization_id",), entity="Organization"),
        Filter("owner", FilterOp.REF, ("owner_id",), entity="User"),
        Filter("pipeline", FilterOp.REF, ("pipeline_id",), entity="Pipeline"),
        Filter("stage", FilterOp.REF, ("stage_id",), entity="Stage"),
        Filter("amount", FilterOp.RANGE, ("amount",), Decimal),
        Filter("expected_close_date", FilterOp.RANGE, ("expected_close_date",), date),
        Filter("currency", FilterOp.EQ_ANY, ("currency",), str),
        *record_filters(),
    ],
    orders=[
        Order("name", lower("name")),
        Order("amount", lambda t: [sa.func.coalesce(t.c.amount, -1)]),
        Order("expected_close_date", nulls_last_date("expected_close_date")),
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
    fields=[Col("changed_at", datetime), *record_fields()],
    refs=[
        Ref("opportunity", "Opportunity", "opportunity_id"),
        Ref("from_stage", "Stage", "from_stage_id"),
        Ref("to_stage", "Stage", "to_stage_id"),
        Ref("changed_by", "User", "changed_by_id"),
    ],
    orders=[Order("changed_at", lambda t: [t.c.changed_at]), *record_orders()],
    default_order="changed_at",
    scope=Inherits("opportunity"),  # a stage change is as visible as its opportunity
    archivable=False,
)
