"""Lead mutations and queries: leadCreate (with its duplicate candidates), leadUpdate,
leadAssign, leadMerge, leadConvert, leadArchive/Restore, leadDuplicates; the
assignment and scoring rules' and web forms' create/update/archive/restore."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from crm_graph.api.kit.builder import gql_enum
from crm_graph.api.kit.fields import Policy, root_field
from crm_graph.api.kit.mutations import archive_mutations, mutation
from crm_graph.api.kit.node import Node, make_node
from crm_graph.domains.leads import conversion, duplicates, forms, models, read, rules, service
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.readside.ids import from_global_id
from crm_graph.readside.spec import entity_by_record_type

for _enum in (
    models.LeadSource,
    models.LeadStatus,
    models.AssignmentMethod,
    models.ScoringField,
    models.ScoringOperator,
):
    gql_enum(_enum)
UNSET = strawberry.UNSET


@strawberry.enum(description="Why a record may be the same person as a lead.")
class DuplicateReason(enum.Enum):
    EMAIL = strawberry.enum_value("email", description="They share an email address.")
    PHONE = strawberry.enum_value("phone", description="They share a phone number.")
    NAME = strawberry.enum_value(
        "name", description="Similar company and person names (pg_trgm similarity of each at least 0.5)."
    )


@strawberry.type(description="A lead or contact that may be the same person as a lead.")
class LeadDuplicateCandidate:
    record: Node = strawberry.field(description="The Lead or Contact.")
    reasons: list[DuplicateReason] = strawberry.field(description="Why it is offered, strongest first.")
    similarity: float = strawberry.field(
        description="The lower of the company and person names' similarity (0 to 1); 0 when matched by address only."
    )


def _candidates(
    found: list[duplicates.Candidate], rows: Mapping[uuid.UUID, Mapping[str, Any]]
) -> list[LeadDuplicateCandidate]:
    out = []
    for c in found:
        target = entity_by_record_type(c.record_type)
        if target is None or c.id not in rows:
            continue
        out.append(
            LeadDuplicateCandidate(
                record=make_node(target, rows[c.id]),
                reasons=[DuplicateReason(r) for r in c.reasons],
                similarity=c.similarity,
            )
        )
    return out


# --- leads ---------------------------------------------------------------------


@strawberry.input(description="A new lead: at least a last name, a company or an email address.")
class LeadCreateInput:
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    company: Optional[str] = None
    emails: list[str] = strawberry.field(default_factory=list, description="Stored lower-cased, without repeats.")
    phones: list[str] = strawberry.field(default_factory=list, description="Phone numbers, preferred first.")
    title: Optional[str] = None
    source: models.LeadSource = strawberry.field(default=models.LeadSource.MANUAL, description="MANUAL by default.")
    status: models.LeadStatus = strawberry.field(
        default=models.LeadStatus.NEW, description="NEW by default; CONVERTED only through leadConvert."
    )
    disqualified_reason: Optional[str] = strawberry.field(default=None, description="Required with DISQUALIFIED.")
    owner_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="The owner; when null the tenant's assignment rules choose (else you)."
    )
    campaign_id: Optional[str] = None
    country: Optional[str] = None
    region: Optional[str] = None
    industry: Optional[str] = None
    attributes: Optional[JSON] = None
    email_opt_in: bool = False
    sms_opt_in: bool = False
    do_not_call: bool = False


@strawberry.input(
    description="Only the fields you give change; null clears a field. Leaving DISQUALIFIED clears the reason; "
    "the owner changes through leadAssign or here."
)
class LeadUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = None
    first_name: Optional[str] = UNSET
    last_name: Optional[str] = UNSET
    company: Optional[str] = UNSET
    emails: Optional[list[str]] = strawberry.field(default=UNSET, description="The whole new list of email addresses.")
    phones: Optional[list[str]] = strawberry.field(default=UNSET, description="The whole new list of phone numbers.")
    title: Optional[str] = UNSET
    source: Optional[models.LeadSource] = UNSET
    status: Optional[models.LeadStatus] = strawberry.field(
        default=UNSET, description="Any status but CONVERTED (leadConvert); DISQUALIFIED needs disqualifiedReason."
    )
    disqualified_reason: Optional[str] = UNSET
    owner_id: Optional[strawberry.ID] = UNSET
    campaign_id: Optional[str] = UNSET
    country: Optional[str] = UNSET
    region: Optional[str] = UNSET
    industry: Optional[str] = UNSET
    attributes: Optional[JSON] = UNSET
    email_opt_in: Optional[bool] = UNSET
    sms_opt_in: Optional[bool] = UNSET
    do_not_call: Optional[bool] = UNSET


@strawberry.input(description="Give a lead to a user, or let the assignment rules choose.")
class LeadAssignInput:
    id: strawberry.ID
    owner_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="The new owner (within your scope); null: the tenant's assignment rules choose."
    )
    expected_version: Optional[int] = None


@strawberry.input(description="Fold a duplicate lead into another; the merged lead is archived.")
class LeadMergeInput:
    survivor_id: strawberry.ID = strawberry.field(description="The lead that remains.")
    merged_id: strawberry.ID = strawberry.field(
        description="The lead whose addresses, empty fields, form posts, interactions and tasks move to the survivor."
    )
    expected_version: Optional[int] = strawberry.field(default=None, description="Of the survivor.")


@strawberry.input(
    description="Convert a lead: link or create the organization and contact (see leadDuplicates for candidates "
    "first), optionally create an opportunity. All or nothing."
)
class LeadConvertInput:
    id: strawberry.ID
    expected_version: Optional[int] = None
    organization_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="Link this existing Organization instead of creating one."
    )
    organization_name: Optional[str] = strawberry.field(
        default=None, description="Name of the organization to create; defaults to the lead's company."
    )
    contact_id: Optional[strawberry.ID] = strawberry.field(
        default=None,
        description="Link this existing Contact (of that organization, or of none) instead of creating one.",
    )
    create_opportunity: bool = strawberry.field(default=False, description="Also create an opportunity.")
    opportunity_name: Optional[str] = strawberry.field(
        default=None, description="Its name; defaults to '<organization>: new business'."
    )
    pipeline_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="The opportunity's Pipeline; defaults to the default pipeline."
    )
    stage_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="An open Stage of that pipeline; defaults to its first."
    )
    amount: Optional[Decimal] = strawberry.field(default=None, description="The opportunity's expected value.")
    currency: Optional[str] = strawberry.field(default=None, description="ISO 4217 code; USD by default.")
    expected_close_date: Optional[date] = strawberry.field(default=None, description="When it should close.")


async def _create(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> tuple[Any, ...]:
    row, found = await service.create_lead(uow, actor, data)
    return row, _candidates(found, await duplicates.rows_of(uow, found))


async def resolve_lead_duplicates(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the Lead.")]
) -> list[LeadDuplicateCandidate]:
    found_id = from_global_id(id)
    if found_id is None or found_id[0].name != "Lead":
        return []
    ctx = info.context
    row = await ctx.loaders.node(read.LEAD).load(found_id[1])
    if row is None:
        return []
    found = await duplicates.candidates(ctx.db, ctx.actor, row, exclude=row["id"])
    return _candidates(found, await duplicates.rows_of(ctx.db, found))


LEAD_IDS = {"owner_id": "User"}
UPDATE = Policy("lead", "update")

LEAD_FIELDS = {
    "lead_create": mutation(
        "leadCreate",
        LeadCreateInput,
        entity="Lead",
        policy=Policy("lead", "create"),
        handler=_create,
        ids=LEAD_IDS,
        extra_fields={
            "duplicates": (
                list[LeadDuplicateCandidate],
                "Leads and contacts that may be the same person (same email or phone, similar names); "
                "the lead is created all the same.",
            )
        },
        description="Create a lead; without ownerId the tenant's assignment rules choose its owner. "
        "Returns the duplicate candidates too.",
    ),
    "lead_update": mutation(
        "leadUpdate",
        LeadUpdateInput,
        entity="Lead",
        policy=UPDATE,
        handler=service.update_lead,
        ids=LEAD_IDS,
        description="Change some fields of a lead; its score is recomputed.",
    ),
    "lead_assign": mutation(
        "leadAssign",
        LeadAssignInput,
        entity="Lead",
        policy=UPDATE,
        handler=service.assign_lead,
        ids=LEAD_IDS,
        description="Give a lead to a user, or to whom the tenant's assignment rules choose.",
    ),
    "lead_merge": mutation(
        "leadMerge",
        LeadMergeInput,
        entity="Lead",
        policy=UPDATE,
        handler=service.merge_leads,
        ids={"survivor_id": "Lead", "merged_id": "Lead"},
        description="Merge a duplicate lead into a survivor, all or nothing.",
    ),
    "lead_convert": mutation(
        "leadConvert",
        LeadConvertInput,
        entity="Lead",
        policy=UPDATE,
        handler=conversion.convert_lead,
        ids={
            "organization_id": "Organization",
            "contact_id": "Contact",
            "pipeline_id": "Pipeline",
            "stage_id": "Stage",
        },
        description="Convert a lead into an organization and contact (created or linked) and optionally an "
        "opportunity; its interactions and tasks move to them. One transaction.",
    ),
    **archive_mutations("Lead", (service.archive_lead, service.restore_lead)),
}


# --- assignment and scoring rules ------------------------------------------------


@strawberry.input(description="A new assignment rule; tried in position order, the first that matches assigns.")
class LeadAssignmentRuleCreateInput:
    name: str
    method: models.AssignmentMethod
    position: Optional[int] = strawberry.field(default=None, description="Defaults to after the last rule.")
    team_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="ROUND_ROBIN and LEAST_LOADED: the Team whose members share the leads."
    )
    owner_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="OWNER: the User who gets the leads."
    )
    countries: list[str] = strawberry.field(default_factory=list)
    regions: list[str] = strawberry.field(default_factory=list)
    industries: list[str] = strawberry.field(default_factory=list)
    sources: list[str] = strawberry.field(default_factory=list)


@strawberry.input(description="Only the fields you give change.")
class LeadAssignmentRuleUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = None
    name: Optional[str] = UNSET
    method: Optional[models.AssignmentMethod] = UNSET
    position: Optional[int] = UNSET
    team_id: Optional[strawberry.ID] = UNSET
    owner_id: Optional[strawberry.ID] = UNSET
    countries: Optional[list[str]] = UNSET
    regions: Optional[list[str]] = UNSET
    industries: Optional[list[str]] = UNSET
    sources: Optional[list[str]] = UNSET


@strawberry.input(description="A new scoring rule; the open leads are rescored at once.")
class LeadScoringRuleCreateInput:
    name: str
    field: models.ScoringField
    points: int
    operator: models.ScoringOperator = strawberry.field(default=models.ScoringOperator.EQUALS)
    value: Optional[str] = None
    attribute: Optional[str] = None
    max_points: Optional[int] = None


@strawberry.input(description="Only the fields you give change; the open leads are rescored at once.")
class LeadScoringRuleUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = None
    name: Optional[str] = UNSET
    field: Optional[models.ScoringField] = UNSET
    points: Optional[int] = UNSET
    operator: Optional[models.ScoringOperator] = UNSET
    value: Optional[str] = UNSET
    attribute: Optional[str] = UNSET
    max_points: Optional[int] = UNSET


RULE_IDS = {"team_id": "Team", "owner_id": "User"}

RULE_FIELDS = {
    "lead_assignment_rule_create": mutation(
        "leadAssignmentRuleCreate",
        LeadAssignmentRuleCreateInput,
        entity="LeadAssignmentRule",
        policy=Policy("lead_assignment_rule", "create"),
        handler=rules.create_assignment_rule,
        ids=RULE_IDS,
        description="Add a lead assignment rule.",
    ),
    "lead_assignment_rule_update": mutation(
        "leadAssignmentRuleUpdate",
        LeadAssignmentRuleUpdateInput,
        entity="LeadAssignmentRule",
        policy=Policy("lead_assignment_rule", "update"),
        handler=rules.update_assignment_rule,
        ids=RULE_IDS,
        description="Change a lead assignment rule (its order, criteria or method).",
    ),
    **archive_mutations("LeadAssignmentRule", (rules.archive_assignment_rule, rules.restore_assignment_rule)),
    "lead_scoring_rule_create": mutation(
        "leadScoringRuleCreate",
        LeadScoringRuleCreateInput,
        entity="LeadScoringRule",
        policy=Policy("lead_scoring_rule", "create"),
        handler=rules.create_scoring_rule,
        description="Add a lead scoring rule; open leads are rescored in the same transaction.",
    ),
    "lead_scoring_rule_update": mutation(
        "leadScoringRuleUpdate",
        LeadScoringRuleUpdateInput,
        entity="LeadScoringRule",
        policy=Policy("lead_scoring_rule", "update"),
        handler=rules.update_scoring_rule,
        description="Change a lead scoring rule; open leads are rescored in the same transaction.",
    ),
    **archive_mutations("LeadScoringRule", (rules.archive_scoring_rule, rules.restore_scoring_rule)),
}


# --- web forms -------------------------------------------------------------------


@strawberry.input(description="A new web-to-lead form; posts act as you, so create it as an admin.")
class LeadFormCreateInput:
    name: str
    fields: list[str] = strawberry.field(
        description="What it may set: first_name, last_name, company, email, phone, title, country, region, "
        "industry, email_opt_in, sms_opt_in; at least one of last_name, company, email."
    )
    origins: list[str] = strawberry.field(
        description="Origins of the pages that may post it (https://www.example.com), or *."
    )
    honeypot_field: str = strawberry.field(default="website_url", description="A field hidden from people.")
    rate_limit_per_minute: int = strawberry.field(
        default=30, description="Posts per minute from one address (1-10000)."
    )
    campaign_id: Optional[str] = None


@strawberry.input(description="Only the fields you give change; the key stays.")
class LeadFormUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = None
    name: Optional[str] = UNSET
    fields: Optional[list[str]] = strawberry.field(default=UNSET, description="The whole new list of fields.")
    origins: Optional[list[str]] = strawberry.field(default=UNSET, description="The whole new list of origins.")
    honeypot_field: Optional[str] = UNSET
    rate_limit_per_minute: Optional[int] = UNSET
    campaign_id: Optional[str] = UNSET


FORM_FIELDS = {
    "lead_form_create": mutation(
        "leadFormCreate",
        LeadFormCreateInput,
        entity="LeadForm",
        policy=Policy("lead_form", "create"),
        handler=forms.create_form,
        description="Create a web-to-lead form: its key is where a website posts (POST /forms/<key>).",
    ),
    "lead_form_update": mutation(
        "leadFormUpdate",
        LeadFormUpdateInput,
        entity="LeadForm",
        policy=Policy("lead_form", "update"),
        handler=forms.update_form,
        description="Change a web-to-lead form's fields, origins, honeypot or rate limit.",
    ),
    **archive_mutations("LeadForm", (forms.archive_form, forms.restore_form)),
}

FIELDS = {**LEAD_FIELDS, **RULE_FIELDS, **FORM_FIELDS}

QUERY_FIELDS = {
    "lead_duplicates": root_field(
        resolver=resolve_lead_duplicates,
        policy=Policy("lead", "read"),
        name="leadDuplicates",
        description="Leads and contacts that may be the same person as this lead (offer them before leadConvert).",
    ),
}
