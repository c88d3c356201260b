"""Read declarations for leads, their assignment and scoring rules and web forms:
the GraphQL types, filters, orderings and row scopes, read by both read paths."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from crm_graph.domains.leads import models
from crm_graph.readside.common import lower, record_fields, record_filters, record_orders
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Many, Order, Owned, Ref, TenantWide

LEAD = Entity(
    name="Lead",
    record_type="lead",
    table=models.Lead.__table__,
    tag=160,
    fields=[
        Col("first_name", str | None, description="Given name."),
        Col("last_name", str | None, description="Family name."),
        Col("company", str | None, description="The company the person works for, as they gave it."),
        Col("emails", list[str], description="Email addresses, preferred first, lower-cased."),
        Col("phones", list[str], description="Phone numbers, preferred first."),
        Col("title", str | None, description="Job title."),
        Col("source", models.LeadSource, enum=models.LeadSource, description="Where the lead came from."),
        Col("status", models.LeadStatus, enum=models.LeadStatus, description="How far the lead has been worked."),
        Col(
            "disqualified_reason",
            str | None,
            description="Why the lead was disqualified; set exactly when the status is DISQUALIFIED.",
        ),
        Col(
            "score",
            int,
            description="Points from the tenant's scoring rules (fields and activity); recomputed on every change.",
        ),
        Col(
            "campaign_id",
            str | None,
            description="Reference (ID) of the campaign the lead came from (campaigns are not records of the API yet).",
        ),
        Col("country", str | None, description="ISO 3166-1 alpha-2 country code; used by territory rules."),
        Col("region", str | None, description="Sales region; used by territory rules."),
        Col("industry", str | None, description="Industry; used by territory rules."),
        Col("attributes", dict, description="Custom attributes (JSON object)."),
        Col("email_opt_in", bool, description="Agreed to receive marketing email."),
        Col("sms_opt_in", bool, description="Agreed to receive marketing text messages."),
        Col("do_not_call", bool, description="Asked not to be called."),
        Col("form_posts", int, description="How many times the person posted a web-to-lead form."),
        Col("converted_at", datetime | None, description="When it was converted; null until then."),
        *record_fields(),
    ],
    refs=[
        Ref("owner", "User", "owner_id", description="The user working the lead; null while unassigned."),
        Ref("form", "LeadForm", "form_id", description="The web form it first came through, if any."),
        Ref(
            "converted_organization",
            "Organization",
            "converted_organization_id",
            description="The organization it became or was linked to on conversion.",
        ),
        Ref(
            "converted_contact",
            "Contact",
            "converted_contact_id",
            description="The contact it became or was linked to on conversion.",
        ),
        Ref(
            "converted_opportunity",
            "Opportunity",
            "converted_opportunity_id",
            description="The opportunity created on conversion, if one was.",
        ),
        Ref("merged_into", "Lead", "merged_into_id", description="The lead this one was merged into (then archived)."),
    ],
    many=[
        Many(
            "interactions",
            "Interaction",
            fk="lead_id",
            order="occurred_at",
            descending=True,
            description="Interactions logged about this lead, latest first.",
        ),
        Many("tasks", "Task", fk="record_id", order="due_at", description="Tasks about this lead, soonest due first."),
    ],
    filters=[
        Filter(
            "search",
            FilterOp.SEARCH,
            ("first_name", "last_name", "company", "emails"),
            description="Case-insensitive text in the first or last name, company or an email address.",
        ),
        Filter(
            "status", FilterOp.EQ_ANY, ("status",), models.LeadStatus, description="Leads in any of these statuses."
        ),
        Filter(
            "source", FilterOp.EQ_ANY, ("source",), models.LeadSource, description="Leads from any of these sources."
        ),
        Filter("score", FilterOp.RANGE, ("score",), int, description="Inclusive bounds on the score."),
        Filter("owner", FilterOp.REF, ("owner_id",), entity="User", description="Global IDs of users; leads they own."),
        Filter("unassigned", FilterOp.IS_NULL, ("owner_id",), description="true: only leads without an owner."),
        Filter("country", FilterOp.EQ_ANY, ("country",), str, description="Leads in any of these countries."),
        Filter(
            "form", FilterOp.REF, ("form_id",), entity="LeadForm", description="Leads that came through these forms."
        ),
        *record_filters(),
    ],
    orders=[
        Order(
            "name",
            lambda t: [
                sa.func.lower(sa.func.coalesce(t.c.last_name, "")),
                sa.func.lower(sa.func.coalesce(t.c.first_name, "")),
            ],
            description="By last name, then first name, case-insensitive.",
        ),
        Order("score", lambda t: [t.c.score], description="By score."),
        Order(
            "company",
            lambda t: [sa.func.lower(sa.func.coalesce(t.c.company, ""))],
            description="By company name, case-insensitive.",
        ),
        *record_orders(),
    ],
    default_order="created_at",
    default_descending=True,
    scope=Owned(),
    description="A person who may become a customer, not yet qualified and converted.",
)

ASSIGNMENT_RULE = Entity(
    name="LeadAssignmentRule",
    record_type="lead_assignment_rule",
    table=models.LeadAssignmentRule.__table__,
    tag=161,
    fields=[
        Col("name", str, description="What the rule is for, e.g. DACH territory."),
        Col("position", int, description="Rules are tried in increasing position; the first that matches assigns."),
        Col("method", models.AssignmentMethod, enum=models.AssignmentMethod, description="How it picks the owner."),
        Col("countries", list[str], description="Territory: matches leads in one of these countries (empty: any)."),
        Col("regions", list[str], description="Territory: matches leads in one of these regions (empty: any)."),
        Col("industries", list[str], description="Territory: matches leads in one of these industries (empty: any)."),
        Col("sources", list[str], description="Matches leads from one of these sources (stored values; empty: any)."),
        *record_fields(),
    ],
    refs=[
        Ref("team", "Team", "team_id", description="ROUND_ROBIN and LEAST_LOADED: the team whose members share leads."),
        Ref("owner", "User", "owner_id", description="OWNER: the user who gets every lead the rule matches."),
    ],
    orders=[Order("position", lambda t: [t.c.position], description="In the order they are tried."), *record_orders()],
    default_order="position",
    scope=TenantWide(),
    description="One of the tenant's ordered lead assignment rules: which leads it matches and who gets them.",
)

SCORING_RULE = Entity(
    name="LeadScoringRule",
    record_type="lead_scoring_rule",
    table=models.LeadScoringRule.__table__,
    tag=162,
    fields=[
        Col("name", str, description="What the rule rewards, e.g. Decision maker."),
        Col("field", models.ScoringField, enum=models.ScoringField, description="What the rule looks at."),
        Col(
            "operator",
            models.ScoringOperator,
            enum=models.ScoringOperator,
            description="How a field rule compares (ignored by activity rules).",
        ),
        Col("value", str | None, description="The value a field rule compares with."),
        Col("attribute", str | None, description="ATTRIBUTE rules: the custom attribute's name."),
        Col("points", int, description="Points given (negative to take away); activity rules: per activity."),
        Col("max_points", int | None, description="Activity rules: at most this many points in all."),
        *record_fields(),
    ],
    orders=[Order("name", lower("name"), description="By name, case-insensitive."), *record_orders()],
    default_order="name",
    scope=TenantWide(),
    description="A rule of the tenant's lead scoring: points for a field's value or for activity.",
)

FORM = Entity(
    name="LeadForm",
    record_type="lead_form",
    table=models.LeadForm.__table__,
    tag=163,
    fields=[
        Col("name", str, description="Name of the form, e.g. Contact us."),
        Col("key", str, description="The secret-less public key: the website posts to /forms/<key>."),
        Col("fields", list[str], description="The lead fields the form may set (snake_case names, e.g. last_name)."),
        Col("origins", list[str], description="Pages of these origins may post it (https://www.example.com)."),
        Col("honeypot_field", str, description="A field hidden from people: a post that fills it is refused."),
        Col("rate_limit_per_minute", int, description="Posts accepted per minute from one address."),
        Col("campaign_id", str | None, description="Reference (ID) of the campaign its leads are attributed to."),
        *record_fields(),
    ],
    refs=[Ref("created_by", "User", "created_by_id", description="The admin who created it; posts act as them.")],
    many=[Many("leads", "Lead", fk="form_id", order="created_at", descending=True, description="Leads it brought in.")],
    orders=[Order("name", lower("name"), description="By name, case-insensitive."), *record_orders()],
    default_order="name",
    scope=TenantWide(),
    description="A web-to-lead form: what a website's form may post to /forms/<key>, and from where.",
)
