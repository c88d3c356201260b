"""Tenants, teams (a tree) and users."""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import Record, TenantRecord, now_column, text_array


class Tenant(Record, table=True):
    __tablename__ = "tenants"

    id: uuid.UUID = Field(
        default_factory=uuid.uuid4,
        primary_key=True,
        sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")},
    )
    slug: str = Field(unique=True)
    name: str
    created_at: datetime | None = now_column()
    updated_at: datetime | None = now_column()
    # Bumped with every change to the tenant's authorization rules or role
    # assignments: caches of compiled permissions are keyed by it.
    policy_version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    # Browser origins (https://app.example.com) whose pages may call the API for this
    # tenant, beside the global CRM_CORS_ORIGINS (crm_graph.api.transport.cors).
    cors_origins: list[str] = text_array()


class Team(TenantRecord, table=True):
    __tablename__ = "teams"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "name"),)

    name: str
    parent_id: uuid.UUID | None = Field(default=None, foreign_key="teams.id", index=True)


class User(TenantRecord, table=True):
    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("tenant_id", "email"),)

    email: str
    name: str
    roles: list[str] = text_array()
    team_id: uuid.UUID | None = Field(default=None, foreign_key="teams.id", index=True)
