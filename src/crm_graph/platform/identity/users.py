"""Deactivating and reactivating users, and what a deactivation reaches.

A deactivated user (archived_at set) cannot sign in: actors are only built for
active users, so their tokens stop working at the next request. What they created
stops acting for them in the same transaction: their API keys are revoked and
their webhooks disabled (each with its own event, so audit shows why). Reactivation
gives the user back their sign-in only; revoked keys stay revoked and disabled
webhooks stay disabled until someone re-enables them, knowingly.

Both bump the tenant's policy version, so every process drops the user's cached
actor and open subscriptions re-check their reader at once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.kernel import writes
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import Forbidden
from crm_graph.platform.authz.guard import require
from crm_graph.platform.identity.api_key_models import ApiKey
from crm_graph.platform.identity.models import Tenant, User
from crm_graph.platform.webhooks.models import Webhook

USERS: sa.Table = User.__table__
KEYS: sa.Table = ApiKey.__table__
WEBHOOKS: sa.Table = Webhook.__table__
RECORD_TYPE = "user"
DEACTIVATED = "user.deactivated"
REACTIVATED = "user.reactivated"
WEBHOOK_REASON = "Its creator was deactivated."


async def bump_policy_version(uow: UnitOfWork) -> None:
    tenants = Tenant.__table__
    await uow.execute(
        sa.update(tenants).where(tenants.c.id == uow.tenant_id).values(policy_version=tenants.c.policy_version + 1)
    )


async def _revoke_keys(uow: UnitOfWork, user_id: uuid.UUID) -> None:
    revoked = await uow.execute(
        sa.update(KEYS)
        .where(KEYS.c.tenant_id == uow.tenant_id, KEYS.c.created_by_id == user_id, KEYS.c.revoked_at.is_(None))
        .values(revoked_at=sa.func.now())
        .returning(KEYS.c.id, KEYS.c.revoked_at)
    )
    for key_id, at in revoked.all():
        uow.emit("api_key.revoked", "api_key", key_id, None, {"revoked_at": (None, at)})


async def _disable_webhooks(uow: UnitOfWork, user_id: uuid.UUID) -> None:
    disabled = await uow.execute(
        sa.update(WEBHOOKS)
        .where(
            WEBHOOKS.c.tenant_id == uow.tenant_id, WEBHOOKS.c.created_by_id == user_id, WEBHOOKS.c.disabled_at.is_(None)
        )
        .values(
            disabled_at=sa.func.now(),
            disabled_reason=WEBHOOK_REASON,
            version=WEBHOOKS.c.version + 1,
            updated_at=sa.func.now(),
        )
        .returning(WEBHOOKS.c.id, WEBHOOKS.c.version, WEBHOOKS.c.disabled_at)
    )
    for hook_id, version, at in disabled.all():
        uow.emit(
            "webhook.updated",
            "webhook",
            hook_id,
            version,
            {"disabled_at": (None, at), "disabled_reason": (None, WEBHOOK_REASON)},
        )


async def deactivate_user(uow: UnitOfWork, actor: Any, data: dict[str, Any]) -> Mapping[str, Any]:
    """Deactivate a user; deactivating a deactivated user changes nothing."""
    require(actor, RECORD_TYPE, "archive")
    if data["id"] == actor.user_id:
        # Nobody locks themselves out by mistake; another admin can do it.
        raise Forbidden("You cannot deactivate yourself.", ("id",))
    before = await writes.load(uow, USERS, RECORD_TYPE, data["id"], action="archive")
    writes.check_version(RECORD_TYPE, before, data.get("expected_version"))
    if before["archived_at"] is not None:
        return before
    after = await writes.update(
        uow, USERS, RECORD_TYPE, before["id"], {"archived_at": sa.func.now()}, event=DEACTIVATED, before=before
    )
    await _revoke_keys(uow, before["id"])
    await _disable_webhooks(uow, before["id"])
    await bump_policy_version(uow)
    return after


async def reactivate_user(uow: UnitOfWork, actor: Any, data: dict[str, Any]) -> Mapping[str, Any]:
    """Let a deactivated user sign in again (their keys and webhooks stay off)."""
    require(actor, RECORD_TYPE, "archive")
    before = await writes.load(uow, USERS, RECORD_TYPE, data["id"], action="archive")
    writes.check_version(RECORD_TYPE, before, data.get("expected_version"))
    if before["archived_at"] is None:
        return before
    after = await writes.update(
        uow,
        USERS,
        RECORD_TYPE,
        before["id"],
        {"archived_at": None},
        event=REACTIVATED,
        before=before,
        allow_archived=True,
    )
    await bump_policy_version(uow)
    return after
