"""Leads, the rules that assign and score them, web-to-lead forms, and the
round-robin cursors. Tables only."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import Record, TenantRecord, json_object, text_array


class LeadSource(enum.Enum):
    """Where a lead came from."""

    WEB_FORM = "web_form"
    IMPORT = "import"
    EVENT = "event"
    REFERRAL = "referral"
    CAMPAIGN = "campaign"
    MANUAL = "manual"

    __descriptions__: ClassVar[dict[str, str]] = {
        "WEB_FORM": "Posted by a website's form to /forms/<key>.",
        "IMPORT": "Imported from a file or another system.",
        "EVENT": "Met at an event (trade show, webinar).",
        "REFERRAL": "Referred by a customer or partner.",
        "CAMPAIGN": "Answered a marketing campaign.",
        "MANUAL": "Entered by a user.",
    }


class LeadStatus(enum.Enum):
    """How far a lead has been worked."""

    NEW = "new"
    WORKING = "working"
    NURTURING = "nurturing"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"

    __descriptions__: ClassVar[dict[str, str]] = {
        "NEW": "Not yet looked at.",
        "WORKING": "Being contacted.",
        "NURTURING": "Not ready to buy; kept warm.",
        "QUALIFIED": "Worth converting into a contact and a deal.",
        "DISQUALIFIED": "Not worth pursuing; disqualifiedReason says why.",
        "CONVERTED": "Became an organization, a contact and perhaps an opportunity (through leadConvert).",
    }


# Statuses that count as a rep's open load.
OPEN_STATUSES = (LeadStatus.NEW.value, LeadStatus.WORKING.value, LeadStatus.NURTURING.value, LeadStatus.QUALIFIED.value)


class AssignmentMethod(enum.Enum):
    """How an assignment rule picks the owner of a lead it matches."""

    ROUND_ROBIN = "round_robin"
    LEAST_LOADED = "least_loaded"
    OWNER = "owner"

    __descriptions__: ClassVar[dict[str, str]] = {
        "ROUND_ROBIN": "Each of the team's active members in turn (a cursor per rule, advanced in the lead's transaction).",
        "LEAST_LOADED": "The team's active member with the fewest open leads (ties: the earliest user).",
        "OWNER": "Always the rule's owner: a territory's rep, or the fallback owner.",
    }


class ScoringField(enum.Enum):
    """What a scoring rule looks at."""

    SOURCE = "source"
    STATUS = "status"
    TITLE = "title"
    COMPANY = "company"
    COUNTRY = "country"
    REGION = "region"
    INDUSTRY = "industry"
    EMAIL = "email"
    PHONE = "phone"
    ATTRIBUTE = "attribute"
    INTERACTIONS = "interactions"
    FORM_POSTS = "form_posts"

    __descriptions__: ClassVar[dict[str, str]] = {
        "SOURCE": "The lead's source (compare with its stored value, e.g. web_form).",
        "STATUS": "The lead's status (stored value, e.g. working).",
        "TITLE": "The job title.",
        "COMPANY": "The company name.",
        "COUNTRY": "The ISO 3166 country code.",
        "REGION": "The region.",
        "INDUSTRY": "The industry.",
        "EMAIL": "Any of the email addresses.",
        "PHONE": "Any of the phone numbers.",
        "ATTRIBUTE": "The custom attribute named by `attribute` (compared as text).",
        "INTERACTIONS": "Activity: points for each interaction logged about the lead (up to maxPoints).",
        "FORM_POSTS": "Activity: points for each web form post by the lead (up to maxPoints).",
    }


class ScoringOperator(enum.Enum):
    """How a field rule compares the lead's value with the rule's `value` (case-insensitive)."""

    EQUALS = "equals"
    CONTAINS = "contains"
    IS_SET = "is_set"

    __descriptions__: ClassVar[dict[str, str]] = {
        "EQUALS": "The value equals the rule's value.",
        "CONTAINS": "The value contains the rule's value.",
        "IS_SET": "The field has any value (the rule's value is ignored).",
    }


class Lead(TenantRecord, table=True):
    __tablename__ = "leads"
    __table_args__ = (
        sa.Index("ix_leads_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_leads_tenant_updated", "tenant_id", "updated_at", "id"),
        sa.Index("ix_leads_tenant_score", "tenant_id", "score", "id"),
        sa.Index("ix_leads_tenant_status", "tenant_id", "status"),
        sa.Index("ix_leads_tenant_source", "tenant_id", "source"),
        sa.Index("ix_leads_tenant_country", "tenant_id", "country"),
        sa.Index("ix_leads_tenant_name", "tenant_id", sa.text("lower(last_name)"), sa.text("lower(first_name)"), "id"),
        sa.Index("ix_leads_owner_status", "owner_id", "status"),
        sa.Index("ix_leads_emails", "emails", postgresql_using="gin"),
        sa.Index("ix_leads_phones", "phones", postgresql_using="gin"),
        sa.Index(
            "ix_leads_company_trgm", "company", postgresql_using="gin", postgresql_ops={"company": "gin_trgm_ops"}
        ),
        sa.Index(
            "ix_leads_first_name_trgm",
            "first_name",
            postgresql_using="gin",
            postgresql_ops={"first_name": "gin_trgm_ops"},
        ),
        sa.Index(
            "ix_leads_last_name_trgm",
            "last_name",
            postgresql_using="gin",
            postgresql_ops={"last_name": "gin_trgm_ops"},
        ),
    )

    first_name: str | None = None
    last_name: str | None = None
    company: str | None = None
    emails: list[str] = text_array()
    phones: list[str] = text_array()
    title: str | None = None
    source: str = Field(default=LeadSource.MANUAL.value)
    status: str = Field(default=LeadStatus.NEW.value)
    disqualified_reason: str | None = None
    score: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
    # Campaigns arrive later (ROADMAP: Marketing); until then a free reference.
    campaign_id: str | None = None
    country: str | None = Field(default=None, max_length=2)
    region: str | None = None
    industry: str | None = None
    attributes: dict[str, Any] = json_object()
    email_opt_in: bool = False
    sms_opt_in: bool = False
    do_not_call: bool = False
    form_posts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    form_id: uuid.UUID | None = Field(default=None, foreign_key="lead_forms.id", index=True)
    converted_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    converted_organization_id: uuid.UUID | None = Field(default=None, foreign_key="organizations.id", index=True)
    converted_contact_id: uuid.UUID | None = Field(default=None, foreign_key="contacts.id", index=True)
    converted_opportunity_id: uuid.UUID | None = Field(default=None, foreign_key="opportunities.id", index=True)
    merged_into_id: uuid.UUID | None = Field(default=None, foreign_key="leads.id", index=True)


class LeadAssignmentRule(TenantRecord, table=True):
    """One assignment rule; a tenant's rules are tried by `position`, the first match wins."""

    __tablename__ = "lead_assignment_rules"
    __table_args__ = (sa.Index("ix_lead_assignment_rules_position", "tenant_id", "position"),)

    name: str
    position: int
    method: str
    team_id: uuid.UUID | None = Field(default=None, foreign_key="teams.id", index=True)
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    # Territory: a lead matches when each non-empty list holds its value (case-insensitive).
    countries: list[str] = text_array()
    regions: list[str] = text_array()
    industries: list[str] = text_array()
    sources: list[str] = text_array()


class LeadAssignmentCursor(Record, table=True):
    """Where a round-robin rule is in its turn: updated in the transaction that assigns."""

    __tablename__ = "lead_assignment_cursors"
    __table_args__ = (sa.PrimaryKeyConstraint("tenant_id", "rule_id"),)

    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", ondelete="CASCADE")
    rule_id: uuid.UUID = Field(foreign_key="lead_assignment_rules.id", ondelete="CASCADE")
    turns: int = Field(default=0, sa_type=sa.BigInteger())
    last_user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)


class LeadScoringRule(TenantRecord, table=True):
    __tablename__ = "lead_scoring_rules"

    name: str
    field: str
    operator: str = Field(default=ScoringOperator.EQUALS.value)
    value: str | None = None
    attribute: str | None = None
    points: int
    max_points: int | None = None


class LeadForm(TenantRecord, table=True):
    """A web-to-lead form: a website posts to /forms/<key>."""

    __tablename__ = "lead_forms"
    __table_args__ = (sa.UniqueConstraint("key"),)

    name: str
    key: str
    fields: list[str] = text_array()
    origins: list[str] = text_array()
    honeypot_field: str = Field(default="website_url")
    rate_limit_per_minute: int = 30
    campaign_id: str | None = None
    # The form acts as this user (its creator): the lead's writes, audit and rules are theirs.
    created_by_id: uuid.UUID = Field(foreign_key="users.id", index=True)
