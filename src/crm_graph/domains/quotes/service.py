"""Quote use cases. Each runs in the caller's unit of work.

Status moves: draft -submit-> approved (discount within the tenant's threshold) or
in_review (above it: an approval request is raised); in_review -approve-> approved,
-reject-> draft; approved -send-> sent; sent -accept-> accepted, -decline-> rejected;
draft/in_review/approved/sent -expire (job)-> expired. Lines change only in draft;
every change of a line rewrites the quote's totals in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.approvals import service as approvals
from crm_graph.domains.opportunities.models import Opportunity
from crm_graph.domains.opportunities.service import MAX_AMOUNT
from crm_graph.domains.products.models import PriceBook
from crm_graph.domains.quotes import lines as quote_lines
from crm_graph.domains.quotes import settings, totals
from crm_graph.domains.quotes.models import Quote, QuoteLine, QuoteStatus
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.kernel.validation import Checker

QUOTES: sa.Table = Quote.__table__
LINES: sa.Table = QuoteLine.__table__
BOOKS: sa.Table = PriceBook.__table__
OPPORTUNITIES: sa.Table = Opportunity.__table__
DRAFT, IN_REVIEW, APPROVED, SENT, ACCEPTED, REJECTED, EXPIRED = (s.value for s in QuoteStatus)
OPEN_STATUSES = (DRAFT, IN_REVIEW, APPROVED, SENT)
APPROVAL_KIND = "quote_discount"


def _invalid(field: str, message: str, code: str) -> Invalid:
    return Invalid([FieldProblem((field,), message, code)])


def today() -> date:
    return datetime.now(UTC).date()


async def _lock(uow: UnitOfWork, key: str) -> None:
    await uow.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"{uow.tenant_id}:{key}"))))


async def _next_number(uow: UnitOfWork) -> int:
    await _lock(uow, "quote_number")  # numbers are gap-free within the tenant
    stmt = sa.select(sa.func.coalesce(sa.func.max(QUOTES.c.number), 0) + 1).where(QUOTES.c.tenant_id == uow.tenant_id)
    return int((await uow.execute(stmt)).scalar_one())


async def _price_book(uow: UnitOfWork, price_book_id: uuid.UUID | None) -> Mapping[str, Any]:
    if price_book_id is not None:
        book = await writes.require_exists(uow, BOOKS, "price_book", price_book_id, ("price_book_id",))
        assert book is not None
        if not book["active"]:
            raise _invalid("price_book_id", "The price book is inactive.", "INACTIVE_PRICE_BOOK")
        return book
    stmt = sa.select(BOOKS).where(BOOKS.c.tenant_id == uow.tenant_id, BOOKS.c.is_default, BOOKS.c.archived_at.is_(None))
    row = (await uow.execute(stmt)).first()
    if row is None:
        raise _invalid("price_book_id", "There is no default price book; give one.", "REQUIRED")
    return dict(row._mapping)


def _check_header(check: Checker, values: Mapping[str, Any], *, creating: bool) -> None:
    check.text("name", required="name" in values and not creating, max_length=200)
    check.text("notes", max_length=10_000)
    if "valid_until" in values:
        if values["valid_until"] is None:
            check.fail("valid_until", "Cannot be null.", "REQUIRED")
        elif values["valid_until"] < today():
            check.fail("valid_until", "Must be today or later.", "IN_THE_PAST")


async def recompute(uow: UnitOfWork, quote: Mapping[str, Any], event: str | None = None) -> Mapping[str, Any]:
    """The quote's totals, summed in SQL over its stored (already rounded) line amounts."""
    t = LINES
    stmt = sa.select(
        sa.func.coalesce(sa.func.sum(t.c.subtotal), 0),
        sa.func.coalesce(sa.func.sum(t.c.discount_amount), 0),
        sa.func.coalesce(sa.func.sum(t.c.net_amount), 0),
        sa.func.coalesce(sa.func.sum(t.c.tax_amount), 0),
        sa.func.coalesce(sa.func.sum(t.c.total), 0),
        sa.func.coalesce(sa.func.max(t.c.discount_percent), 0),
    ).where(t.c.quote_id == quote["id"])
    row = (await uow.execute(stmt)).one()
    names = ("subtotal", "discount_total", "net_total", "tax_total", "grand_total", "max_discount_percent")
    changes = dict(zip(names, (Decimal(v) for v in row), strict=True))
    return await writes.update(uow, QUOTES, "quote", quote["id"], changes, before=quote, event=event)


async def _insert_line(uow: UnitOfWork, quote: Mapping[str, Any], position: int, values: dict[str, Any]) -> None:
    await writes.insert(uow, LINES, "quote_line", {**values, "quote_id": quote["id"], "position": position})


# --- create and edit ---------------------------------------------------------------


async def create_quote(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    given_lines = quote_lines.decode_lines(list(data.get("lines") or []))
    values = {k: data[k] for k in ("name", "valid_until", "notes") if data.get(k) is not None}
    if isinstance(values.get("name"), str):
        values["name"] = values["name"].strip()
    check = Checker(values)
    _check_header(check, values, creating=True)
    if len(given_lines) > quote_lines.MAX_LINES:
        check.fail("lines", f"At most {quote_lines.MAX_LINES} lines.", "TOO_MANY")
    for i, line in enumerate(given_lines):
        quote_lines.check_line(check, ("lines", str(i)), line, creating=True)
    check.done()
    opportunity = await writes.require_exists(
        uow, OPPORTUNITIES, "opportunity", data["opportunity_id"], ("opportunity_id",)
    )
    assert opportunity is not None
    book = await _price_book(uow, data.get("price_book_id"))
    config = await settings.read(uow, uow.tenant_id)
    values.setdefault("name", opportunity["name"])
    values.setdefault("valid_until", today() + timedelta(days=config["default_valid_days"]))
    has_primary = sa.select(QUOTES.c.id).where(
        QUOTES.c.opportunity_id == opportunity["id"], QUOTES.c.is_primary, QUOTES.c.archived_at.is_(None)
    )
    values.update(
        opportunity_id=opportunity["id"],
        number=await _next_number(uow),
        revision=1,
        status=DRAFT,
        price_book_id=book["id"],
        currency=book["currency"],
        # The opportunity's first quote is its primary one.
        is_primary=(await uow.execute(has_primary.limit(1))).first() is None,
    )
    quote = await writes.insert(uow, QUOTES, "quote", values)
    for i, line in enumerate(given_lines):
        await _insert_line(uow, quote, i, await quote_lines.priced(uow, quote, line, ("lines", str(i))))
    if not given_lines:
        return quote
    return await recompute(uow, quote)


async def _load(uow: UnitOfWork, data: dict[str, Any], action: str = "update") -> Mapping[str, Any]:
    before = await writes.load(uow, QUOTES, "quote", data["id"], action=action)
    writes.check_version("quote", before, data.get("expected_version"))
    if before["archived_at"] is not None:
        raise _invalid("id", "The quote is archived; restore it first.", "ARCHIVED")
    return before


def _require_status(quote: Mapping[str, Any], allowed: tuple[str, ...], doing: str) -> None:
    if quote["status"] not in allowed:
        raise _invalid("id", f"A quote that is {quote['status']} cannot be {doing}.", "INVALID_STATUS")


async def update_quote(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = {k: v for k, v in data.items() if k in ("name", "valid_until", "notes")}
    if isinstance(values.get("name"), str):
        values["name"] = values["name"].strip()
    check = Checker(values)
    _check_header(check, values, creating=False)
    check.done()
    before = await _load(uow, data)
    _require_status(before, (DRAFT,), "edited (revise it)")
    return await writes.update(uow, QUOTES, "quote", before["id"], values, before=before)


async def _line_and_quote(uow: UnitOfWork, data: dict[str, Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    line = await writes.load(uow, LINES, "quote_line", data["id"])
    writes.check_version("quote_line", line, data.get("expected_version"))
    quote = await writes.load(uow, QUOTES, "quote", line["quote_id"], path=("id",))
    _require_status(quote, (DRAFT,), "edited (revise it)")
    return line, quote


async def add_line(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    line = {k: data[k] for k in quote_lines.LINE_FIELDS if k in data}
    check = Checker(line)
    quote_lines.check_line(check, (), line, creating=True)
    check.done()
    quote = await writes.load(uow, QUOTES, "quote", data["quote_id"], path=("quote_id",))
    _require_status(quote, (DRAFT,), "edited (revise it)")
    stmt = sa.select(sa.func.count(), sa.func.coalesce(sa.func.max(LINES.c.position) + 1, 0)).where(
        LINES.c.quote_id == quote["id"]
    )
    count, position = (await uow.execute(stmt)).one()
    if count >= quote_lines.MAX_LINES:
        raise _invalid("quote_id", f"A quote has at most {quote_lines.MAX_LINES} lines.", "TOO_MANY")
    await _insert_line(uow, quote, position, await quote_lines.priced(uow, quote, line, ()))
    return await recompute(uow, quote)


async def update_line(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    given = {k: data[k] for k in quote_lines.LINE_FIELDS if k in data}
    check = Checker(given)
    quote_lines.check_line(check, (), given, creating=False)
    if "product_id" in given and given["product_id"] is None:
        check.fail("product_id", "Cannot be null.", "REQUIRED")
    check.done()
    line, quote = await _line_and_quote(uow, data)
    values = await quote_lines.priced(uow, quote, given, (), current=line)
    await writes.update(uow, LINES, "quote_line", line["id"], values, before=line)
    return await recompute(uow, quote)


async def remove_line(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    line, quote = await _line_and_quote(uow, data)
    await uow.execute(sa.delete(LINES).where(LINES.c.id == line["id"]))
    uow.emit("quote_line.deleted", "quote_line", line["id"], line["version"], {"quote_id": (line["quote_id"], None)})
    return await recompute(uow, quote)


# --- the approval workflow ---------------------------------------------------------


def approval_reason(quote: Mapping[str, Any], threshold: Decimal) -> str | None:
    """Why the quote needs approval under `threshold` (percent), or None when it does not."""
    largest = Decimal(quote["max_discount_percent"])
    overall = totals.overall_discount_percent(Decimal(quote["subtotal"]), Decimal(quote["discount_total"]))
    if largest > threshold:
        return f"Line discount {largest.normalize():f}% exceeds the {threshold.normalize():f}% threshold."
    if overall > threshold:
        return f"Overall discount {overall:.2f}% exceeds the {threshold.normalize():f}% threshold."
    return None


async def submit(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    before = await _load(uow, data)
    _require_status(before, (DRAFT,), "submitted")
    count = (await uow.execute(sa.select(sa.func.count()).where(LINES.c.quote_id == before["id"]))).scalar_one()
    if count == 0:
        raise _invalid("id", "A quote needs at least one line before it is submitted.", "NO_LINES")
    if before["valid_until"] < today():
        raise _invalid("id", "The quote's valid-until date has passed; change it first.", "EXPIRED")
    config = await settings.read(uow, uow.tenant_id)
    reason = approval_reason(before, Decimal(config["discount_threshold"]))
    stamp = {"submitted_by_id": uow.actor_id, "submitted_at": sa.func.now()}
    if reason is None:
        changes = {**stamp, "status": APPROVED, "approved_at": sa.func.now()}
        return await writes.update(uow, QUOTES, "quote", before["id"], changes, before=before, event="quote.approved")
    after = await writes.update(
        uow, QUOTES, "quote", before["id"], {**stamp, "status": IN_REVIEW}, before=before, event="quote.submitted"
    )
    await approvals.request(uow, "quote", before["id"], APPROVAL_KIND, reason)
    return after


async def _decide(uow: UnitOfWork, data: dict[str, Any], approved: bool) -> Mapping[str, Any]:
    comment = (data.get("comment") or "").strip() or None
    check = Checker({"comment": comment})
    check.text("comment", required=not approved, max_length=2000)
    check.done()
    before = await _load(uow, data, action="approve")
    _require_status(before, (IN_REVIEW,), "approved or rejected (it is not in review)")
    request = await approvals.pending(uow, "quote", before["id"])
    if request is None:  # cannot happen while in review; refuse rather than guess
        raise _invalid("id", "The quote has no pending approval request.", "NO_REQUEST")
    await approvals.decide(uow, request, approved, comment)
    if approved:
        changes: dict[str, Any] = {"status": APPROVED, "approved_at": sa.func.now()}
        return await writes.update(uow, QUOTES, "quote", before["id"], changes, before=before, event="quote.approved")
    return await writes.update(
        uow, QUOTES, "quote", before["id"], {"status": DRAFT}, before=before, event="quote.approval_rejected"
    )


async def approve(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    return await _decide(uow, data, True)


async def reject(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    return await _decide(uow, data, False)


async def send(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    before = await _load(uow, data)
    if before["status"] == IN_REVIEW:
        raise _invalid("id", "The quote is waiting for approval; it can be sent once approved.", "APPROVAL_REQUIRED")
    if before["status"] == DRAFT:
        raise _invalid("id", "Submit the quote first: it is sent once approved (quoteSubmit).", "APPROVAL_REQUIRED")
    _require_status(before, (APPROVED,), "sent")
    if before["valid_until"] < today():
        raise _invalid("id", "The quote's valid-until date has passed; revise it.", "EXPIRED")
    return await writes.update(
        uow,
        QUOTES,
        "quote",
        before["id"],
        {"status": SENT, "sent_at": sa.func.now()},
        before=before,
        event="quote.sent",
    )


async def _make_primary(uow: UnitOfWork, quote: Mapping[str, Any]) -> Mapping[str, Any]:
    others = (
        sa.select(QUOTES)
        .where(QUOTES.c.opportunity_id == quote["opportunity_id"], QUOTES.c.is_primary, QUOTES.c.id != quote["id"])
        .with_for_update()
    )
    for row in (await uow.execute(others)).all():
        await writes.update(uow, QUOTES, "quote", row.id, {"is_primary": False}, before=dict(row._mapping))
    return await writes.update(uow, QUOTES, "quote", quote["id"], {"is_primary": True}, before=quote)


async def after_accept(uow: UnitOfWork, quote: Mapping[str, Any]) -> None:
    """Hook for the orders pass: accepting a quote will create its order here, with
    the lines copied, in this same transaction."""


async def accept(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    before = await _load(uow, data)
    _require_status(before, (SENT,), "accepted (send it first)")
    if before["valid_until"] < today():
        raise _invalid("id", "The quote's valid-until date has passed; revise it.", "EXPIRED")
    if before["grand_total"] >= MAX_AMOUNT:  # it becomes the opportunity's amount (NUMERIC(14, 2))
        raise _invalid("id", f"An opportunity's amount must be less than {MAX_AMOUNT:,.0f}.", "OUT_OF_RANGE")
    after = await writes.update(
        uow,
        QUOTES,
        "quote",
        before["id"],
        {"status": ACCEPTED, "closed_at": sa.func.now()},
        before=before,
        event="quote.accepted",
    )
    after = await _make_primary(uow, after)
    # The opportunity's amount follows its primary quote.
    opportunity = await writes.load(uow, OPPORTUNITIES, "opportunity", after["opportunity_id"], path=("id",))
    await writes.update(
        uow,
        OPPORTUNITIES,
        "opportunity",
        opportunity["id"],
        {"amount": after["grand_total"], "currency": after["currency"]},
        before=opportunity,
    )
    await after_accept(uow, after)
    return after


async def decline(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    before = await _load(uow, data)
    _require_status(before, (SENT,), "declined (send it first)")
    return await writes.update(
        uow,
        QUOTES,
        "quote",
        before["id"],
        {"status": REJECTED, "closed_at": sa.func.now()},
        before=before,
        event="quote.rejected",
    )


async def revise(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """A new draft version with the same number and the lines copied; the old one
    stays readable, linked as `previousRevision`."""
    before = await _load(uow, data)
    if before["status"] == ACCEPTED:
        raise _invalid("id", "An accepted quote cannot be revised.", "INVALID_STATUS")
    newer = sa.select(QUOTES.c.id).where(QUOTES.c.previous_revision_id == before["id"])
    if (await uow.execute(newer.limit(1))).first() is not None:
        raise _invalid("id", "Only the latest revision can be revised.", "NOT_LATEST")
    if before["status"] == IN_REVIEW:
        request = await approvals.pending(uow, "quote", before["id"])
        if request is not None:
            await approvals.close(uow, request, approvals.CANCELLED)
        before = await writes.update(uow, QUOTES, "quote", before["id"], {"status": DRAFT}, before=before)
    copied = (
        *("opportunity_id", "number", "name", "price_book_id", "currency", "notes"),
        *("subtotal", "discount_total", "net_total", "tax_total", "grand_total", "max_discount_percent"),
    )
    config = await settings.read(uow, uow.tenant_id)
    values = {k: before[k] for k in copied}
    values.update(
        revision=before["revision"] + 1,
        previous_revision_id=before["id"],
        status=DRAFT,
        is_primary=before["is_primary"],
        # A lapsed offer gets a fresh validity; otherwise the revision keeps the date.
        valid_until=today() + timedelta(days=config["default_valid_days"])
        if before["valid_until"] < today()
        else before["valid_until"],
    )
    if before["is_primary"]:
        before = await writes.update(uow, QUOTES, "quote", before["id"], {"is_primary": False}, before=before)
    quote = await writes.insert(uow, QUOTES, "quote", values, event="quote.revised")
    rows = await uow.execute(sa.select(LINES).where(LINES.c.quote_id == before["id"]).order_by(LINES.c.position))
    line_columns = (
        *("position", "product_id", "description", "quantity", "list_price", "unit_price", "price_overridden"),
        *("discount_percent", "tax_rate", "subtotal", "discount_amount", "net_amount", "tax_amount", "total"),
    )
    for row in rows.all():
        await writes.insert(
            uow, LINES, "quote_line", {**{k: row._mapping[k] for k in line_columns}, "quote_id": quote["id"]}
        )
    return quote


archive_quote, restore_quote = writes.archive_use_cases(QUOTES, "quote")
