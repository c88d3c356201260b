"""`crm-graph audit verify`: check every tenant's hash chain (or one tenant's)."""

from __future__ import annotations

import sqlalchemy as sa

from crm_graph.kernel.db import make_engine
from crm_graph.platform.audit import chain
from crm_graph.platform.identity.models import Tenant


async def verify_chains(database_url: str, tenant_slug: str | None = None) -> dict[str, list[str]]:
    """Problems per tenant slug (an empty list: the chain is intact)."""
    engine = make_engine(database_url, 1)
    tenants = Tenant.__table__
    try:
        async with engine.connect() as conn:
            stmt = sa.select(tenants.c.id, tenants.c.slug).order_by(tenants.c.slug)
            if tenant_slug is not None:
                stmt = stmt.where(tenants.c.slug == tenant_slug)
            rows = (await conn.execute(stmt)).all()
            if tenant_slug is not None and not rows:
                return {tenant_slug: ["no such tenant"]}
            return {row.slug: await chain.verify(conn, row.id) for row in rows}
    finally:
        await engine.dispose()
