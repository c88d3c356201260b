"""Pipelines, their ordered stages, opportunities and their stage history."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import TenantRecord


class OpportunityStatus(enum.Enum):
    """Whether an opportunity is still being pursued; follows its stage."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"

    __descriptions__: ClassVar[dict[str, str]] = {  # GraphQL descriptions of the values (api.kit.builder.gql_enum)
        "OPEN": "Still being pursued.",
        "WON": "Closed as won (moved to a won stage).",
        "LOST": "Closed as lost (moved to a lost stage).",
    }


class Pipeline(TenantRecord, table=True):
    __tablename__ = "pipelines"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: str
    is_default: bool = False
    # Opportunities with no interaction for this many days count as stale.
    stale_after_days: int = 14


class Stage(TenantRecord, table=True):
    __tablename__ = "stages"
    __table_args__ = (sa.Index("ix_stages_pipeline_position", "pipeline_id", "position"),)

    pipeline_id: uuid.UUID = Field(foreign_key="pipelines.id")
    name: str
    position: int
    probability: int = 0  # percent
    is_won: bool = False
    is_lost: bool = False


class Opportunity(TenantRecord, table=True):
    __tablename__ = "opportunities"
    __table_args__ = (
        sa.Index("ix_opportunities_tenant_name", "tenant_id", sa.text("lower(name)"), "id"),
        sa.Index("ix_opportunities_tenant_currency", "tenant_id", "currency"),
        sa.Index("ix_opportunities_tenant_updated", "tenant_id", "updated_at", "id"),
        sa.Index("ix_opportunities_organization", "organization_id", "created_at", "id"),
        sa.Index("ix_opportunities_tenant_status", "tenant_id", "status"),
        sa.Index("ix_opportunities_tenant_close", "tenant_id", "expected_close_date"),
        sa.Index("ix_opportunities_tenant_amount", "tenant_id", "amount"),
        sa.Index("ix_opportunities_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_opportunities_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
    )

    name: str
    organization_id: uuid.UUID | None = Field(default=None, foreign_key="organizations.id")
    primary_contact_id: uuid.UUID | None = Field(default=None, foreign_key="contacts.id", index=True)
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    pipeline_id: uuid.UUID = Field(foreign_key="pipelines.id", index=True)
    stage_id: uuid.UUID = Field(foreign_key="stages.id", index=True)
    amount: Decimal | None = Field(default=None, sa_type=sa.Numeric(14, 2))
    currency: str = Field(default="USD", max_length=3)
    probability: int | None = None
    expected_close_date: date | None = None
    status: str = Field(default=OpportunityStatus.OPEN.value)
    lost_reason: str | None = None
    source: str | None = None
    closed_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


class OpportunityStageChange(TenantRecord, table=True):
    __tablename__ = "opportunity_stage_changes"
    __table_args__ = (sa.Index("ix_stage_changes_opportunity", "opportunity_id", "changed_at"),)

    opportunity_id: uuid.UUID = Field(foreign_key="opportunities.id")
    from_stage_id: uuid.UUID | None = Field(default=None, foreign_key="stages.id", index=True)
    to_stage_id: uuid.UUID = Field(foreign_key="stages.id", index=True)
    changed_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    changed_at: datetime = Field(sa_type=sa.DateTime(timezone=True))
