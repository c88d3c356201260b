"""Read declarations for contacts."""

from __future__ import annotations

import sqlalchemy as sa

from crm_graph.domains.accounts.models import LifecycleStage
from crm_graph.domains.contacts import models
from crm_graph.domains.interactions import models as interactions
from crm_graph.domains.relationships.read import edge_relation
from crm_graph.readside.common import record_fields, record_filters, record_orders
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Many, Order, Owned, Ref, Through

CONTACT = Entity(
    name="Contact",
    record_type="contact",
    table=models.Contact.__table__,
    tag=11,
    fields=[
        Col("first_name", str),
        Col("last_name", str),
        Col("emails", list[str], guarded=True),
        Col("phones", list[str], guarded=True),
        Col("title", str | None),
        Col("lifecycle_stage", LifecycleStage, enum=LifecycleStage),
        Col("tags", list[str]),
        Col("email_opt_in", bool),
        Col("sms_opt_in", bool),
        Col("do_not_call", bool),
        Col("attributes", dict, description="Custom attributes (JSON object)."),
        *record_fields(),
    ],
    refs=[Ref("organization", "Organization", "organization_id"), Ref("owner", "User", "owner_id")],
    many=[
        Many(
            "interactions",
            "Interaction",
            through=Through(interactions.InteractionParticipant.__table__, "contact_id", "interaction_id"),
            order="occurred_at",
            descending=True,
        ),
        Many("opportunities", "Opportunity", fk="primary_contact_id", order="created_at", descending=True),
        Many("tasks", "Task", fk="record_id", order="due_at"),
        edge_relation(),
    ],
    filters=[
        Filter("search", FilterOp.SEARCH, ("first_name", "last_name", "emails")),
        Filter("organization", FilterOp.REF, ("organization_id",), entity="Organization"),
        Filter("lifecycle_stage", FilterOp.EQ_ANY, ("lifecycle_stage",), LifecycleStage),
        Filter("tags", FilterOp.OVERLAPS, ("tags",), str),
        Filter("owner", FilterOp.REF, ("owner_id",), entity="User"),
        Filter("email_opt_in", FilterOp.EQ_ANY, ("email_opt_in",), bool),
        *record_filters(),
    ],
    orders=[
        Order("name", lambda t: [sa.func.lower(t.c.last_name), sa.func.lower(t.c.first_name)]),
        *record_orders(),
    ],
    default_order="name",
    scope=Owned(),
    description="A person at a customer, prospect, partner or supplier.",
)
