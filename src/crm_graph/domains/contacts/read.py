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
        Col("first_name", str, description="Given name."),
        Col("last_name", str, description="Family name."),
        Col(
            "emails",
            list[str],
            guarded=True,
            description="Email addresses, preferred first; null with a FORBIDDEN error for roles denied contact.emails.",
        ),
        Col(
            "phones",
            list[str],
            guarded=True,
            description="Phone numbers (E.164 where known), preferred first; null with a FORBIDDEN error for roles denied contact.phones.",
        ),
        Col("title", str | None, description="Job title."),
        Col(
            "lifecycle_stage",
            LifecycleStage,
            enum=LifecycleStage,
            description="Where the person is in their relation with the tenant.",
        ),
        Col("tags", list[str], description="Free labels for grouping and filtering."),
        Col("email_opt_in", bool, description="Agreed to receive marketing email."),
        Col("sms_opt_in", bool, description="Agreed to receive marketing text messages."),
        Col("do_not_call", bool, description="Asked not to be called."),
        Col("attributes", dict, description="Custom attributes (JSON object)."),
        *record_fields(),
    ],
    refs=[
        Ref(
            "organization",
            "Organization",
            "organization_id",
            description="Where the person works; null if unknown or not visible to you.",
        ),
        Ref("owner", "User", "owner_id", description="The user responsible for this contact."),
    ],
    many=[
        Many(
            "interactions",
            "Interaction",
            through=Through(interactions.InteractionParticipant.__table__, "contact_id", "interaction_id"),
            order="occurred_at",
            descending=True,
            description="Interactions this person took part in, latest first.",
        ),
        Many(
            "opportunities",
            "Opportunity",
            fk="primary_contact_id",
            order="created_at",
            descending=True,
            description="Deals where this person is the primary contact, newest first.",
        ),
        Many(
            "tasks",
            "Task",
            fk="record_id",
            order="due_at",
            description="Tasks linked to this contact, soonest due first.",
        ),
        edge_relation(),
    ],
    filters=[
        Filter(
            "search",
            FilterOp.SEARCH,
            ("first_name", "last_name", "emails"),
            description="Case-insensitive text contained in the first name, last name or an email address.",
        ),
        Filter(
            "organization",
            FilterOp.REF,
            ("organization_id",),
            entity="Organization",
            description="Global IDs of organizations; contacts working at any of them.",
        ),
        Filter(
            "lifecycle_stage",
            FilterOp.EQ_ANY,
            ("lifecycle_stage",),
            LifecycleStage,
            description="Contacts at any of these lifecycle stages.",
        ),
        Filter("tags", FilterOp.OVERLAPS, ("tags",), str, description="Contacts having at least one of these tags."),
        Filter(
            "owner",
            FilterOp.REF,
            ("owner_id",),
            entity="User",
            description="Global IDs of users; contacts owned by any of them.",
        ),
        Filter(
            "email_opt_in",
            FilterOp.EQ_ANY,
            ("email_opt_in",),
            bool,
            description="[true]: only contacts who opted in to email; [false]: only those who did not.",
        ),
        *record_filters(),
    ],
    orders=[
        Order(
            "name",
            lambda t: [sa.func.lower(t.c.last_name), sa.func.lower(t.c.first_name)],
            description="By last name, then first name, case-insensitive.",
        ),
        *record_orders(),
    ],
    default_order="name",
    scope=Owned(),
    description="A person at a customer, prospect, partner or supplier.",
)
