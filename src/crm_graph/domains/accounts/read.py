"""Read declarations for organizations."""

from __future__ import annotations

import sqlalchemy as sa

from crm_graph.domains.accounts import models
from crm_graph.domains.relationships.read import edge_relation
from crm_graph.readside.common import lower, record_fields, record_filters, record_orders
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Many, Order, Owned, Ref

ORGANIZATION = Entity(
    name="Organization",
    record_type="organization",
    table=models.Organization.__table__,
    tag=10,
    fields=[
        Col("name", str),
        Col("kinds", list[models.OrganizationKind], enum=models.OrganizationKind),
        Col("industry", str | None),
        Col("region", str | None),
        Col("country", str | None, description="ISO 3166-1 alpha-2 code."),
        Col("website", str | None),
        Col("size", int | None, description="Number of employees."),
        Col("lifecycle_stage", models.LifecycleStage, enum=models.LifecycleStage),
        Col("tags", list[str]),
        Col("attributes", dict, description="Custom attributes (JSON object)."),
        *record_fields(),
    ],
    refs=[Ref("owner", "User", "owner_id")],
    many=[
        Many("contacts", "Contact", fk="organization_id", order="name"),
        Many("opportunities", "Opportunity", fk="organization_id", order="created_at", descending=True),
        Many("interactions", "Interaction", fk="organization_id", order="occurred_at", descending=True),
        Many("tasks", "Task", fk="record_id", order="due_at"),
        edge_relation(),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("name",)),
        Filter("kinds", FilterOp.OVERLAPS, ("kinds",), models.OrganizationKind),
        Filter("industry", FilterOp.EQ_ANY, ("industry",), str),
        Filter("region", FilterOp.EQ_ANY, ("region",), str),
        Filter("country", FilterOp.EQ_ANY, ("country",), str),
        Filter("lifecycle_stage", FilterOp.EQ_ANY, ("lifecycle_stage",), models.LifecycleStage),
        Filter("tags", FilterOp.OVERLAPS, ("tags",), str),
        Filter("owner", FilterOp.REF, ("owner_id",), entity="User"),
        Filter("size", FilterOp.RANGE, ("size",), int),
        *record_filters(),
    ],
    orders=[
        Order("name", lower("name")),
        Order("size", lambda t: [sa.func.coalesce(t.c.size, -1)]),
        *record_orders(),
    ],
    default_order="name",
    scope=Owned(),
    description="A company: customer, prospect, partner, competitor or supplier.",
)

