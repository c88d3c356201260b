"""The leads domain's event types: leads' lifecycle, assignment, scoring, form posts,
merge and conversion; and the lifecycle of their rules and forms."""

from __future__ import annotations

from crm_graph.domains.leads.models import Lead, LeadAssignmentRule, LeadForm, LeadScoringRule
from crm_graph.kernel.catalog import EventType, lifecycle

_CONVERTED = ("status", "converted_at", "converted_organization_id", "converted_contact_id", "converted_opportunity_id")

EVENT_TYPES: list[EventType] = [
    *lifecycle("lead", Lead.__table__),
    EventType(
        "lead.assigned",
        "lead",
        "A lead got a new owner: named by a user, or chosen by an assignment rule (assignment_rule_id).",
        ("owner_id", "assignment_rule_id"),
    ),
    EventType(
        "lead.score_changed",
        "lead",
        "A lead's score moved because of activity (an interaction about it) or a change of the scoring rules.",
        ("score",),
    ),
    EventType(
        "lead.form_posted",
        "lead",
        "A known lead posted a web form again: the post is counted and empty fields filled.",
        (
            "form_posts",
            "score",
            "first_name",
            "last_name",
            "company",
            "phones",
            "title",
            "country",
            "region",
            "industry",
            "email_opt_in",
            "sms_opt_in",
        ),
    ),
    EventType("lead.merged", "lead", "Another lead was merged into this one (and archived).", ("merged_ids",)),
    EventType(
        "lead.converted",
        "lead",
        "A lead was converted: the organization, contact and perhaps opportunity it became.",
        _CONVERTED,
    ),
    *lifecycle("lead_assignment_rule", LeadAssignmentRule.__table__),
    *lifecycle("lead_scoring_rule", LeadScoringRule.__table__),
    *lifecycle("lead_form", LeadForm.__table__),
]
