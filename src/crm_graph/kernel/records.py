"""Columns every tenant table shares: UUID key, tenant, timestamps, version, archive flag."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlmodel import Field, SQLModel


def row_fields(row: sa.Row[*tuple[Any, ...]]) -> Mapping[str, Any]:
    """A row's values by column name: what use cases return. Its keys are the column
    names (a statement's own labels); SQLAlchemy types them as str or Column."""
    return cast("Mapping[str, Any]", row._mapping)


def now_column() -> Any:
    return Field(
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now(), "nullable": False},
    )


class Record(SQLModel):
    """Base of every table. SQLAlchemy sets `__table__` on each table class; SQLModel
    does not declare it, so it is declared here for the type checker."""

    __table__: ClassVar[sa.Table]


class TenantRecord(Record):
    """Base of every tenant-owned table. Not a table itself."""

    id: uuid.UUID = Field(
        default_factory=uuid.uuid4,
        primary_key=True,
        sa_column_kwargs={"server_default": sa.text("gen_random_uuid()")},
    )
    tenant_id: uuid.UUID = Field(foreign_key="tenants.id", index=True, ondelete="CASCADE")
    created_at: datetime | None = now_column()
    updated_at: datetime | None = now_column()
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    archived_at: datetime | None = Field(default=None, sa_type=sa.DateTime(timezone=True))


def text_array() -> Any:
    return Field(
        default_factory=list,
        sa_type=pg.ARRAY(sa.Text()),
        sa_column_kwargs={"server_default": "{}", "nullable": False},
    )


def uuid_array() -> Any:
    return Field(
        default_factory=list,
        sa_type=pg.ARRAY(sa.Uuid()),
        sa_column_kwargs={"server_default": "{}", "nullable": False},
    )


def json_object() -> Any:
    return Field(
        default_factory=dict,
        sa_type=pg.JSONB(),
        sa_column_kwargs={"server_default": "{}", "nullable": False},
    )
