"""The pipeline every new tenant starts with."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from crm_graph.domains.opportunities.models import Pipeline, Stage

DEFAULT_PIPELINE = "Sales"
DEFAULT_STALE_AFTER_DAYS = 14
# (name, probability %, is_won, is_lost), in pipeline order.
DEFAULT_STAGES: tuple[tuple[str, int, bool, bool], ...] = (
    ("Qualification", 10, False, False),
    ("Discovery", 20, False, False),
    ("Proposal", 50, False, False),
    ("Negotiation", 75, False, False),
    ("Closed Won", 100, True, False),
    ("Closed Lost", 0, False, True),
)


async def create_default_pipeline(conn: AsyncConnection, tenant_id: uuid.UUID, new_id: Callable[[], uuid.UUID]) -> None:
    """The "Sales" pipeline and its six stages: two statements."""
    pipeline_id = new_id()
    await conn.execute(
        sa.insert(Pipeline.__table__).values(
            id=pipeline_id,
            tenant_id=tenant_id,
            name=DEFAULT_PIPELINE,
            is_default=True,
            stale_after_days=DEFAULT_STALE_AFTER_DAYS,
        )
    )
    await conn.execute(
        sa.insert(Stage.__table__),
        [
            {
                "id": new_id(),
                "tenant_id": tenant_id,
                "pipeline_id": pipeline_id,
                "name": stage_name,
                "position": position,
                "probability": probability,
                "is_won": is_won,
                "is_lost": is_lost,
            }
            for position, (stage_name, probability, is_won, is_lost) in enumerate(DEFAULT_STAGES, start=1)
        ],
    )
