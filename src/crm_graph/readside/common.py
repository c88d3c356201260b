"""Pieces many entity declarations share."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from crm_graph.readside.spec import Col, Filter, FilterOp, Order


def record_fields() -> list[Col]:
    return [
        Col("created_at", datetime, description="When the record was created (UTC, ISO 8601)."),
        Col("updated_at", datetime, description="When the record last changed (UTC, ISO 8601)."),
        Col("version", int, description="Increases with every change; pass it as expectedVersion."),
        Col("archived_at", datetime | None, description="When it was archived; null while active."),
    ]


def record_orders() -> list[Order]:
    return [
        Order("created_at", lambda t: [t.c.created_at], description="By creation time."),
        Order("updated_at", lambda t: [t.c.updated_at], description="By time of the last change."),
    ]


def record_filters() -> list[Filter]:
    return [
        Filter("created_at", FilterOp.RANGE, ("created_at",), datetime, description="Created within these bounds."),
        Filter(
            "updated_at", FilterOp.RANGE, ("updated_at",), datetime, description="Last changed within these bounds."
        ),
    ]


def lower(column: str) -> Any:
    return lambda t: [sa.func.lower(t.c[column])]


# Stands in for a missing date so that keyset ordering puts it last. Not 9999-12-31:
# asyncpg sends date.max as 'infinity', which compares greater than itself.
FAR_FUTURE = "2999-12-31"


def nulls_last_date(column: str) -> Any:
    return lambda t: [sa.func.coalesce(t.c[column], sa.cast(sa.literal(FAR_FUTURE), sa.Date))]


def nulls_last_timestamp(column: str) -> Any:
    return lambda t: [sa.func.coalesce(t.c[column], sa.cast(sa.literal(FAR_FUTURE), sa.DateTime(timezone=True)))]


DATE = date
