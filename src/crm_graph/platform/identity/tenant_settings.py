"""A tenant's own settings, changed by its admins: today the browser origins allowed to
call the API for the tenant (crm_graph.api.transport.cors enforces them).

An origin is what a browser sends in its `Origin` header: scheme, host and port, no
path. Origins are stored the way browsers send them (lower case, default port left
out, international host names in punycode), so checking one is a set look-up.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from strawberry.http.websocket_origin import normalize_origin

from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.records import row_fields
from crm_graph.kernel.validation import Checker
from crm_graph.platform.authz.guard import require
from crm_graph.platform.identity.models import Tenant

TENANTS: sa.Table = Tenant.__table__
RECORD_TYPE = "tenant_settings"  # the policy object: admins hold it through "*"
UPDATED = "tenant.settings_updated"
MAX_ORIGINS = 50
MAX_ORIGIN_LENGTH = 300


def parse_origin(value: str) -> str | None:
    """`value` as a browser would send it in `Origin`, or None if it is not an
    http(s) origin (a path, query, credentials or a wildcard make it none)."""
    value = value.strip()
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or "@" in parts.netloc or "*" in value:
        return None
    host = parts.hostname
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")  # what browsers send
        except UnicodeError:
            return None
    host = f"[{host}]" if ":" in host else host
    port = f":{parts.port}" if parts.port is not None else ""
    return normalize_origin(f"{parts.scheme}://{host}{port}")


def _clean(values: list[Any]) -> tuple[list[str], Checker]:
    check = Checker({})
    if len(values) > MAX_ORIGINS:
        check.fail("cors_origins", f"At most {MAX_ORIGINS} origins.", "TOO_MANY")
    cleaned: list[str] = []
    for i, value in enumerate(values):
        origin = parse_origin(value) if isinstance(value, str) and len(value) <= MAX_ORIGIN_LENGTH else None
        if origin is None:
            check.fail(
                ("cors_origins", str(i)),
                "Not an origin: give scheme, host and optional port, e.g. https://app.example.com "
                "(no path, no wildcard).",
                "INVALID_ORIGIN",
            )
        elif origin not in cleaned:
            cleaned.append(origin)
    return cleaned, check


async def _load(db: Any, tenant_id: uuid.UUID) -> Mapping[str, Any]:
    stmt = sa.select(TENANTS.c.id, TENANTS.c.cors_origins).where(TENANTS.c.id == tenant_id)
    return row_fields((await db.execute(stmt)).one())


async def read_settings(db: Any, actor: Actor) -> Mapping[str, Any]:
    """The actor's tenant's settings (`db` runs under row-level security)."""
    require(actor, RECORD_TYPE, "read")
    return await _load(db, actor.tenant_id)


async def update_settings(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Change the fields given; unchanged settings write no event."""
    require(actor, RECORD_TYPE, "update")
    before = await _load(uow, uow.tenant_id)
    if data.get("cors_origins") is None:
        return before
    origins, check = _clean(list(data["cors_origins"]))
    check.done()
    if origins == list(before["cors_origins"]):
        return before
    stmt = (
        sa.update(TENANTS)
        .where(TENANTS.c.id == uow.tenant_id)
        .values(cors_origins=origins, updated_at=sa.func.now())
        .returning(TENANTS.c.id, TENANTS.c.cors_origins)
    )
    after = row_fields((await uow.execute(stmt)).one())
    uow.emit(UPDATED, "tenant", uow.tenant_id, None, {"cors_origins": (list(before["cors_origins"]), origins)})
    return after


async def cors_origins_by_tenant(engine: AsyncEngine) -> dict[uuid.UUID, frozenset[str]]:
    """Every tenant's allowed origins, for the tenants that have any. On the owner
    engine: a preflight names no tenant, so the answer spans them all."""
    stmt = sa.select(TENANTS.c.id, TENANTS.c.cors_origins).where(sa.func.cardinality(TENANTS.c.cors_origins) > 0)
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return {row.id: frozenset(row.cors_origins) for row in rows}
