"""The expire_quotes job: open quotes past their valid-until day become expired, once,
with their event; a quote in review has its approval request cancelled."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from tests.quotes.helpers import QUOTE_CREATE, READ, SUBMIT, book, ok, opportunity, price, product

from crm_graph.domains.quotes import jobs
from crm_graph.platform.events.models import OutboxEvent


async def make(gql: Any, valid_until: date, discount: str = "0") -> dict[str, Any]:
    deal = await opportunity(gql)
    item = await product(gql, f"P-{valid_until}-{discount}")
    await price(gql, (await default_book(gql)), item, "10")
    line = {"productId": item, "quantity": "1", "discountPercent": discount}
    given = {"opportunityId": deal, "validUntil": valid_until.isoformat(), "lines": [line]}
    return ok(await gql(QUOTE_CREATE, {"i": given}), "quoteCreate")


_books: dict[int, str] = {}


async def default_book(gql: Any) -> str:
    if id(gql) not in _books:
        _books[id(gql)] = await book(gql, "USD", "USD")
    return _books[id(gql)]


async def test_quotes_past_their_date_expire_once(tenant, gql, engine):
    today = datetime.now(UTC).date()
    soon = await make(gql, today + timedelta(days=1))
    later = await make(gql, today + timedelta(days=10))
    reviewed = await make(gql, today + timedelta(days=1), discount="50")
    ok(await gql(SUBMIT, {"i": {"id": reviewed["id"]}}), "quoteSubmit")
    ctx = {"engine": engine, "now": lambda: datetime.now(UTC) + timedelta(days=3)}
    assert await jobs.expire_quotes(ctx, tenant.id) == 2
    assert await jobs.expire_quotes(ctx, tenant.id) == 0, "a second run must not expire again"
    got = {q["id"]: (await gql(READ, {"id": q["id"]}))["node"] for q in (soon, later, reviewed)}
    assert [got[q["id"]]["status"] for q in (soon, later, reviewed)] == ["EXPIRED", "DRAFT", "EXPIRED"]
    assert [e["node"]["status"] for e in got[reviewed["id"]]["approvalRequests"]["edges"]] == ["CANCELLED"]
    outbox = OutboxEvent.__table__  # type: ignore[attr-defined]
    async with engine.connect() as conn:
        types = (
            await conn.execute(
                sa.select(outbox.c.type).where(outbox.c.tenant_id == tenant.id, outbox.c.type == "quote.expired")
            )
        ).all()
    assert len(types) == 2
