"""The Starlette application: GraphQL at /graphql (GraphiQL in development),
/health and /ready."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from typing import Any

import orjson
import sqlalchemy as sa
from redis import asyncio as aioredis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL

from crm_graph.db import RequestDB, make_engine
from crm_graph.graphql.context import Context
from crm_graph.graphql.schema import schema
from crm_graph.identity import auth
from crm_graph.settings import Settings, get_settings

SCOPE_KEY = "crm.context"


def _unauthenticated(message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]}
    return Response(orjson.dumps(body), status_code=401, media_type="application/json",
                    headers={"WWW-Authenticate": "Bearer"})


class RequestContextMiddleware:
    """Authenticates the request, opens its database handle, closes it afterwards."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "GET" and _wants_html(scope):
            await self.app(scope, receive, send)
            return
        settings: Settings = self.state.settings
        request = Request(scope)
        try:
            tenant_id, user_id = await self._identity(request, settings)
            db = RequestDB(self.state.engine, tenant_id)
        except auth.Unauthenticated as exc:
            await _unauthenticated(str(exc))(scope, receive, send)
            return
        try:
            actor = await auth.load_actor(db, user_id)
        except auth.Unauthenticated as exc:
            await db.close()
            await _unauthenticated(str(exc))(scope, receive, send)
            return
        scope[SCOPE_KEY] = Context(actor=actor, db=db, request_id=str(uuid.uuid4()))
        try:
            await self.app(scope, receive, send)
        finally:
            await db.close()

    async def _identity(self, request: Request, settings: Settings) -> tuple[uuid.UUID, uuid.UUID]:
        header = request.headers.get("authorization")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise auth.Unauthenticated("Use `Authorization: Bearer <token>`.")
            return auth.read_token(settings.jwt_secret, token.strip())
        if self.state.default_identity is None:
            self.state.default_identity = await auth.default_identity(
                self.state.engine, settings.default_tenant, settings.default_user_email
            )
        if self.state.default_identity is None:
            raise auth.Unauthenticated("No credentials given.")
        return self.state.default_identity


def _wants_html(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"accept":
            return b"text/html" in value
    return False


class GraphQLApp(GraphQL):
    async def get_context(self, request: Any, response: Any = None) -> Context:
        # The GraphiQL page (a GET for HTML) asks for a context too; it needs none.
        return request.scope.get(SCOPE_KEY)  # type: ignore[no-any-return]


class AppState:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: Any = None
        self.redis: Any = None
        self.default_identity: tuple[uuid.UUID, uuid.UUID] | None = None


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    state = AppState(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        database_url, redis_url = settings.database_url, settings.redis_url
        services = None
        if database_url is None or redis_url is None:
            from crm_graph.embedded import ensure_services

            services = ensure_services(settings)
            database_url, redis_url = services.database_url, services.redis_url
        state.engine = make_engine(database_url, settings.db_pool_size)
        state.redis = aioredis.from_url(redis_url)
        try:
            yield
        finally:
            await state.redis.aclose()
            await state.engine.dispose()
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
        except Exception as exc:  # noqa: BLE001 - readiness reports any failure
            checks["database"] = f"error: {type(exc).__name__}"
        try:
            await state.redis.ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = f"error: {type(exc).__name__}"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", **checks}, status_code=200 if ok else 503)

    graphql_app = GraphQLApp(schema, graphql_ide=None if settings.production else "graphiql")
    return Starlette(
        routes=[
            Route("/health", health),
            Route("/ready", ready),
            Route("/graphql", RequestContextMiddleware(graphql_app, state), methods=["GET", "POST"]),
        ],
        lifespan=lifespan,
    )
