"""Webhook use cases: create, update, delete, rotate the secret, test, redeliver.

Each starts with the policy check (`webhook` rules; only admins hold them by default)
and runs in the caller's unit of work. Secrets never enter an event's changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.catalog import CATALOG
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Forbidden, Invalid, NotFound
from crm_graph.kernel.records import row_fields
from crm_graph.kernel.settings import get_settings
from crm_graph.kernel.validation import Checker
from crm_graph.platform.authz.guard import require
from crm_graph.platform.events.models import OutboxHead
from crm_graph.platform.webhooks import addresses, signing
from crm_graph.platform.webhooks.models import Webhook, WebhookDelivery

WEBHOOKS: sa.Table = Webhook.__table__
DELIVERIES: sa.Table = WebhookDelivery.__table__
RECORD_TYPE = "webhook"
ROTATION_GRACE = timedelta(hours=24)
MAX_EVENT_TYPES = 50
TEST_EVENT = "webhook.test"


async def url_problem(
    url: str, *, allow_private: bool | None = None, resolve: addresses.Resolver = addresses.system_resolve
) -> str | None:
    """Why `url` may not receive webhooks, or None: every address its host resolves to
    must be publicly routable (crm_graph.platform.webhooks.addresses). `allow_private` (the
    CRM_WEBHOOK_ALLOW_PRIVATE setting by default) lets loopback through, nothing else."""
    if allow_private is None:
        allow_private = get_settings().webhook_allow_private
    target = await addresses.check(url, allow_loopback=allow_private, resolve=resolve)
    return target if isinstance(target, str) else None


def _event_types(value: Any, check: Checker) -> list[str]:
    types = list(dict.fromkeys(t.strip() for t in value or []))
    if not types:
        check.fail("event_types", "Name at least one event type (or *).", "REQUIRED")
    if len(types) > MAX_EVENT_TYPES:
        check.fail("event_types", f"At most {MAX_EVENT_TYPES} event types.", "TOO_MANY")
    for i, t in enumerate(types):
        # Checked against the catalog: a misspelt type would match nothing, silently.
        problem = CATALOG.pattern_problem(t)
        if problem:
            check.fail(("event_types", str(i)), problem, "UNKNOWN_EVENT_TYPE")
    return types


# How a payload query is checked against the schema (document -> problems): this
# service does not import GraphQL, so the composition root that serves the API
# (crm_graph.app) hands it the transport's check through `check_payload_queries_with`.
_payload_check: Callable[[str], list[str]] | None = None


def check_payload_queries_with(check: Callable[[str], list[str]]) -> None:
    """Payload queries saved from now on are checked by `check` (the API's gate)."""
    global _payload_check
    _payload_check = check


async def _validate(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    check = Checker(data)
    check.text("url", required=creating, max_length=2000)
    check.text("description", max_length=500)
    if data.get("url") is not None:
        values["url"] = data["url"].strip()
        problem = await url_problem(values["url"])
        if problem:
            check.fail("url", problem, "URL_REFUSED")
    elif "url" in data and not creating:
        check.fail("url", "Cannot be null.", "REQUIRED")
    if creating or "event_types" in data:
        values["event_types"] = _event_types(data.get("event_types"), check)
    if "description" in data:
        values["description"] = (data["description"] or "").strip() or None
    if "payload_query" in data:
        document = (data["payload_query"] or "").strip() or None
        if document is not None:
            if _payload_check is None:  # fail closed: a payload query is never saved unchecked
                raise RuntimeError("No payload-query check installed (check_payload_queries_with).")
            for problem in _payload_check(document):
                check.fail("payload_query", problem, "INVALID_QUERY")
        values["payload_query"] = document
    check.done()
    return values


def _public(values: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {k: (None, v) for k, v in values.items() if "secret" not in k}


async def create_webhook(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> tuple[Mapping[str, Any], str]:
    """Insert an endpoint; returns it and its secret (shown this once)."""
    require(actor, RECORD_TYPE, "create")
    if actor.user_id is None:
        # A webhook sends what its creator may read, as they are now: it needs a user.
        raise Forbidden("API keys cannot create webhooks; sign in as a user.")
    values = await _validate(data, creating=True)
    heads = OutboxHead.__table__
    head = sa.select(heads.c.seq).where(heads.c.tenant_id == uow.tenant_id).scalar_subquery()
    secret = signing.new_secret()
    stmt = (
        sa.insert(WEBHOOKS)
        .values(
            **values,
            tenant_id=uow.tenant_id,
            secret=secret,
            created_by_id=actor.user_id,
            start_seq=sa.func.coalesce(head, 0),
        )
        .returning(WEBHOOKS)
    )
    row = row_fields((await uow.execute(stmt)).one())
    uow.emit(f"{RECORD_TYPE}.created", RECORD_TYPE, row["id"], row["version"], _public(values))
    return row, secret


async def update_webhook(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Change url, event types or description; `enabled: true` re-enables a disabled one."""
    require(actor, RECORD_TYPE, "update")
    values = await _validate(data, creating=False)
    enabled = data.get("enabled")
    if enabled is True:
        values.update(disabled_at=None, disabled_reason=None, failing_since=None)
    elif enabled is False:
        before = await writes.load(uow, WEBHOOKS, RECORD_TYPE, data["id"])
        if before["disabled_at"] is None:
            values.update(disabled_at=sa.func.now(), disabled_reason="Disabled by a user.")
    return await writes.update(
        uow, WEBHOOKS, RECORD_TYPE, data["id"], values, expected_version=data.get("expected_version")
    )


async def delete_webhook(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Delete an endpoint and its delivery log; returns it as it was."""
    require(actor, RECORD_TYPE, "delete")
    before = await writes.load(uow, WEBHOOKS, RECORD_TYPE, data["id"], action="delete")
    await uow.execute(sa.delete(WEBHOOKS).where(WEBHOOKS.c.id == before["id"]))
    uow.emit(f"{RECORD_TYPE}.deleted", RECORD_TYPE, before["id"], before["version"], {"url": (before["url"], None)})
    return before


async def rotate_secret(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> tuple[Mapping[str, Any], str]:
    """A new secret; the current one keeps signing (beside it) for 24 hours."""
    require(actor, RECORD_TYPE, "update")
    before = await writes.load(uow, WEBHOOKS, RECORD_TYPE, data["id"])
    secret = signing.new_secret()
    stmt = (
        sa.update(WEBHOOKS)
        .where(WEBHOOKS.c.id == before["id"])
        .values(
            secret=secret,
            previous_secret=before["secret"],
            previous_secret_expires_at=datetime.now(UTC) + ROTATION_GRACE,
            version=WEBHOOKS.c.version + 1,
            updated_at=sa.func.now(),
        )
        .returning(WEBHOOKS)
    )
    after = row_fields((await uow.execute(stmt)).one())
    uow.emit(
        f"{RECORD_TYPE}.secret_rotated",
        RECORD_TYPE,
        before["id"],
        after["version"],
        {"previous_secret_expires_at": (before["previous_secret_expires_at"], after["previous_secret_expires_at"])},
    )
    return after, secret


async def test_webhook(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Queue a `webhook.test` delivery; the worker sends it within seconds."""
    require(actor, RECORD_TYPE, "update")
    hook = await writes.load(uow, WEBHOOKS, RECORD_TYPE, data["id"], lock=False)
    delivery_id = uuid.uuid4()
    payload = {
        "id": None,
        "tenant_id": str(uow.tenant_id),
        "type": TEST_EVENT,
        "record_type": RECORD_TYPE,
        "record_id": str(hook["id"]),
        "record_version": hook["version"],
        "actor_user_id": str(actor.user_id) if actor.user_id else None,
        "actor_api_key_id": str(actor.api_key_id) if actor.api_key_id else None,
        "occurred_at": datetime.now(UTC).isoformat(),
        "changes": {},
    }
    stmt = (
        sa.insert(DELIVERIES)
        .values(
            id=delivery_id,
            tenant_id=uow.tenant_id,
            webhook_id=hook["id"],
            event_type=TEST_EVENT,
            payload=payload,
            status="pending",
            next_attempt_at=sa.func.now(),
        )
        .returning(DELIVERIES)
    )
    return row_fields((await uow.execute(stmt)).one())


async def redeliver(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Send a delivery again, with the same `webhook-id` and a fresh retry schedule."""
    require(actor, RECORD_TYPE, "update")
    t = DELIVERIES
    row = (
        await uow.execute(
            sa.select(t).where(t.c.id == data["delivery_id"], t.c.tenant_id == uow.tenant_id).with_for_update()
        )
    ).first()
    if row is None:
        raise NotFound("webhook delivery", ("delivery_id",))
    if row.status == "pending":
        raise Invalid([FieldProblem(("delivery_id",), "The delivery is still being attempted.", "PENDING")])
    stmt = (
        sa.update(t)
        .where(t.c.id == row.id)
        .values(
            status="pending",
            retry_from=t.c.attempts,
            next_attempt_at=sa.func.now(),
            version=t.c.version + 1,
            updated_at=sa.func.now(),
        )
        .returning(t)
    )
    return row_fields((await uow.execute(stmt)).one())
