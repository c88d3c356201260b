"""The viewer's notifications: `notifications` (query), `notificationMarkRead`, and
the `notifications` subscription.

The subscription polls PostgreSQL once a second with a short-lived handle per poll
(no outbox events: notifications are personal, see notifications/service.py), so
an idle subscriber holds no pooled connection and any instance serves any user.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime, timedelta
from typing import Any

import strawberry
from strawberry.types import Info

from crm_graph.api.kit import types
from crm_graph.api.kit.builder import make_param, page_args
from crm_graph.api.kit.errors import bad_input, forbidden
from crm_graph.api.kit.fields import Policy, root_field
from crm_graph.api.kit.loaders import Loaders
from crm_graph.api.kit.mutations import mutation
from crm_graph.api.kit.node import make_node
from crm_graph.api.kit.roots import connection_root_field
from crm_graph.domains.notifications import read as queries
from crm_graph.domains.notifications import service
from crm_graph.domains.notifications.read import NOTIFICATION
from crm_graph.kernel.db import RequestDB
from crm_graph.platform.authz.actors import UnknownActor, load_actor
from crm_graph.platform.events.api_subscriptions import LiveContext, live_batch

NotificationType: Any = getattr(types, NOTIFICATION.name)
READ = Policy("notification", "read")
POLL_SECONDS = 1.0
REFRESH_SECONDS = 5.0  # re-load the subscriber's actor (roles, deactivation) this often
# A notification's created_at is its transaction's start, which may precede its
# commit: each poll looks this far back (and skips what it already sent).
LOOKBACK = timedelta(seconds=60)


@strawberry.input(description="The notification to mark read.")
class NotificationMarkReadInput:
    id: strawberry.ID


def _inbox_args(kwargs: dict[str, Any]) -> Any:
    """The viewer's own notifications, newest first; only unread ones with `unreadOnly`."""
    first, after = kwargs.get("first"), kwargs.get("after")
    page_args(NOTIFICATION, {"first": first, "after": after})  # validates first
    return queries.inbox_args(first, after, bool(kwargs.get("unread_only")))


_PARAMS = [
    make_param("first", int | None, 20, "At most this many notifications (0 to 100)."),
    make_param("after", str | None, None, "Cursor of the edge to start after (from pageInfo.endCursor)."),
    make_param("unread_only", bool | None, False, "Only those not yet marked read."),
]


async def _follow(ctx: LiveContext) -> AsyncGenerator[Any, None]:
    assert ctx.identity is not None and ctx.actor is not None
    engine, identity, actor = ctx.state.app_engine, ctx.identity, ctx.actor
    loop = asyncio.get_running_loop()
    refreshed = loop.time()
    seen: dict[uuid.UUID, datetime] = {}

    db = RequestDB(engine, identity.tenant_id)
    try:
        start = await queries.database_now(db)
        since = start - LOOKBACK
        # Those already there when subscribing are not new.
        for row in await queries.created_since(db, actor, since, []):
            seen[row["id"]] = row["created_at"]
    finally:
        await db.close()

    while True:
        await asyncio.sleep(POLL_SECONDS)
        db = RequestDB(engine, identity.tenant_id)
        try:
            if loop.time() - refreshed >= REFRESH_SECONDS:
                try:
                    actor = await load_actor(db, identity)
                except UnknownActor as exc:
                    raise forbidden("The user no longer exists or is deactivated.") from exc
                refreshed = loop.time()
                if actor.permissions is not None and not actor.permissions.allows("notification", "read"):
                    raise forbidden("Read access was revoked.")
            now = await queries.database_now(db)
            since = max(since, now - LOOKBACK)
            seen = {k: v for k, v in seen.items() if v >= since}
            rows = await queries.created_since(db, actor, since, list(seen))
            if rows:
                live_batch.set((db, Loaders(db, actor)))
                try:
                    for row in rows:
                        seen[row["id"]] = row["created_at"]
                        yield make_node(NOTIFICATION, row)
                finally:
                    live_batch.set(None)
        finally:
            await db.close()


async def subscribe_notifications(info: Info) -> AsyncGenerator[Any, None]:
    ctx = info.context
    if not isinstance(ctx, LiveContext) or ctx.identity is None or ctx.actor is None:
        raise bad_input("Subscribe over WebSocket (graphql-transport-ws) or SSE (Accept: text/event-stream).")
    return _follow(ctx)


subscribe_notifications.__annotations__["return"] = AsyncGenerator[NotificationType, None]

FIELDS = {
    "notification_mark_read": mutation(
        "notificationMarkRead",
        NotificationMarkReadInput,
        entity=NOTIFICATION.name,
        policy=Policy("notification", "update"),
        handler=service.mark_read,
        description="Mark one of your notifications read.",
    ),
}

QUERY_FIELDS = {
    "notifications": connection_root_field(
        "notifications",
        NOTIFICATION.name,
        "Your own notifications, newest first; only the unread ones with `unreadOnly: true`.",
        policy=READ,
        params=_PARAMS,
        arguments=_inbox_args,
    ),
}

SUBSCRIPTION_FIELDS = {
    "notifications": root_field(
        resolver=subscribe_notifications,
        policy=READ,
        description="Your new notifications as they are created (checked every second).",
    ),
}
