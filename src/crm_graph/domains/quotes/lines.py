"""Quote lines: validated, priced from the price book (or by hand) and their amounts computed."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.products import service as catalog
from crm_graph.domains.products.models import Product
from crm_graph.domains.quotes import totals
from crm_graph.domains.quotes.models import QuoteLine
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.kernel.validation import Checker
from crm_graph.readside.ids import from_global_id

LINES: sa.Table = QuoteLine.__table__
PRODUCTS: sa.Table = Product.__table__
MAX_QUANTITY = Decimal("1e9")
MAX_LINES = 500
LINE_FIELDS = ("product_id", "quantity", "unit_price", "discount_percent", "tax_rate", "description")


def decode_lines(lines: list[dict[str, Any]], path: str = "lines") -> list[dict[str, Any]]:
    """Nested inputs are not decoded by `mutation(ids=...)`: product IDs are done here."""
    problems = []
    for i, line in enumerate(lines):
        if line.get("product_id") is None:
            continue
        found = from_global_id(line["product_id"])
        if found is None or found[0].name != "Product":
            problems.append(FieldProblem((path, str(i), "product_id"), "Not the ID of a Product.", "INVALID_ID"))
        else:
            line["product_id"] = found[1]
    if problems:
        raise Invalid(problems)
    return lines


def _check_percent(check: Checker, path: tuple[str, ...], value: Decimal | None, places: int) -> None:
    if value is None:
        return
    if not value.is_finite() or value < 0 or value > 100:
        check.fail(path, "Must be a percentage from 0 to 100.", "OUT_OF_RANGE")
    elif value != value.quantize(Decimal(1).scaleb(-places)):
        check.fail(path, f"At most {places} decimal places.", "TOO_PRECISE")


def check_line(check: Checker, prefix: tuple[str, ...], line: Mapping[str, Any], *, creating: bool) -> None:
    quantity = line.get("quantity")
    if creating or "quantity" in line:
        if quantity is None:
            check.fail((*prefix, "quantity"), "This field is required.", "REQUIRED")
        elif not quantity.is_finite() or quantity <= 0:
            check.fail((*prefix, "quantity"), "Must be more than 0.", "OUT_OF_RANGE")
        elif quantity >= MAX_QUANTITY:
            check.fail((*prefix, "quantity"), "Must be less than 1,000,000,000.", "OUT_OF_RANGE")
        elif quantity != quantity.quantize(Decimal("0.0001")):
            check.fail((*prefix, "quantity"), "At most 4 decimal places.", "TOO_PRECISE")
    if creating and line.get("product_id") is None:
        check.fail((*prefix, "product_id"), "This field is required.", "REQUIRED")
    catalog.check_price(check, (*prefix, "unit_price"), line.get("unit_price"), required=False)
    _check_percent(check, (*prefix, "discount_percent"), line.get("discount_percent"), 2)
    _check_percent(check, (*prefix, "tax_rate"), line.get("tax_rate"), 3)
    for key in ("discount_percent", "tax_rate"):
        if key in line and line[key] is None and not creating:
            check.fail((*prefix, key), "Cannot be null; 0 for none.", "REQUIRED")
    description = line.get("description")
    if description is not None and len(description) > 2000:
        check.fail((*prefix, "description"), "At most 2000 characters.", "TOO_LONG")


async def product(uow: UnitOfWork, product_id: uuid.UUID, path: tuple[str, ...]) -> Mapping[str, Any]:
    stmt = sa.select(PRODUCTS).where(
        PRODUCTS.c.id == product_id, PRODUCTS.c.tenant_id == uow.tenant_id, PRODUCTS.c.archived_at.is_(None)
    )
    row = (await uow.execute(stmt)).first()
    if row is None:
        raise Invalid([FieldProblem(path, "No active product with this ID.", "NOT_FOUND")])
    if not row.active:
        raise Invalid([FieldProblem(path, "The product is inactive.", "INACTIVE_PRODUCT")])
    return dict(row._mapping)


async def priced(
    uow: UnitOfWork,
    quote: Mapping[str, Any],
    line: Mapping[str, Any],
    prefix: tuple[str, ...],
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The line's stored values: given fields over the current line's, the list price
    looked up when the product changes, and its amounts."""
    values = {**(current or {}), **{k: v for k, v in line.items() if k in LINE_FIELDS}}
    if values.get("discount_percent") is None:
        values["discount_percent"] = Decimal(0)
    if values.get("tax_rate") is None:
        values["tax_rate"] = Decimal(0)
    new_product = current is None or ("product_id" in line and line["product_id"] != current["product_id"])
    if new_product:
        found = await product(uow, values["product_id"], (*prefix, "product_id"))
        if not values.get("description"):
            values["description"] = found["name"]
        values["list_price"] = (
            await catalog.list_price(uow, quote["price_book_id"], found["id"]) if quote["price_book_id"] else None
        )
    if "unit_price" in line and line["unit_price"] is not None:
        values["price_overridden"] = True
    elif new_product or ("unit_price" in line and line["unit_price"] is None):
        # No price given: the book's list price (again, when the override is cleared).
        if values.get("list_price") is None:
            raise Invalid(
                [
                    FieldProblem(
                        (*prefix, "unit_price"),
                        "The product has no price in the quote's price book: give a unit price.",
                        "NO_LIST_PRICE",
                    )
                ]
            )
        values["unit_price"] = values["list_price"]
        values["price_overridden"] = False
    amounts = totals.line_amounts(
        values["quantity"], values["unit_price"], values["discount_percent"], values["tax_rate"], quote["currency"]
    )
    keep = ("product_id", "description", "quantity", "list_price", "unit_price", "price_overridden")
    out = {k: values[k] for k in keep if k in values}
    out.update(discount_percent=values["discount_percent"], tax_rate=values["tax_rate"], **amounts.as_values())
    return out
