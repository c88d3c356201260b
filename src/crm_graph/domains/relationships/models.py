"""Typed, labelled edges between any two records, and the kinds of edge a tenant allows."""

from __future__ import annotations

import enum
import uuid
from datetime import date
from typing import ClassVar

import sqlalchemy as sa

from crm_graph.kernel.records import TenantRecord, text_array


class RecordType(enum.Enum):
    """Record types an edge may join."""

    ORGANIZATION = "organization"
    CONTACT = "contact"
    OPPORTUNITY = "opportunity"

    __descriptions__: ClassVar[dict[str, str]] = {  # GraphQL descriptions of the values (api.kit.builder.gql_enum)
        "ORGANIZATION": "An Organization.",
        "CONTACT": "A Contact.",
        "OPPORTUNITY": "An Opportunity.",
    }


ENDPOINT_TYPES = tuple(t.value for t in RecordType)
_ENDPOINTS_SQL = ", ".join(f"'{t}'" for t in ENDPOINT_TYPES)


class RelationshipKind(TenantRecord, table=True):
    __tablename__ = "relationship_kinds"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "key"),)

    key: str
    label: str
    inverse_label: str
    source_types: list[str] = text_array()
    target_types: list[str] = text_array()
    symmetric: bool = False
    built_in: bool = False


class Relationship(TenantRecord, table=True):
    __tablename__ = "relationships"
    __table_args__ = (
        sa.UniqueConstraint("tenant_id", "kind", "source_id", "target_id"),
        sa.Index("ix_relationships_source", "source_id", "kind"),
        sa.Index("ix_relationships_target", "target_id", "kind"),
        sa.Index("ix_relationships_tenant_kind", "tenant_id", "kind"),
        sa.Index("ix_relationships_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index("ix_relationships_tenant_updated", "tenant_id", "updated_at", "id"),
        sa.CheckConstraint("strength IS NULL OR (strength >= 0 AND strength <= 1)", name="ck_relationships_strength"),
        sa.CheckConstraint(
            f"source_type IN ({_ENDPOINTS_SQL}) AND target_type IN ({_ENDPOINTS_SQL})",
            name="ck_relationships_endpoint_types",
        ),
    )

    kind: str
    source_type: str
    source_id: uuid.UUID
    target_type: str
    target_id: uuid.UUID
    strength: float | None = None
    since: date | None = None
    until: date | None = None
    note: str | None = None
