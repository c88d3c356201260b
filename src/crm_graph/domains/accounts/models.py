"""Organizations: customers, prospects, partners, competitors, suppliers."""

from __future__ import annotations

import enum
import uuid
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import TenantRecord, json_object, text_array


class OrganizationKind(enum.Enum):
    """What an organization is to the tenant; one organization may be several."""

    CUSTOMER = "customer"
    PROSPECT = "prospect"
    PARTNER = "partner"
    COMPETITOR = "competitor"
    SUPPLIER = "supplier"

    __descriptions__: ClassVar[dict[str, str]] = {  # GraphQL descriptions of the values (api.kit.builder.gql_enum)
        "CUSTOMER": "Buys from the tenant.",
        "PROSPECT": "Might buy; being worked on.",
        "PARTNER": "Works with the tenant (resells, refers, integrates).",
        "COMPETITOR": "Sells what the tenant sells.",
        "SUPPLIER": "Sells to the tenant.",
    }


class LifecycleStage(enum.Enum):
    """Where an organization or contact is in its relation with the tenant."""

    LEAD = "lead"
    PROSPECT = "prospect"
    NEW = "new"
    ACTIVE = "active"
    LOYAL = "loyal"
    CHURNED = "churned"

    __descriptions__: ClassVar[dict[str, str]] = {  # GraphQL descriptions of the values (api.kit.builder.gql_enum)
        "LEAD": "Known, not yet qualified.",
        "PROSPECT": "Qualified; a sale is being pursued.",
        "NEW": "Recently became a customer.",
        "ACTIVE": "A customer buying or using the product.",
        "LOYAL": "A long-standing, repeat customer.",
        "CHURNED": "Was a customer, no longer is.",
    }


class Organization(TenantRecord, table=True):
    __tablename__ = "organizations"
    __table_args__ = (
        sa.Index("ix_organizations_tenant_name", "tenant_id", sa.text("lower(name)"), "id"),
        sa.Index("ix_organizations_tenant_country", "tenant_id", "country"),
        sa.Index("ix_organizations_tenant_size", "tenant_id", "size"),
        sa.Index("ix_organizations_tenant_updated", "tenant_id", "updated_at", "id"),
        sa.Index("ix_organizations_kinds", "kinds", postgresql_using="gin"),
        sa.Index("ix_organizations_tags", "tags", postgresql_using="gin"),
        sa.Index("ix_organizations_tenant_industry", "tenant_id", "industry"),
        sa.Index("ix_organizations_tenant_region", "tenant_id", "region"),
        sa.Index("ix_organizations_tenant_lifecycle", "tenant_id", "lifecycle_stage"),
        sa.Index("ix_organizations_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_organizations_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
    )

    name: str
    kinds: list[str] = text_array()
    industry: str | None = None
    region: str | None = None
    country: str | None = Field(default=None, max_length=2)
    website: str | None = None
    size: int | None = None  # number of employees
    lifecycle_stage: str = Field(default=LifecycleStage.LEAD.value)
    tags: list[str] = text_array()
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    attributes: dict[str, Any] = json_object()
