"""The Starlette application: GraphQL at /graphql (GraphiQL in development),
/health and /ready."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
from collections.abc import AsyncIterator
from typing import Any

import orjson
import sqlalchemy as sa
from redis import asyncio as aioredis
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.errors import ServerErrorMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_SSE_PROTOCOL, GRAPHQL_TRANSPORT_WS_PROTOCOL

from crm_graph.api.schema import schema
from crm_graph.api.transport import cors, forms, payloads, peer, ratelimit, ui, widget
from crm_graph.api.transport.context import Context
from crm_graph.api.transport.documents import Documents
from crm_graph.api.transport.http import GraphQLHTTP, ide_page
from crm_graph.api.transport.transport_ws import TransportWSHandler
from crm_graph.domains.enabled import default_rules
from crm_graph.kernel import lru, offload
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import APP_ROLE, RequestDB, make_engine, make_read_pool
from crm_graph.kernel.settings import Settings, get_settings
from crm_graph.platform.authz import invalidation
from crm_graph.platform.authz.actors import UNKNOWN_USER, ActorCache, UnknownActor, load_actor
from crm_graph.platform.authz.rules import check_rules
from crm_graph.platform.events import api_subscriptions as subscriptions
from crm_graph.platform.events import hub
from crm_graph.platform.identity import auth, embed
from crm_graph.platform.identity.embed import METHOD as EMBED_METHOD
from crm_graph.platform.observability import metrics, tracing
from crm_graph.platform.observability.endpoint import MetricsEndpoint
from crm_graph.platform.observability.logging import configure_logging
from crm_graph.platform.webhooks import service as webhooks_service

SCOPE_KEY = "crm.context"
IDENTITY_KEY = "crm.identity"
LIVE_KEY = "crm.live"


def _unauthenticated(message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}
    return Response(
        orjson.dumps(body), status_code=401, media_type="application/json", headers={"WWW-Authenticate": "Bearer"}
    )


def _checks_actor(scope: Scope) -> bool:
    """Will GraphQLHTTP handle this request (and check a cached actor itself)?
    Server-sent event streams go to Strawberry instead."""
    if scope["method"] not in ("GET", "POST"):
        return False
    return not any(name == b"accept" and b"text/event-stream" in value for name, value in scope["headers"])


class RequestContextMiddleware:
    """Authenticates the request, opens its database handle, closes it afterwards."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or ide_page(scope):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        try:
            identity = await auth.authenticate(request, self.state)
        except auth.Unauthenticated as exc:
            await _unauthenticated(str(exc))(scope, receive, send)
            return
        if not await self.state.origins.allows(scope, identity.tenant_id):
            await cors.refusal(scope)(scope, receive, send)
            return
        if identity.method == EMBED_METHOD:  # a token bound to a record runs only the widget's requests
            guarded = await embed.guard(scope, receive, self.state.settings)
            if isinstance(guarded, Response):
                await guarded(scope, receive, send)
                return
            receive = guarded
        request_id = peer.request_id(request.headers.get("x-request-id"))
        client = scope.get("client")
        db = RequestDB(
            self.state.app_engine,
            identity.tenant_id,
            [self.state.announce, self.state.announce_origins],
            request_id=request_id,
            client_address=client[0] if client else None,
            statement_timeout_ms=int(self.state.settings.operation_timeout_seconds * 1000),
            reads=self.state.reads,
        )
        actors = self.state.actors

        async def reload() -> Actor:
            try:
                actor = await load_actor(db, identity)
            except UnknownActor:
                actors.drop(identity)
                raise
            actors.put(identity, actor)
            return actor

        # A cached actor serves only GraphQLHTTP's operations, which check it before
        # use (see Context.check_actor); everything else gets a freshly loaded one.
        cached = actors.get(identity) if _checks_actor(scope) else None
        if cached is not None:
            ctx = Context(
                actor=cached,
                db=db,
                request_id=request_id,
                reload=reload,
                settings=self.state.settings,
                embedded=identity.method == EMBED_METHOD,
            )
        else:
            try:
                actor = await reload()
            except UnknownActor:
                await db.close()
                await _unauthenticated(UNKNOWN_USER)(scope, receive, send)
                return
            ctx = Context(
                actor=actor,
                db=db,
                request_id=request_id,
                settings=self.state.settings,
                embedded=identity.method == EMBED_METHOD,
            )
        scope[SCOPE_KEY] = ctx
        scope[IDENTITY_KEY] = identity
        try:
            await self.app(scope, receive, send)
        finally:
            await db.close()


class GraphQLApp(GraphQL[Context, None]):
    ide_html: str | None = None  # replaces Strawberry's GraphiQL page (dev login's)
    state: Any = None  # AppState: subscriptions open their own handles
    graphql_transport_ws_handler_class = TransportWSHandler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            if (live := scope.get(LIVE_KEY)) is not None:
                await live.close()

    async def on_ws_connect(self, context: Any) -> None:
        await subscriptions.connect(context)

    def is_websocket_origin_allowed(self, request: Any, origin: str) -> bool:
        # cors.CORSMiddleware checked it before the handshake got here (it may need
        # PostgreSQL; this hook cannot await); connection_init checks the tenant's list.
        return bool(request.scope.get(cors.CHECKED_KEY))

    async def render_graphql_ide(self, request: Any) -> Response:
        if self.ide_html is None:
            return await super().render_graphql_ide(request)
        return HTMLResponse(self.ide_html)

    async def get_context(self, request: Any, response: Any = None) -> Context:
        # The GraphiQL page (a GET for HTML) asks for a context too; it needs none.
        scope = request.scope
        if scope["type"] == "websocket":  # authenticated in connection_init
            scope[LIVE_KEY] = subscriptions.LiveContext(self.state)
            scope[LIVE_KEY].origin_allowed = functools.partial(self.state.origins.allows, scope)
            return scope[LIVE_KEY]  # type: ignore[no-any-return]  # the scope dict is untyped; it holds what was stored just above
        if scope.get(SCOPE_KEY) is not None and "text/event-stream" in request.headers.get("accept", ""):
            scope[LIVE_KEY] = await subscriptions.for_sse(
                scope[SCOPE_KEY], scope[IDENTITY_KEY], self.state, request.headers.get("authorization")
            )
            return scope[LIVE_KEY]  # type: ignore[no-any-return]  # the scope dict is untyped; it holds what was stored just above
        return scope.get(SCOPE_KEY)  # type: ignore[no-any-return]  # the scope dict is untyped; it holds what was stored just above


class CRMApp(Starlette):
    """The Starlette application, with a shorter way in for GraphQL over HTTP: a GET
    or POST to /graphql goes straight to its handlers (CORS, authentication and the
    request's context, GraphQLHTTP) behind Starlette's ServerErrorMiddleware (a 500
    for anything unhandled), without the exception middleware's and the router's
    layers (about 15% of the CPU of a `{ __typename }`). The same handlers are
    mounted in the router too, which serves every other request (and a /graphql
    under a root path) the ordinary way."""

    graphql: ASGIApp
    forms: ASGIApp
    proxies: peer.TrustedProxies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            self.proxies.apply(scope)
        if scope["type"] == "http" and scope["path"] == "/graphql" and scope["method"] in ("GET", "POST"):
            scope["app"] = self
            await self.graphql(scope, receive, send)
            return
        if scope["type"] == "http" and scope["path"].startswith(forms.PREFIX):
            # Public web-to-lead posts: outside the API's CORS and authentication (the form's own origins rule).
            await self.forms(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


class AppState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: Any = None  # owner: look-ups before a tenant is known
        self.app_engine: Any = None  # runs as APP_ROLE: row-level security applies
        self.reads: Any = None  # the compiled read path's pool (asyncpg's), as APP_ROLE too
        self.redis: Any = None
        self.announce: Any = None
        # Parse/validation caches and persisted queries; a bad trusted-documents
        # manifest stops the app here, before anything is opened.
        self.documents = Documents(schema._schema, settings)
        self.actors = ActorCache()
        self.budget: ratelimit.CostBudget | None = None
        self.origins = cors.AllowedOrigins(settings.cors_origins, engine=lambda: self.engine)
        self.announce_origins: Any = None
        self.events_hub: Any = None  # one event-stream reader per tenant (crm_graph.platform.events.hub)
        self.slots = hub.Slots(settings.max_live_connections_per_user, settings.max_live_connections_per_tenant)


def create_app(settings: Settings | None = None) -> CRMApp:
    settings = settings or get_settings()
    # Fail closed at start-up: an entity without a row scope, or a default rule with a
    # scope its record type cannot honour, stops the process instead of widening access.
    check_rules(default_rules())
    # Webhooks check a payload query with the API's own gate, which they do not import.
    webhooks_service.check_payload_queries_with(payloads.problems)
    configure_logging(settings)
    tracing.configure_tracing(settings)  # fails here if CRM_OTEL_ENDPOINT is set without the SDK
    lru.configure(settings.cache_memory_mb * 2**20)
    state = AppState(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database_url, redis_url = settings.database_url, settings.redis_url
        services = None
        if database_url is None or redis_url is None:
            from crm_graph.kernel.embedded import ensure_services

            services = ensure_services(settings)
            database_url, redis_url = services.database_url, services.redis_url
        state.engine = make_engine(database_url, 2)
        state.app_engine = make_engine(
            database_url, settings.db_pool_size, role=APP_ROLE, max_overflow=settings.db_max_overflow
        )
        state.reads = await make_read_pool(state.app_engine, settings.db_read_pool_size, role=APP_ROLE)
        metrics.sample_read_pool(state.reads)
        metrics.watch_pool(state.app_engine, "api")
        metrics.watch_pool(state.engine, "owner")
        state.redis = aioredis.from_url(redis_url)  # type: ignore[no-untyped-call]  # redis-py leaves from_url untyped
        state.announce = invalidation.announcer(state.redis)
        state.documents.redis = state.redis
        state.budget = ratelimit.CostBudget(state.redis)
        # One named connection per tenant with subscribers (its blocking XREAD), told
        # apart in CLIENT LIST.
        state.events_hub = hub.Hub(
            state.app_engine,
            functools.partial(
                aioredis.from_url, redis_url, client_name="crm-graph-events", single_connection_client=True
            ),
            statement_timeout_ms=int(settings.operation_timeout_seconds * 1000),
        )
        listener = asyncio.create_task(invalidation.listen(state.redis))
        state.announce_origins = state.origins.announcer(state.redis)
        origins_listener = asyncio.create_task(state.origins.listen(state.redis))
        offload.settle()
        # Young collections less often than the default (700): requests and deliveries
        # allocate much and keep little (full passes cost 0.4-0.5 s of a 1,000-subscriber
        # fan-out). Not much less: 50,000 let a stream of large requests grow the process
        # by 50 MB between collections (tests/http/test_memory.py).
        gc.set_threshold(5_000, 20, 100)
        try:
            yield
        finally:
            listener.cancel()
            origins_listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await listener
            with contextlib.suppress(asyncio.CancelledError):
                await origins_listener
            await state.events_hub.close()
            await state.redis.aclose()
            await state.reads.close()
            await state.app_engine.dispose()
            await state.engine.dispose()
            metrics.process_exiting()
            if services is not None:
                services.stop()

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def ready(request: Request) -> Response:
        checks: dict[str, str] = {}
        try:
            async with state.engine.connect() as conn:
                await conn.execute(sa.text("SELECT 1"))
            checks["database"] = "ok"
        except Exception as exc:
            checks["database"] = f"error: {type(exc).__name__}"
        try:
            await state.redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", **checks}, status_code=200 if ok else 503)

    graphql_app = GraphQLApp(
        schema,
        graphql_ide=None if settings.production else "graphiql",
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_SSE_PROTOCOL),
        max_subscriptions_per_connection=settings.max_subscriptions_per_connection,
    )
    graphql_app.state = state
    dev_routes: list[Route] = []
    if settings.dev_login and not settings.production:
        from crm_graph.platform.identity import devlogin

        dev_routes = devlogin.routes(state)
        graphql_app.ide_html = ui.explorer_redirect() or devlogin.GRAPHIQL_HTML
    graphql_http = RequestContextMiddleware(GraphQLHTTP(state, graphql_app, schema), state)
    app = CRMApp(
        routes=[
            Route("/health", health),
            Route("/ready", ready),
            Route("/metrics", MetricsEndpoint(state), methods=["GET"]),
            Route("/graphql", graphql_http, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_app),
            *widget.routes(state),
            *dev_routes,
            *ui.routes(settings),
        ],
        lifespan=lifespan,
        middleware=[Middleware(cors.CORSMiddleware, origins=state.origins)],
    )
    app.proxies = peer.TrustedProxies(peer.parse_networks(settings.trusted_proxies))
    app.graphql = ServerErrorMiddleware(cors.CORSMiddleware(graphql_http, origins=state.origins))
    app.forms = ServerErrorMiddleware(forms.FormsEndpoint(state))
    return app
