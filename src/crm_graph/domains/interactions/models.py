"""Activities (calls, emails, meetings, notes, ...) and their participants."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import Record, TenantRecord


class InteractionKind(enum.Enum):
    """The channel of an interaction."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    NOTE = "note"
    CHAT = "chat"
    SOCIAL = "social"
    VISIT = "visit"

    __descriptions__: ClassVar[dict[str, str]] = {  # GraphQL descriptions of the values (api.kit.builder.gql_enum)
        "CALL": "A phone or video call.",
        "EMAIL": "An email.",
        "MEETING": "A scheduled meeting.",
        "NOTE": "A note written by a user, not an exchange.",
        "CHAT": "A chat or instant message conversation.",
        "SOCIAL": "A touch on a social network.",
        "VISIT": "An in-person visit.",
    }


class Direction(enum.Enum):
    """Who started an interaction."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"

    __descriptions__: ClassVar[dict[str, str]] = {  # GraphQL descriptions of the values (api.kit.builder.gql_enum)
        "INBOUND": "The organization or contact reached out to the tenant.",
        "OUTBOUND": "The tenant reached out.",
        "INTERNAL": "Among the tenant's own users (a note, an internal meeting).",
    }


class Interaction(TenantRecord, table=True):
    __tablename__ = "interactions"
    __table_args__ = (
        sa.Index("ix_interactions_tenant_occurred", "tenant_id", "occurred_at", "id"),
        sa.Index("ix_interactions_tenant_kind", "tenant_id", "kind"),
        sa.Index("ix_interactions_tenant_direction", "tenant_id", "direction"),
        sa.Index("ix_interactions_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_interactions_tenant_updated", "tenant_id", "updated_at", "id"),
        sa.Index("ix_interactions_organization_occurred", "organization_id", "occurred_at", "id"),
        sa.Index("ix_interactions_opportunity_occurred", "opportunity_id", "occurred_at", "id"),
        sa.Index("ix_interactions_lead_occurred", "lead_id", "occurred_at", "id"),
        sa.Index(
            "ix_interactions_subject_trgm",
            "subject",
            postgresql_using="gin",
            postgresql_ops={"subject": "gin_trgm_ops"},
        ),
    )

    kind: str
    direction: str = Field(default=Direction.OUTBOUND.value)
    occurred_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
    subject: str
    body: str | None = None
    duration_minutes: int | None = None
    organization_id: uuid.UUID | None = Field(default=None, foreign_key="organizations.id")
    opportunity_id: uuid.UUID | None = Field(default=None, foreign_key="opportunities.id")
    # An interaction with a lead, before it is converted (then it also names the organization and contact).
    lead_id: uuid.UUID | None = Field(default=None, foreign_key="leads.id")
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)


class InteractionParticipant(Record, table=True):
    """A contact or a user taking part in an interaction (exactly one of the two)."""

    __tablename__ = "interaction_participants"
    __table_args__ = (
        sa.CheckConstraint("(contact_id IS NULL) <> (user_id IS NULL)", name="ck_participant_one_party"),
        sa.Index("ix_participants_contact", "contact_id", "interaction_id"),
        sa.Index("ix_participants_user", "user_id", "interaction_id"),
        sa.UniqueConstraint("interaction_id", "contact_id", "user_id"),
    )

    id: uuid.UUID = Field(
        default_factory=uuid.uuid4,
        primary_key=True,
        sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")},
    )
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True, ondelete="CASCADE")
    interaction_id: uuid.UUID = Field(foreign_key="interactions.id", ondelete="CASCADE")
    contact_id: uuid.UUID | None = Field(default=None, foreign_key="contacts.id")
    user_id: uuid.UUID | None = Field(default=None, foreign_key="users.id")
