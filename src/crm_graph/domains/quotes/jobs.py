"""`expire_quotes` (arq cron): quotes past their valid-until date become expired.

Each expiry is an ordinary versioned write with its `quote.expired` event and audit
entry, made as the system (no user) in each tenant's own unit of work. Idempotent: a
run repeated, or two workers at once, expire each quote once (rows are locked and
skipped when another run holds them; an expired quote is no longer selected).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
import structlog

from crm_graph.domains.approvals import service as approvals
from crm_graph.domains.quotes.models import Quote
from crm_graph.domains.quotes.service import OPEN_STATUSES
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import RequestDB

QUOTES: sa.Table = Quote.__table__
BATCH = 200
log = structlog.get_logger(__name__)
Ctx = dict[str, Any]


def _today(ctx: Ctx) -> date:
    clock: Callable[[], datetime] = ctx.get("now") or (lambda: datetime.now(UTC))
    return clock().astimezone(UTC).date()


async def expire_quotes(ctx: Ctx, tenant_id: uuid.UUID | None = None) -> int:
    """Expire open quotes whose valid-until day is over (UTC), of one tenant or all;
    returns how many were expired."""
    day = _today(ctx)
    engine = ctx["engine"]
    due = sa.select(QUOTES.c.tenant_id).where(
        QUOTES.c.status.in_(OPEN_STATUSES),
        QUOTES.c.valid_until < day,
        QUOTES.c.archived_at.is_(None),
        *([QUOTES.c.tenant_id == tenant_id] if tenant_id is not None else []),
    )
    async with engine.connect() as conn:
        tenants = list((await conn.execute(due.distinct())).scalars())
    expired = 0
    for tid in tenants:
        db = RequestDB(engine, tid)
        try:
            while True:
                async with db.unit_of_work(Actor(tenant_id=tid, user_id=None)) as uow:
                    stmt = (
                        sa.select(QUOTES)
                        .where(
                            QUOTES.c.tenant_id == tid,
                            QUOTES.c.status.in_(OPEN_STATUSES),
                            QUOTES.c.valid_until < day,
                            QUOTES.c.archived_at.is_(None),
                        )
                        .order_by(QUOTES.c.id)
                        .limit(BATCH)
                        .with_for_update(skip_locked=True)
                    )
                    rows = (await uow.execute(stmt)).all()
                    for row in rows:
                        if row.status == "in_review":  # nobody needs to decide any more
                            request = await approvals.pending(uow, "quote", row.id)
                            if request is not None:
                                await approvals.close(uow, request, approvals.CANCELLED)
                        await writes.update(
                            uow,
                            QUOTES,
                            "quote",
                            row.id,
                            {"status": "expired", "closed_at": sa.func.now()},
                            before=dict(row._mapping),
                            event="quote.expired",
                        )
                expired += len(rows)
                if len(rows) < BATCH:
                    break
        finally:
            await db.close()
    if expired:
        log.info("quotes.expired", count=expired)
    return expired
