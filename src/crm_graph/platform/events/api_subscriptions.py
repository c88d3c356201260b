"""Live change events: `events`, `opportunityChanged`, `organizationChanged`.

Served over graphql-transport-ws (WebSocket at /graphql, authenticated in
`connection_init`) and GraphQL-over-SSE (the Authorization header). The events
come from the tenant's Redis Stream via crm_graph.platform.events.live, so any instance
serves any subscriber.

Live connections are capped per user and per tenant (`hub.Slots`): a WebSocket over
the cap is closed with 4008 at connection_init, an SSE request answered 429. A
subscription ends at its token's expiry with an UNAUTHENTICATED error, then
`complete`; a WebSocket client renews in place by sending `ping` with
`{"authorization": "Bearer <new token>"}` as payload (same user), otherwise it
reconnects with a new token and resumes `after` the last event id it received.

A subscription lives for hours while a request's Context lives for one request, so
subscriptions get a `LiveContext`: the database handle and loaders its resolvers see
are those of the batch being delivered (a context variable set per operation, since
one WebSocket runs several operations over one context object).
"""

from __future__ import annotations

import asyncio
import contextvars
import time
import uuid
from collections.abc import AsyncGenerator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
import jwt
import strawberry
from strawberry.exceptions import ConnectionRejectionError
from strawberry.types import Info

from crm_graph.api.kit.errors import bad_input, forbidden
from crm_graph.api.kit.fields import Policy, may_use, root_field
from crm_graph.api.kit.loaders import Loaders
from crm_graph.kernel.actor import Actor, Identity
from crm_graph.kernel.db import RequestDB
from crm_graph.platform.authz.actors import UNKNOWN_USER, UnknownActor, load_actor
from crm_graph.platform.events import live, outbox, queries, sharing
from crm_graph.platform.events.api import AFTER_DESCRIPTION, Event, cursor_expired, to_event
from crm_graph.platform.identity import auth
from crm_graph.readside.ids import from_global_id
from crm_graph.readside.spec import entities
from graphql import GraphQLError

# (db, loaders) of the batch the current operation is delivering.
live_batch: contextvars.ContextVar[tuple[RequestDB, Loaders] | None] = contextvars.ContextVar(
    "crm_live_batch", default=None
)
TOO_MANY_CONNECTIONS = "TOO_MANY_CONNECTIONS"
TOO_MANY_CLOSE_CODE = 4008  # the application's echo of 1008, policy violation
EXPIRED_CLOSE_CODE = 4401


class TooManyConnections(Exception):
    """connection_init over a cap (not a ConnectionRejectionError: that closes with 4403)."""


def token_expiry(authorization: str | None) -> float | None:
    """When the bearer token (already authenticated) expires; None for API keys."""
    if not authorization:
        return None
    token = authorization.strip().partition(" ")[2].strip()
    try:
        exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
    except jwt.PyJWTError:
        return None  # an API key: it has no token expiry, it is revoked instead
    return float(exp) if isinstance(exp, int | float) else None


def statement_timeout_ms(state: Any) -> int:
    """The statement timeout of a live connection's SQL: the HTTP path's (app.py), so a
    subscription stuck behind a lock is cancelled in PostgreSQL as an operation is."""
    return int(state.settings.operation_timeout_seconds * 1000)


def statement_timed_out(exc: BaseException) -> bool:
    """PostgreSQL cancelled the statement (57014: statement_timeout), seen through
    SQLAlchemy's wrapper or on the driver's connection."""
    while exc is not None:
        if isinstance(exc, asyncpg.QueryCanceledError):
            return True
        orig = getattr(exc, "orig", None)
        if getattr(orig, "sqlstate", None) == "57014" or getattr(orig, "pgcode", None) == "57014":
            return True
        exc = exc.__cause__  # type: ignore[assignment]  # a cause is a BaseException; only attributes are read
    return False


@dataclass(frozen=True)
class Bearer:
    """A token sent in connection_init (or a renewal), as auth.authenticate reads a request."""

    headers: Mapping[str, str]


class LiveContext:
    """The context of a WebSocket connection or an SSE stream."""

    def __init__(
        self,
        state: Any,
        actor: Actor | None = None,
        identity: Identity | None = None,
        fallback_db: RequestDB | None = None,
        request_id: str = "",
    ) -> None:
        self.state = state
        self.actor = actor
        self.identity = identity
        self.request_id = request_id
        self.connection_params: dict[str, Any] = {}  # set by Strawberry from connection_init
        # Set by the app for a WebSocket: may its page's Origin act for this tenant?
        self.origin_allowed: Callable[[uuid.UUID], Awaitable[bool]] | None = None
        self._fallback_db = fallback_db
        self._fallback_loaders: Loaders | None = None
        self.expires_at: float | None = None  # the token's expiry (epoch seconds)
        self.slot: Identity | None = None  # the live-connection slot it holds

    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= time.time()

    async def authorize(self, policy: Policy) -> bool:
        # No operation runs before connection_init has set the actor.
        return self.actor is not None and may_use(self.actor, policy)

    @property
    def db(self) -> RequestDB:
        current = live_batch.get()
        if current is not None:
            return current[0]
        # Queries and mutations sent over the WebSocket: one handle for the connection,
        # acquired on first use, closed with the connection (close()).
        if self._fallback_db is None:
            if self.identity is None:
                raise forbidden("Not authenticated.")
            self._fallback_db = RequestDB(
                self.state.app_engine,
                self.identity.tenant_id,
                [self.state.announce, self.state.announce_origins],
                statement_timeout_ms=statement_timeout_ms(self.state),
            )
        return self._fallback_db

    @property
    def loaders(self) -> Loaders:
        current = live_batch.get()
        if current is not None:
            return current[1]
        if self._fallback_loaders is None:
            assert self.actor is not None
            self._fallback_loaders = Loaders(self.db, self.actor)
        return self._fallback_loaders

    async def close(self) -> None:
        if self.slot is not None:
            self.state.slots.release(self.slot)
            self.slot = None
        if self._fallback_db is not None:
            await self._fallback_db.close()

    async def release_idle(self) -> None:
        """Give the socket's connection back to the pool unless a statement or a
        transaction is using it (it is taken again on next use)."""
        if self._fallback_db is not None:
            await self._fallback_db.release_idle()


async def connect(context: LiveContext) -> None:
    """graphql-transport-ws `connection_init`: authenticate from its payload, or refuse
    (Strawberry then closes the socket with 4403 Forbidden)."""
    value = context.connection_params.get("authorization") or context.connection_params.get("Authorization")
    if not isinstance(value, str):
        raise ConnectionRejectionError({"message": 'Send {"authorization": "Bearer <token>"} in connection_init.'})
    # authenticate() reads only the Authorization header of what it is given.
    try:
        identity = await auth.authenticate(Bearer(headers={"authorization": value}), context.state)
    except auth.Unauthenticated as exc:
        raise ConnectionRejectionError({"message": str(exc)}) from exc
    if context.origin_allowed is not None and not await context.origin_allowed(identity.tenant_id):
        raise ConnectionRejectionError({"message": "Pages on this origin may not call this API for the tenant."})
    db = RequestDB(
        context.state.app_engine, identity.tenant_id, statement_timeout_ms=statement_timeout_ms(context.state)
    )
    try:
        context.actor = await load_actor(db, identity)
    except UnknownActor as exc:
        raise ConnectionRejectionError({"message": UNKNOWN_USER}) from exc
    finally:
        await db.close()
    if (refused := context.state.slots.acquire(identity)) is not None:
        raise TooManyConnections(refused)
    context.slot = identity
    context.identity = identity
    context.expires_at = token_expiry(value)


async def renew(context: LiveContext, payload: Any) -> bool | None:
    """A `ping` carrying `{"authorization": ...}`: move the connection's expiry to the
    new token's if it is valid and names the same user (True); refuse it (False);
    None when the ping renews nothing."""
    value = payload.get("authorization") if isinstance(payload, dict) else None
    if not isinstance(value, str) or context.identity is None:
        return None
    try:
        identity = await auth.authenticate(Bearer(headers={"authorization": value}), context.state)
    except auth.Unauthenticated:
        return False
    if identity != context.identity:
        return False
    context.expires_at = token_expiry(value)
    return True


async def for_sse(ctx: Any, identity: Identity, state: Any, authorization: str | None = None) -> LiveContext:
    """An SSE request's context from its request's (crm_graph.api.transport.context.Context):
    the middleware's actor, without its held connection
    (its live-connection slot is taken and released by GraphQLHTTP.event_stream)."""
    await ctx.db.close()  # re-acquired on use; a subscription uses its own handles
    live_ctx = LiveContext(state, ctx.actor, identity, fallback_db=ctx.db, request_id=ctx.request_id)
    live_ctx.expires_at = token_expiry(authorization)
    return live_ctx


def _after(value: str | None) -> int | None:
    if value is None:
        return None
    parsed = outbox.parse_event_id(value)
    if parsed is None:
        raise bad_input("`after` is not an event id.", "after")
    return parsed


def _may_read(record_type: str | None) -> Callable[[Actor], bool]:
    def check(actor: Actor) -> bool:
        p = actor.permissions
        if p is None:
            return True
        if record_type is not None:
            return bool(p.allows(record_type, "read"))
        return any(p.allows(e.record_type, "read") for e in entities())

    return check


async def _follow(info: Info, wanted: live.Filter, after: int | None) -> AsyncGenerator[Event, None]:
    ctx = info.context
    if not isinstance(ctx, LiveContext) or ctx.identity is None or ctx.actor is None:
        raise bad_input("Subscribe over WebSocket (graphql-transport-ws) or SSE (Accept: text/event-stream).")
    follower = live.Follower(
        ctx.state.events_hub,
        ctx.state.app_engine,
        ctx.identity,
        ctx.actor,
        wanted,
        may_read=_may_read(wanted.record_type),
        clock=asyncio.get_running_loop().time,
        expires=lambda: ctx.expires_at,
        statement_timeout_ms=statement_timeout_ms(ctx.state),
    )
    batches = follower.batches(after)
    try:
        async for batch in batches:
            live_batch.set((batch.db, Loaders(batch.db, batch.actor)))
            sharing.viewer.set(batch.actor)
            try:
                for row in batch.rows:
                    yield sharing.event_for(batch.actor, row, to_event)
            finally:
                live_batch.set(None)
                sharing.viewer.set(None)
    except live.AccessLost as exc:
        raise forbidden(str(exc)) from exc
    except live.TokenExpired as exc:
        raise GraphQLError(str(exc), extensions={"code": "UNAUTHENTICATED"}) from exc
    except queries.CursorExpired as exc:
        raise cursor_expired(exc) from exc
    except Exception as exc:
        if not statement_timed_out(exc):
            raise
        seconds = ctx.state.settings.operation_timeout_seconds
        raise GraphQLError(
            f"The subscription's database work took longer than {seconds:g} s and was stopped; "
            "subscribe again `after` the last event.",
            extensions={"code": "TIMEOUT"},
        ) from exc
    finally:
        await batches.aclose()


# The resolvers are coroutines returning the stream, not async generator functions:
# the policy extension (fields.Authorize) awaits what the resolver returns, and
# arguments are checked before the stream starts.


After = Annotated[str | None, strawberry.argument(description=AFTER_DESCRIPTION)]
OpportunityId = Annotated[strawberry.ID, strawberry.argument(description="Global ID of the Opportunity to follow.")]
OrganizationId = Annotated[strawberry.ID, strawberry.argument(description="Global ID of the Organization to follow.")]


async def subscribe_events(
    info: Info,
    types: Annotated[
        list[str] | None,
        strawberry.argument(
            description="Only events of these types (exact names, e.g. contact.updated); all when omitted."
        ),
    ] = None,
    after: After = None,
) -> AsyncGenerator[Event, None]:
    return _follow(info, live.Filter(types=types or None), _after(after))


def _record(value: strawberry.ID, record_type: str) -> uuid.UUID:
    found = from_global_id(str(value))
    if found is None or found[0].record_type != record_type:
        raise bad_input(f"`id` is not the ID of a {record_type}.", "id")
    return found[1]


async def subscribe_opportunity(info: Info, id: OpportunityId, after: After = None) -> AsyncGenerator[Event, None]:
    wanted = live.Filter(record_type="opportunity", record_id=_record(id, "opportunity"))
    return _follow(info, wanted, _after(after))


async def subscribe_organization(info: Info, id: OrganizationId, after: After = None) -> AsyncGenerator[Event, None]:
    wanted = live.Filter(record_type="organization", record_id=_record(id, "organization"))
    return _follow(info, wanted, _after(after))


SUBSCRIPTION_FIELDS = {
    "events": root_field(
        resolver=subscribe_events,
        # Per record: an event arrives only if its record is visible to the subscriber.
        policy=Policy("node", "read"),
        description="Change events as they happen, as you may see them; with `after`, the missed ones first.",
    ),
    "opportunity_changed": root_field(
        resolver=subscribe_opportunity,
        policy=Policy("opportunity", "read"),
        description="Change events of one opportunity.",
    ),
    "organization_changed": root_field(
        resolver=subscribe_organization,
        policy=Policy("organization", "read"),
        description="Change events of one organization.",
    ),
}
