"""Read declarations for users and teams."""

from __future__ import annotations

from crm_graph.platform.identity import models
from crm_graph.readside.common import lower, record_fields, record_filters, record_orders
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Many, Order, Ref, TenantWide

USER = Entity(
    name="User",
    record_type="user",
    table=models.User.__table__,
    tag=1,
    fields=[Col("email", str), Col("name", str), Col("roles", list[str]), *record_fields()],
    refs=[Ref("team", "Team", "team_id")],
    filters=[
        Filter("search", FilterOp.SEARCH, ("name", "email")),
        Filter("roles", FilterOp.OVERLAPS, ("roles",), str),
        Filter("team", FilterOp.REF, ("team_id",), entity="Team"),
        *record_filters(),
    ],
    orders=[Order("name", lower("name")), Order("email", lower("email")), *record_orders()],
    default_order="name",
    scope=TenantWide(),
    description="A person who works in the CRM.",
)

TEAM = Entity(
    name="Team",
    record_type="team",
    table=models.Team.__table__,
    tag=2,
    fields=[Col("name", str), *record_fields()],
    refs=[Ref("parent", "Team", "parent_id")],
    many=[
        Many("members", "User", fk="team_id", order="name"),
        Many("sub_teams", "Team", fk="parent_id", order="name"),
    ],
    orders=[Order("name", lower("name")), *record_orders()],
    default_order="name",
    scope=TenantWide(),
    description="A team; teams form a tree (a manager's team contains sub-teams).",
)

