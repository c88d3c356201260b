"""Each tenant's quoting settings: the discount above which a quote needs approval,
the document template, the name printed as the seller, the default validity."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_graph.domains.quotes.models import QuoteSettings
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.validation import Checker
from crm_graph.platform.authz.guard import require

TABLE: sa.Table = QuoteSettings.__table__
RECORD_TYPE = "quote_settings"  # the policy object: admins hold it through "*"
UPDATED = "quote_settings.updated"
FIELDS = ("discount_threshold", "document_template", "company_name", "default_valid_days")
DEFAULTS: dict[str, Any] = {
    "discount_threshold": Decimal("20.00"),
    "document_template": None,
    "company_name": None,
    "default_valid_days": 30,
}


async def read(conn: Any, tenant_id: uuid.UUID) -> Mapping[str, Any]:
    """The tenant's settings; the defaults until an admin first changes them (the row
    is made then, so creating a tenant writes nothing here)."""
    row = (await conn.execute(sa.select(TABLE).where(TABLE.c.tenant_id == tenant_id))).first()
    return dict(row._mapping) if row is not None else {**DEFAULTS, "version": 0}


async def update(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    require(actor, RECORD_TYPE, "update")
    values = {k: v for k, v in data.items() if k in FIELDS}
    check = Checker(values)
    check.number("discount_threshold", low=0, high=100)
    check.number("default_valid_days", low=1, high=3650)
    check.text("company_name", max_length=200)
    check.text("document_template", max_length=100_000)
    for key in ("discount_threshold", "default_valid_days"):
        if key in values and values[key] is None:
            check.fail(key, "Cannot be null.", "REQUIRED")
    if check.given("document_template") and values["document_template"].strip():
        from crm_graph.domains.quotes import document  # the template engine, only when one is given

        problem = document.template_problem(values["document_template"])
        if problem is not None:
            check.fail("document_template", problem, "INVALID_TEMPLATE")
    check.done()
    if values.get("document_template") is not None and not values["document_template"].strip():
        values["document_template"] = None
    before = await read(uow, uow.tenant_id)
    stmt = (
        pg_insert(TABLE)
        .values(tenant_id=uow.tenant_id, **{**{k: before[k] for k in FIELDS}, **values})
        .on_conflict_do_update(
            index_elements=["tenant_id"],
            set_={**values, "version": TABLE.c.version + 1, "updated_at": sa.func.now()},
        )
        .returning(TABLE)
    )
    row = dict((await uow.execute(stmt)).one()._mapping)
    changed = {k: (before[k], row[k]) for k in values if before[k] != row[k]}
    if changed:
        uow.emit(UPDATED, RECORD_TYPE, row["id"], row["version"], changed)
    return row
