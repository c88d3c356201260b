"""Product and price book use cases. Each runs in the caller's unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_graph.domains.products import money
from crm_graph.domains.products.models import PriceBook, PriceBookEntry, Product
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.kernel.validation import Checker

PRODUCTS: sa.Table = Product.__table__
BOOKS: sa.Table = PriceBook.__table__
ENTRIES: sa.Table = PriceBookEntry.__table__
PRODUCT_FIELDS = ("sku", "name", "family", "unit", "description", "active")
BOOK_FIELDS = ("name", "currency", "is_default", "active", "description")
MAX_PRICE = Decimal("1e12")
NIL = uuid.UUID(int=0)


def _strip(data: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in fields}
    for key, value in out.items():
        if isinstance(value, str):
            out[key] = value.strip()
    return out


async def _lock(uow: UnitOfWork, key: str) -> None:
    """A transaction-scoped lock on `key` in this tenant: two writes checking the same
    unique value wait for each other, so the second sees the first's row."""
    await uow.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(f"{uow.tenant_id}:{key}"))))


def check_price(check: Checker, field: str | tuple[str, ...], value: Decimal | None, *, required: bool) -> None:
    if value is None:
        if required:
            check.fail(field, "This field is required.", "REQUIRED")
        return
    if not value.is_finite():
        check.fail(field, "Must be a number.")
    elif value < 0:
        check.fail(field, "Must be at least 0.", "OUT_OF_RANGE")
    elif value >= MAX_PRICE:
        check.fail(field, "Must be less than 1,000,000,000,000.", "OUT_OF_RANGE")
    elif value != value.quantize(Decimal("0.0001")):
        check.fail(field, "At most 4 decimal places.", "TOO_PRECISE")


# --- products ---------------------------------------------------------------------


async def _validate_product(uow: UnitOfWork, values: dict[str, Any], *, creating: bool, id_: uuid.UUID) -> None:
    check = Checker(values)
    check.text("sku", required=creating or "sku" in values, max_length=64)
    check.text("name", required=creating or "name" in values, max_length=200)
    check.text("unit", required="unit" in values, max_length=32)
    check.text("family", max_length=100)
    check.text("description", max_length=4000)
    if "active" in values and values["active"] is None:
        check.fail("active", "Cannot be null.", "REQUIRED")
    if check.given("sku") and values["sku"]:
        await _lock(uow, f"product_sku:{values['sku'].lower()}")
        taken = sa.select(PRODUCTS.c.id).where(
            PRODUCTS.c.tenant_id == uow.tenant_id,
            sa.func.lower(PRODUCTS.c.sku) == values["sku"].lower(),
            PRODUCTS.c.id != id_,
        )
        if (await uow.execute(taken)).first() is not None:
            check.fail("sku", "Another product has this SKU.", "DUPLICATE")
    check.done()


async def create_product(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _strip(data, PRODUCT_FIELDS)
    values.setdefault("unit", "each")
    if values.get("active") is None:
        values["active"] = True
    await _validate_product(uow, values, creating=True, id_=NIL)
    return await writes.insert(uow, PRODUCTS, "product", values)


async def update_product(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _strip(data, PRODUCT_FIELDS)
    before = await writes.load(uow, PRODUCTS, "product", data["id"])
    writes.check_version("product", before, data.get("expected_version"))
    await _validate_product(uow, values, creating=False, id_=data["id"])
    return await writes.update(uow, PRODUCTS, "product", data["id"], values, before=before)


archive_product, restore_product = writes.archive_use_cases(PRODUCTS, "product")


# --- price books ------------------------------------------------------------------


async def _validate_book(uow: UnitOfWork, values: dict[str, Any], *, creating: bool, id_: uuid.UUID) -> None:
    check = Checker(values)
    check.text("name", required=creating or "name" in values, max_length=200)
    check.text("description", max_length=2000)
    if (creating or "currency" in values) and not money.is_currency(values.get("currency")):
        check.fail("currency", "Must be an active ISO 4217 currency code, e.g. EUR.", "INVALID_CURRENCY")
    for key in ("is_default", "active"):
        if key in values and values[key] is None:
            check.fail(key, "Cannot be null.", "REQUIRED")
    if check.given("name") and values["name"]:
        taken = sa.select(BOOKS.c.id).where(
            BOOKS.c.tenant_id == uow.tenant_id, BOOKS.c.name == values["name"], BOOKS.c.id != id_
        )
        if (await uow.execute(taken)).first() is not None:
            check.fail("name", "Another price book has this name.", "DUPLICATE")
    check.done()


async def _take_default(uow: UnitOfWork, book_id: uuid.UUID) -> None:
    """Un-default the tenant's other books (the partial unique index holds one)."""
    stmt = sa.select(BOOKS.c.id).where(BOOKS.c.tenant_id == uow.tenant_id, BOOKS.c.is_default, BOOKS.c.id != book_id)
    for (other_id,) in (await uow.execute(stmt)).all():
        await writes.update(uow, BOOKS, "price_book", other_id, {"is_default": False})


def _normalize_book(data: dict[str, Any]) -> dict[str, Any]:
    values = _strip(data, BOOK_FIELDS)
    if isinstance(values.get("currency"), str):
        values["currency"] = values["currency"].upper()
    return values


async def create_price_book(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize_book(data)
    for key, default in (("is_default", False), ("active", True)):
        if values.get(key) is None:
            values[key] = default
    await _lock(uow, "price_book")  # one change of the default at a time
    await _validate_book(uow, values, creating=True, id_=NIL)
    if not values["is_default"]:
        # The tenant's first book is its default: quotes always have one to start from.
        has = sa.select(BOOKS.c.id).where(BOOKS.c.tenant_id == uow.tenant_id, BOOKS.c.archived_at.is_(None))
        values["is_default"] = (await uow.execute(has.limit(1))).first() is None
    if values["is_default"]:
        await _take_default(uow, NIL)
    return await writes.insert(uow, BOOKS, "price_book", values)


async def update_price_book(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize_book(data)
    await _lock(uow, "price_book")
    before = await writes.load(uow, BOOKS, "price_book", data["id"])
    writes.check_version("price_book", before, data.get("expected_version"))
    await _validate_book(uow, values, creating=False, id_=data["id"])
    if "currency" in values and values["currency"] != before["currency"]:
        used = sa.select(ENTRIES.c.id).where(ENTRIES.c.price_book_id == before["id"], ENTRIES.c.archived_at.is_(None))
        if (await uow.execute(used.limit(1))).first() is not None:
            raise Invalid(
                [FieldProblem(("currency",), "The book has prices: its currency cannot change.", "HAS_PRICES")]
            )
    if values.get("is_default") is False and before["is_default"]:
        raise Invalid([FieldProblem(("is_default",), "Make another book the default instead.", "DEFAULT_REQUIRED")])
    if values.get("is_default") and not before["is_default"]:
        if before["archived_at"] is not None:
            raise Invalid([FieldProblem(("id",), "The price book is archived; restore it first.", "ARCHIVED")])
        await _take_default(uow, before["id"])
    return await writes.update(uow, BOOKS, "price_book", data["id"], values, before=before)


async def archive_price_book(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    before = await writes.load(uow, BOOKS, "price_book", data["id"], action="archive")
    writes.check_version("price_book", before, data.get("expected_version"))
    if before["is_default"] and before["archived_at"] is None:
        raise Invalid(
            [
                FieldProblem(
                    ("id",),
                    "The default price book cannot be archived; make another the default first.",
                    "DEFAULT_REQUIRED",
                )
            ]
        )
    return await writes.archive(uow, BOOKS, "price_book", data["id"], data.get("expected_version"))


_, restore_price_book = writes.archive_use_cases(BOOKS, "price_book")


# --- entries ----------------------------------------------------------------------


async def set_price(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """The product's list price in the book: created, changed, or brought back."""
    check = Checker(data)
    check_price(check, "list_price", data.get("list_price"), required=True)
    check.done()
    await writes.require_exists(uow, BOOKS, "price_book", data["price_book_id"], ("price_book_id",))
    await writes.require_exists(uow, PRODUCTS, "product", data["product_id"], ("product_id",))
    # Make the row if there is none; then it is an ordinary versioned update.
    stmt = (
        pg_insert(ENTRIES)
        .values(
            tenant_id=uow.tenant_id,
            price_book_id=data["price_book_id"],
            product_id=data["product_id"],
            list_price=data["list_price"],
        )
        .on_conflict_do_nothing(index_elements=["tenant_id", "price_book_id", "product_id"])
        .returning(ENTRIES)
    )
    created = (await uow.execute(stmt)).first()
    if created is not None:
        row = dict(created._mapping)
        uow.emit(
            "price_book_entry.created",
            "price_book_entry",
            row["id"],
            row["version"],
            {k: (None, row[k]) for k in ("price_book_id", "product_id", "list_price")},
        )
        return row
    found = sa.select(ENTRIES.c.id).where(
        ENTRIES.c.tenant_id == uow.tenant_id,
        ENTRIES.c.price_book_id == data["price_book_id"],
        ENTRIES.c.product_id == data["product_id"],
    )
    entry_id = (await uow.execute(found)).scalar_one()
    before = await writes.load(uow, ENTRIES, "price_book_entry", entry_id)
    writes.check_version("price_book_entry", before, data.get("expected_version"))
    return await writes.update(
        uow,
        ENTRIES,
        "price_book_entry",
        entry_id,
        {"list_price": data["list_price"], "archived_at": None},
        before=before,
        allow_archived=True,
    )


archive_entry, restore_entry = writes.archive_use_cases(ENTRIES, "price_book_entry")


async def list_price(uow: UnitOfWork, price_book_id: uuid.UUID, product_id: uuid.UUID) -> Decimal | None:
    """The product's active list price in the book, if it has one."""
    stmt = sa.select(ENTRIES.c.list_price).where(
        ENTRIES.c.tenant_id == uow.tenant_id,
        ENTRIES.c.price_book_id == price_book_id,
        ENTRIES.c.product_id == product_id,
        ENTRIES.c.archived_at.is_(None),
    )
    found: Decimal | None = (await uow.execute(stmt)).scalar_one_or_none()
    return found
