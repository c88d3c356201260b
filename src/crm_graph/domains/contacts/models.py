"""Contacts: people, usually working at an organization."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import TenantRecord, json_object, text_array


class Contact(TenantRecord, table=True):
    __tablename__ = "contacts"
    __table_args__ = (
        sa.Index(
            "ix_contacts_tenant_name", "tenant_id", sa.text("lower(last_name)"), sa.text("lower(first_name)"), "id"
        ),
        sa.Index(
            "ix_contacts_organization_name",
            "organization_id",
            sa.text("lower(last_name)"),
            sa.text("lower(first_name)"),
            "id",
        ),
        sa.Index("ix_contacts_tenant_updated", "tenant_id", "updated_at", "id"),
        sa.Index("ix_contacts_emails", "emails", postgresql_using="gin"),
        sa.Index("ix_contacts_tags", "tags", postgresql_using="gin"),
        sa.Index("ix_contacts_tenant_lifecycle", "tenant_id", "lifecycle_stage"),
        sa.Index("ix_contacts_tenant_created", "tenant_id", "created_at", "id"),
        sa.Index(
            "ix_contacts_first_name_trgm",
            "first_name",
            postgresql_using="gin",
            postgresql_ops={"first_name": "gin_trgm_ops"},
        ),
        sa.Index(
            "ix_contacts_last_name_trgm",
            "last_name",
            postgresql_using="gin",
            postgresql_ops={"last_name": "gin_trgm_ops"},
        ),
    )

    first_name: str
    last_name: str
    emails: list[str] = text_array()
    phones: list[str] = text_array()
    title: str | None = None
    organization_id: uuid.UUID | None = Field(default=None, foreign_key="organizations.id")
    lifecycle_stage: str = Field(default="lead")
    tags: list[str] = text_array()
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True)
    email_opt_in: bool = False
    sms_opt_in: bool = False
    do_not_call: bool = False
    attributes: dict[str, Any] = json_object()
