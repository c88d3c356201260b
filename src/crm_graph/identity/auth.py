"""Who a request acts as.

A bearer JWT (HS256, `CRM_JWT_SECRET`) names the tenant (`tid`) and user (`sub`).
Without credentials, a request acts as the default tenant's admin: a development
convenience that the authentication issue replaces.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy.ext.asyncio import AsyncEngine
import sqlalchemy as sa

from crm_graph.db import RequestDB
from crm_graph.identity.actor import Actor
from crm_graph.identity.models import Tenant, User

ALGORITHM = "HS256"


class Unauthenticated(Exception):
    pass


def issue_token(secret: str, tenant_id: uuid.UUID, user_id: uuid.UUID, ttl: timedelta = timedelta(hours=1)) -> str:
    now = datetime.now(UTC)
    claims = {"sub": str(user_id), "tid": str(tenant_id), "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def read_token(secret: str, token: str) -> tuple[uuid.UUID, uuid.UUID]:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["sub", "tid", "exp"]})
        return uuid.UUID(claims["tid"]), uuid.UUID(claims["sub"])
    except (jwt.PyJWTError, ValueError) as exc:
        raise Unauthenticated("The token is not valid.") from exc


async def default_identity(engine: AsyncEngine, tenant_slug: str, email: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    users, tenants = User.__table__, Tenant.__table__
    stmt = (
        sa.select(users.c.tenant_id, users.c.id)
        .join(tenants, tenants.c.id == users.c.tenant_id)
        .where(tenants.c.slug == tenant_slug, users.c.email == email)
    )
    async with engine.connect() as conn:
        row = (await conn.execute(stmt)).first()
    return None if row is None else (row.tenant_id, row.id)


async def load_actor(db: RequestDB, user_id: uuid.UUID) -> Actor:
    users = User.__table__
    stmt = sa.select(users).where(users.c.id == user_id, users.c.tenant_id == db.tenant_id, users.c.archived_at.is_(None))
    row = (await db.execute(stmt)).first()
    if row is None:
        raise Unauthenticated("The user does not exist or is deactivated.")
    return Actor(
        tenant_id=row.tenant_id, user_id=row.id, roles=tuple(row.roles), team_id=row.team_id, email=row.email
    )
