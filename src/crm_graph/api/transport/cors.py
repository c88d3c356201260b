"""Which browser pages may call the API: CORS over HTTP and the WebSocket `Origin`.

An origin is allowed when it is in CRM_CORS_ORIGINS (every tenant) or in the
list of the tenant the request acts for (`tenantSettingsUpdate`). A preflight
carries no credentials, so it is answered for an origin some tenant allows; the
request that follows is refused with 403 `FORBIDDEN_ORIGIN` unless its own tenant
allows the origin (RequestContextMiddleware calls `AllowedOrigins.allows` right
after authentication; subscriptions call it in `connection_init`). Requests
without `Origin` (servers, curl) and same-origin ones are not affected.

No `Access-Control-Allow-Credentials`: the API authenticates with the
Authorization header, never cookies, so a page must hold a token to act.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import orjson
from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.http.websocket_origin import normalize_allowed_origins, normalize_origin

from crm_graph.kernel import broadcast
from crm_graph.kernel.db import DomainEvent
from crm_graph.platform.identity import tenant_settings

# Re-exported: the transport reads a request's Origin the way an embed token is bound to it.
from crm_graph.platform.identity.origin import cross_origin as cross_origin

log = logging.getLogger(__name__)

CHANNEL = "crm:cors"
REFUSED_KEY = "crm.origin_refused"  # set on a request refused for its tenant
CHECKED_KEY = "crm.origin_checked"  # set on a WebSocket handshake this module let through
ALLOW_METHODS = "GET, POST"
ALLOW_HEADERS = (
    "Authorization, Content-Type, Accept, X-Request-Id, "
    # Headers clients add only to force a preflight (CSRF protection).
    "GraphQL-Require-Preflight, X-Requested-With, Apollo-Require-Preflight"
)
MAX_AGE = "600"  # browsers cap it anyway (Chrome: 2 hours, Firefox: 24 hours)
CACHE_SECONDS = 5.0  # how stale another process's change may be if Redis is unavailable


class AllowedOrigins:
    """The global list and each tenant's, read from PostgreSQL at most every
    `ttl` seconds and re-read at once when a change is announced."""

    def __init__(self, everywhere: Iterable[str], engine: Callable[[], Any], ttl: float = CACHE_SECONDS) -> None:
        self.everywhere = normalize_allowed_origins(list(everywhere))  # a bad setting fails at start
        self._engine = engine
        self._ttl = ttl
        self._by_tenant: dict[uuid.UUID, frozenset[str]] = {}
        self._anywhere: frozenset[str] = frozenset()
        self._loaded_at = -math.inf
        self._generation = 0  # bumped by invalidate(): a load that overlaps a change is not trusted
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        self._generation += 1
        self._loaded_at = -math.inf

    async def _load(self) -> None:
        if time.monotonic() - self._loaded_at < self._ttl:
            return
        async with self._lock:
            if time.monotonic() - self._loaded_at < self._ttl:
                return  # another request loaded them meanwhile
            started, generation = time.monotonic(), self._generation
            try:
                by_tenant = await tenant_settings.cors_origins_by_tenant(self._engine())
            except Exception:  # keep the last known lists; the next request retries
                log.warning("tenant CORS origins not reloaded", exc_info=True)
                return
            self._by_tenant = by_tenant
            self._anywhere = frozenset().union(*by_tenant.values())
            if generation == self._generation:
                self._loaded_at = started

    def _global(self, origin: str | None) -> bool:
        return "*" in self.everywhere or origin in self.everywhere

    async def allowed_anywhere(self, origin: str) -> bool:
        """May some tenant's page on `origin` call the API (preflights, handshakes)?"""
        return await self._allowed(origin, lambda: self._anywhere)

    async def allowed_for(self, origin: str, tenant_id: uuid.UUID) -> bool:
        return await self._allowed(origin, lambda: self._by_tenant.get(tenant_id, frozenset()))

    async def _allowed(self, origin: str, listed: Callable[[], Iterable[str]]) -> bool:
        normalized = normalize_origin(origin)
        if normalized is None:
            return False
        if self._global(normalized):
            return True
        await self._load()
        return normalized in listed()

    async def allows(self, scope: Scope, tenant_id: uuid.UUID) -> bool:
        """May this request (HTTP or WebSocket) act for the tenant, given its Origin?"""
        origin = cross_origin(scope)
        return origin is None or await self.allowed_for(origin, tenant_id)

    def announcer(self, redis: Any) -> Callable[[uuid.UUID, list[DomainEvent]], Awaitable[None]]:
        """An after-commit hook (crm_graph.kernel.db.RequestDB): a change is seen here at once,
        by other processes as soon as Redis tells them."""

        async def announce(tenant_id: uuid.UUID, events: list[DomainEvent]) -> None:
            if any(e.type == tenant_settings.UPDATED for e in events):
                self.invalidate()
                try:
                    await redis.publish(CHANNEL, str(tenant_id))
                except Exception:  # committed already; other processes reload within the ttl
                    log.warning("CORS origins change not announced: Redis unavailable", exc_info=True)

        return announce

    async def listen(self, redis: Any) -> None:
        """Drop the cache when another process announces a change; runs until cancelled."""
        await broadcast.listen(redis, CHANNEL, lambda _: self.invalidate(), lost=self.invalidate)


def refusal(scope: Scope) -> Response:
    """The answer to a request whose tenant does not allow its Origin; the response
    goes out without CORS headers, so the page cannot read it either."""
    scope[REFUSED_KEY] = True
    return forbidden_origin(Headers(scope=scope).get("origin", ""))


def forbidden_origin(origin: str) -> Response:
    body = {
        "errors": [{"message": f"Pages on {origin} may not call this API.", "extensions": {"code": "FORBIDDEN_ORIGIN"}}]
    }
    return Response(orjson.dumps(body), status_code=403, media_type="application/json", headers={"Vary": "Origin"})


class CORSMiddleware:
    """Answers preflights, adds the CORS headers to allowed cross-origin responses,
    refuses what no tenant allows, and checks WebSocket handshakes' Origin."""

    def __init__(self, app: ASGIApp, origins: AllowedOrigins) -> None:
        self.app = app
        self.origins = origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        origin = cross_origin(scope)
        if origin is None:
            scope[CHECKED_KEY] = True
            await self.app(scope, receive, send)
            return
        allowed = await self.origins.allowed_anywhere(origin)
        if scope["type"] == "websocket":
            if not allowed:
                log.warning("websocket.origin_refused origin=%s", origin)
                # Closing before accepting: the server answers the handshake with 403.
                await send({"type": "websocket.close", "code": 1008, "reason": ""})
                return
            scope[CHECKED_KEY] = True
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            await self._preflight(origin, allowed)(scope, receive, send)
            return
        if not allowed:
            await forbidden_origin(origin)(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start" and not scope.get(REFUSED_KEY):
                response_headers = MutableHeaders(scope=message)
                response_headers["Access-Control-Allow-Origin"] = origin
                response_headers.add_vary_header("Origin")
            await send(message)

        await self.app(scope, receive, send_with_cors)

    @staticmethod
    def _preflight(origin: str, allowed: bool) -> Response:
        if not allowed:
            return forbidden_origin(origin)
        return Response(
            status_code=204,
            headers={
                "Access-Control-Allow-Origin": origin,
                "Access-Control-Allow-Methods": ALLOW_METHODS,
                "Access-Control-Allow-Headers": ALLOW_HEADERS,
                "Access-Control-Max-Age": MAX_AGE,
                "Vary": "Origin",
            },
        )
