"""The leads domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from crm_graph.domains.leads import events, models, policies, read, seed
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="leads",
    description="Leads: capture (API and web-to-lead forms), duplicates, assignment and scoring rules, merge and conversion.",
    tables=(models,),
    entities=(read.LEAD, read.ASSIGNMENT_RULE, read.SCORING_RULE, read.FORM),
    root_lists={
        "leads": "Lead",
        "lead_assignment_rules": "LeadAssignmentRule",
        "lead_scoring_rules": "LeadScoringRule",
        "lead_forms": "LeadForm",
    },
    api=("crm_graph.domains.leads.api",),
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
    seed=seed.seed_leads,
)
