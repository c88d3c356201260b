"""Read declarations for roles and authorization rules (admins only)."""

from __future__ import annotations

from crm_graph.platform.authz import models
from crm_graph.readside.common import record_fields, record_orders
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Order, TenantWide

ROLE = Entity(
    name="Role",
    record_type="role",
    table=models.Role.__table__,
    tag=4,
    fields=[
        Col("name", str, description="Unique name, e.g. sales_rep; what users' roles and rules refer to."),
        Col("description", str | None, description="What the role is for."),
        Col(
            "built_in",
            bool,
            description="Shipped with crm-graph (admin, manager, sales_rep, viewer...); it cannot be deleted.",
        ),
        *record_fields(),
    ],
    orders=[Order("name", lambda t: [t.c.name], description="By name."), *record_orders()],
    default_order="name",
    scope=TenantWide(),
    archivable=False,
    description="A named set of permissions.",
)

POLICY_RULE = Entity(
    name="PolicyRule",
    record_type="policy",
    table=models.PolicyRule.__table__,
    tag=5,
    fields=[
        Col("ptype", str, description="p: a permission rule; g: the subject role inherits the object role."),
        Col("subject", str, description="The role the rule applies to."),
        Col("object", str, description="Record type, `<type>.<field>`, or *."),
        Col(
            "action",
            str,
            description="What the rule allows or denies: read, create, update, archive, delete, or another action of the type.",
        ),
        Col("scope", str, description="own, team or tenant."),
        Col("effect", str, description="allow or deny."),
        *record_fields(),
    ],
    filters=[
        Filter("subject", FilterOp.EQ_ANY, ("subject",), str, description="Rules of any of these roles."),
        Filter(
            "object",
            FilterOp.EQ_ANY,
            ("object",),
            str,
            description="Rules on any of these objects (record type, `<type>.<field>` or *).",
        ),
    ],
    orders=[
        Order(
            "subject", lambda t: [t.c.subject, t.c.object, t.c.action], description="By role, then object, then action."
        ),
        *record_orders(),
    ],
    default_order="subject",
    scope=TenantWide(),
    description="One authorization rule of the tenant.",
)
