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
    fields=[
        Col("email", str, description="Sign-in email address, unique in the tenant."),
        Col("name", str, description="Display name."),
        Col(
            "roles",
            list[str],
            description="Names of the roles the user has; permissions are their union, deny winning.",
        ),
        *record_fields(),
    ],
    refs=[
        Ref(
            "team",
            "Team",
            "team_id",
            description="The team the user belongs to; managers see their team's records under a `team` rule.",
        )
    ],
    filters=[
        Filter(
            "search",
            FilterOp.SEARCH,
            ("name", "email"),
            description="Case-insensitive text contained in the name or email.",
        ),
        Filter("roles", FilterOp.OVERLAPS, ("roles",), str, description="Users having at least one of these roles."),
        Filter(
            "team",
            FilterOp.REF,
            ("team_id",),
            entity="Team",
            description="Global IDs of teams; users in any of them (not their sub-teams).",
        ),
        *record_filters(),
    ],
    orders=[
        Order("name", lower("name"), description="By name, case-insensitive."),
        Order("email", lower("email"), description="By email, case-insensitive."),
        *record_orders(),
    ],
    default_order="name",
    scope=TenantWide(),
    description="A person who works in the CRM.",
)

TEAM = Entity(
    name="Team",
    record_type="team",
    table=models.Team.__table__,
    tag=2,
    fields=[Col("name", str, description="Name of the team, e.g. EMEA sales."), *record_fields()],
    refs=[Ref("parent", "Team", "parent_id", description="The team above it; null for a top-level team.")],
    many=[
        Many("members", "User", fk="team_id", order="name", description="Users directly in this team."),
        Many("sub_teams", "Team", fk="parent_id", order="name", description="Teams directly below this one."),
    ],
    orders=[Order("name", lower("name"), description="By name, case-insensitive."), *record_orders()],
    default_order="name",
    scope=TenantWide(),
    description="A team; teams form a tree (a manager's team contains sub-teams).",
)
