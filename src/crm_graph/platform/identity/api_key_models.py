"""API keys: long-lived credentials for integrations, each acting with one role.

Only a hash of the secret is stored; `prefix` finds the row without it, and is safe
to show (it is the visible part of `crm_<prefix>_<secret>`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from crm_graph.kernel.records import Record, now_column


class ApiKey(Record, table=True):
    __tablename__ = "api_keys"

    id: uuid.UUID = Field(
        default_factory=uuid.uuid4,
        primary_key=True,
        sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")},
    )
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True, ondelete="CASCADE")
    name: str
    prefix: str = Field(unique=True)
    secret_hash: str  # hex sha256 of the secret part
    role: str
    # Kept when its creator is deleted: the key belongs to the tenant, not the person.
    created_by_id: uuid.UUID | None = Field(default=None, foreign_key="users.id", index=True, ondelete="SET NULL")
    created_at: datetime | None = now_column()
    expires_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    last_used_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))
