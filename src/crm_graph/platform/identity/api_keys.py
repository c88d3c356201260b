"""API keys: the `crm_<prefix>_<secret>` format, checking a presented key, and the
create / revoke use cases. The secret exists only in the create result; the table
keeps its sha256.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_graph.kernel import journal, writes
from crm_graph.kernel.actor import Actor, Identity
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import Forbidden
from crm_graph.kernel.records import row_fields
from crm_graph.kernel.validation import Checker, as_utc
from crm_graph.platform.audit import chain
from crm_graph.platform.authz.enforcer import POLICIES
from crm_graph.platform.authz.guard import require
from crm_graph.platform.authz.models import Role
from crm_graph.platform.identity.api_key_models import ApiKey
from crm_graph.platform.identity.models import Tenant, User
from crm_graph.readside.common import lower
from crm_graph.readside.spec import Col, Entity, Order, Owned, Ref

TABLE: sa.Table = ApiKey.__table__
RECORD_TYPE = "api_key"
PREFIX_BYTES = 6  # 12 hex characters: unique enough, and never contains "_"
SECRET_BYTES = 32
# The prefix is fixed-length hex, so a secret that contains "_" still parses.
KEY_FORMAT = re.compile(r"crm_([0-9a-f]{12})_([A-Za-z0-9_-]{40,64})")
ROLE_FORMAT = re.compile(r"[a-z][a-z0-9_]{0,63}")
# last_used_at is informational: one write a minute per key instead of one per request.
TOUCH_EVERY = timedelta(minutes=1)

API_KEY = Entity(
    name="ApiKey",
    record_type=RECORD_TYPE,
    table=TABLE,
    tag=3,
    fields=[
        Col("name", str, description="What the key is for, e.g. ERP sync."),
        Col("prefix", str, description="The visible start of the key (crm_<prefix>_…); not a secret."),
        Col("role", str, description="The one role the key acts with."),
        Col("created_at", datetime, description="When it was created (UTC, ISO 8601)."),
        Col("expires_at", datetime | None, description="When it stops working; null if it never expires."),
        Col("last_used_at", datetime | None, description="Updated at most once a minute."),
        Col("revoked_at", datetime | None, description="When it was revoked; null while usable."),
    ],
    refs=[Ref("created_by", "User", "created_by_id", description="The admin who created it.")],
    # No filters: a tenant has a handful of keys, and every filter would need an index.
    orders=[
        Order("created_at", lambda t: [t.c.created_at], description="By creation time."),
        Order("name", lower("name"), description="By name, case-insensitive."),
    ],
    default_order="created_at",
    default_descending=True,
    archivable=False,  # keys are revoked, not archived
    scope=Owned("created_by_id"),  # a key is its creator's
    description="A credential for an integration. Its secret is shown once, when it is created.",
)


class KeyRefused(Exception):
    """The presented key is malformed, unknown, wrong, revoked or expired."""


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_key(token: str) -> bool:
    return token.startswith("crm_")


async def identify(engine: AsyncEngine, token: str) -> Identity:
    """The Identity a presented key stands for.

    Runs on the owner engine: the tenant is not known until the key is found.
    """
    match = KEY_FORMAT.fullmatch(token)
    if match is None:
        raise KeyRefused("The API key is malformed.")
    prefix, secret = match.groups()
    t, users, tenants = TABLE, User.__table__, Tenant.__table__
    # The creator's current state comes with the key: a key never acts beyond it.
    stmt = (
        sa.select(
            t,
            users.c.roles.label("creator_roles"),
            users.c.archived_at.label("creator_archived_at"),
            tenants.c.policy_version,
        )
        .outerjoin(users, users.c.id == t.c.created_by_id)
        .join(tenants, tenants.c.id == t.c.tenant_id)
        .where(t.c.prefix == prefix)
    )
    async with engine.connect() as conn:
        row = (await conn.execute(stmt)).first()
        # Revoked and expired are only told to someone who holds the real secret.
        if row is None or not hmac.compare_digest(_digest(secret), row.secret_hash):
            raise KeyRefused("The API key is not valid.")
        if row.revoked_at is not None:
            raise KeyRefused("The API key has been revoked.")
        now = datetime.now(UTC)
        if row.expires_at is not None and row.expires_at <= now:
            raise KeyRefused("The API key has expired.")
        await _check_creator(conn, row)
        if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
            # The WHERE repeats the check so concurrent requests write once between them.
            touched = await conn.execute(
                sa.update(t)
                .where(
                    t.c.id == row.id, sa.or_(t.c.last_used_at.is_(None), t.c.last_used_at < sa.func.now() - TOUCH_EVERY)
                )
                .values(last_used_at=sa.func.now())
            )
            if touched.rowcount:
                # A login by API key is audited, at the same once-a-minute cadence.
                await journal.write(
                    conn,
                    row.tenant_id,
                    [],
                    [chain.Entry("api_key.used", "api_key", row.id)],
                    actor_user_id=None,
                    actor_api_key_id=row.id,
                )
            await conn.commit()
    return Identity(tenant_id=row.tenant_id, api_key_id=row.id, api_key_role=row.role, method="api_key")


async def _check_creator(conn: Any, row: Any) -> None:
    """A key acts for its creator, so never beyond the creator's current rights: it is
    refused while the creator is deactivated, or no longer holds the key's role and may
    not write policy rules (the rule that let them create it). Keys made by an
    operator (`crm-graph api-key`, no creator) answer to nobody."""
    if row.created_by_id is None:
        return
    if row.creator_roles is None or row.creator_archived_at is not None:
        raise KeyRefused("The API key's creator is deactivated.")
    roles = tuple(row.creator_roles)
    if row.role in roles:
        return
    permissions = await POLICIES.permissions(conn, row.tenant_id, row.policy_version, roles)
    if not permissions.allows("policy", "create"):
        raise KeyRefused(f"The API key's creator no longer holds its role ({row.role}).")


async def role_defined(execute: Callable[[Any], Awaitable[Any]], tenant_id: uuid.UUID, role: str) -> bool:
    """Is `role` one of the tenant's roles? (`execute`: a connection's or a unit of
    work's.) Catches typos that would make a powerless key or user."""
    roles = Role.__table__
    stmt = sa.select(roles.c.id).where(
        roles.c.tenant_id == tenant_id, roles.c.name == role, roles.c.archived_at.is_(None)
    )
    return (await execute(stmt)).first() is not None


async def _check_role(uow: UnitOfWork, actor: Actor, role: str) -> None:
    """The role must exist in the tenant, and the creator must hold it or be allowed to
    write policy rules (who can write rules gains nothing from a key); otherwise a key
    would be a way to acquire a role one does not have."""
    if not await role_defined(uow.execute, uow.tenant_id, role):
        checker = Checker({})
        checker.fail("role", f"No role named {role!r} in this tenant.", "UNKNOWN_ROLE")
        checker.done()
    permissions = actor.permissions
    if role in actor.roles or permissions is None or permissions.allows("policy", "create"):
        return
    raise Forbidden(f"You may only create keys with a role you hold ({', '.join(actor.roles) or 'none'}).", ("role",))


async def create_api_key(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> tuple[Mapping[str, Any], str]:
    """Insert a key; returns the row and the full key, which is never stored."""
    require(actor, "api_key", "create")
    if actor.user_id is None:
        # A key that mints keys would outlive its own revocation.
        raise Forbidden("API keys cannot create API keys; sign in as a user.")
    values: dict[str, Any] = {
        "name": (data.get("name") or "").strip(),
        "role": (data.get("role") or "").strip(),
        "expires_at": as_utc(data.get("expires_at")),
    }
    check = Checker(values)
    check.text("name", required=True, max_length=200)
    if not ROLE_FORMAT.fullmatch(values["role"]):
        check.fail("role", "A role name: lower-case letters, digits and underscores.")
    if values["expires_at"] is not None and values["expires_at"] <= datetime.now(UTC):
        check.fail("expires_at", "Must be in the future.", "IN_THE_PAST")
    check.done()
    await _check_role(uow, actor, values["role"])
    prefix, secret = secrets.token_hex(PREFIX_BYTES), secrets.token_urlsafe(SECRET_BYTES)
    stmt = (
        sa.insert(TABLE)
        .values(
            **values,
            tenant_id=uow.tenant_id,
            prefix=prefix,
            secret_hash=_digest(secret),
            created_by_id=actor.user_id,
        )
        .returning(TABLE)
    )
    row = row_fields((await uow.execute(stmt)).one())
    uow.emit(f"{RECORD_TYPE}.created", RECORD_TYPE, row["id"], None, {k: (None, v) for k, v in values.items()})
    return row, f"crm_{prefix}_{secret}"


async def revoke_api_key(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    require(actor, "api_key", "revoke")
    """Revoke a key; revoking a revoked key changes nothing."""
    key_id: uuid.UUID = data["id"]
    before = await writes.load(uow, TABLE, RECORD_TYPE, key_id, action="revoke")
    if before["revoked_at"] is not None:
        return before
    stmt = sa.update(TABLE).where(TABLE.c.id == key_id).values(revoked_at=sa.func.now()).returning(TABLE)
    after = row_fields((await uow.execute(stmt)).one())
    uow.emit(f"{RECORD_TYPE}.revoked", RECORD_TYPE, key_id, None, {"revoked_at": (None, after["revoked_at"])})
    return after
