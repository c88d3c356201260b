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
        Col("name", str, description="The organization's name."),
        Col(
            "kinds",
            list[models.OrganizationKind],
            enum=models.OrganizationKind,
            description="What it is to the tenant: customer, prospect, partner, competitor, supplier (any of them).",
        ),
        Col("industry", str | None, description="Free-text industry, e.g. Software."),
        Col("region", str | None, description="Sales region it belongs to, as the tenant names them."),
        Col("country", str | None, description="ISO 3166-1 alpha-2 code."),
        Col("website", str | None, description="Home page URL."),
        Col("size", int | None, description="Number of employees."),
        Col(
            "lifecycle_stage",
            models.LifecycleStage,
            enum=models.LifecycleStage,
            description="Where it is in its relation with the tenant.",
        ),
        Col("tags", list[str], description="Free labels for grouping and filtering."),
        Col("attributes", dict, description="Custom attributes (JSON object)."),
        *record_fields(),
    ],
    refs=[
        Ref(
            "owner",
            "User",
            "owner_id",
            description="The user responsible for it; owners see their records under an `own` rule.",
        )
    ],
    many=[
        Many("contacts", "Contact", fk="organization_id", order="name", description="People who work there."),
        Many(
            "opportunities",
            "Opportunity",
            fk="organization_id",
            order="created_at",
            descending=True,
            description="Deals with it, newest first.",
        ),
        Many(
            "interactions",
            "Interaction",
            fk="organization_id",
            order="occurred_at",
            descending=True,
            description="Calls, emails, meetings and notes about it, latest first.",
        ),
        Many("tasks", "Task", fk="record_id", order="due_at", description="Tasks linked to it, soonest due first."),
        edge_relation(),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("name",), description="Case-insensitive text contained in the name."),
        Filter(
            "kinds",
            FilterOp.OVERLAPS,
            ("kinds",),
            models.OrganizationKind,
            description="Organizations of at least one of these kinds.",
        ),
        Filter(
            "industry",
            FilterOp.EQ_ANY,
            ("industry",),
            str,
            description="Organizations in any of these industries (exact values).",
        ),
        Filter("region", FilterOp.EQ_ANY, ("region",), str, description="Organizations in any of these regions."),
        Filter(
            "country",
            FilterOp.EQ_ANY,
            ("country",),
            str,
            description="Organizations in any of these countries (ISO 3166-1 alpha-2 codes).",
        ),
        Filter(
            "lifecycle_stage",
            FilterOp.EQ_ANY,
            ("lifecycle_stage",),
            models.LifecycleStage,
            description="Organizations at any of these lifecycle stages.",
        ),
        Filter(
            "tags", FilterOp.OVERLAPS, ("tags",), str, description="Organizations having at least one of these tags."
        ),
        Filter(
            "owner",
            FilterOp.REF,
            ("owner_id",),
            entity="User",
            description="Global IDs of users; organizations owned by any of them.",
        ),
        Filter(
            "size",
            FilterOp.RANGE,
            ("size",),
            int,
            description="Inclusive bounds on the number of employees; an organization without a size does not match.",
        ),
        *record_filters(),
    ],
    orders=[
        Order("name", lower("name"), description="By name, case-insensitive."),
        Order(
            "size",
            lambda t: [sa.func.coalesce(t.c.size, -1)],
            description="By number of employees; unknown sizes sort as smallest.",
        ),
        *record_orders(),
    ],
    default_order="name",
    scope=Owned(),
    description="A company: customer, prospect, partner, competitor or supplier.",
)
