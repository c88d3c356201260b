"""GraphQL over HTTP at /graphql: the GraphQL-over-HTTP specification, with limits.

Each operation passes, in order: method and media types, body size, parameters,
persisted or trusted documents, parse and validation (cached by text; depth,
aliases, directives, tokens; introspection where allowed), variable coercion,
query cost, the tenant's (and API key's) cost budget, then execution under a
timeout that also bounds its SQL. Everything before execution answers with the
status the specification gives: with `Accept: application/graphql-response+json`,
400 for parse, validation and variable errors; with `application/json`, 200.

The request is read in crm_graph.api.transport.wire and checked in crm_graph.api.transport.gate;
a query may then be answered by the compiled read path (crm_graph.compiled).
Subscriptions over server-sent events pass the same gate, then Strawberry streams
them; WebSockets never reach this module (crm_graph.api.transport.transport_ws).
"""

from __future__ import annotations

import asyncio
import math
import time
from typing import Any

import orjson
import structlog
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.execution import optimized_is_awaitable

from crm_graph import compiled
from crm_graph.api.kit.masking import mask_errors
from crm_graph.api.transport.gate import Outcome, Prepared, charge_extra, prepare
from crm_graph.api.transport.limits import LIMIT_CODE
from crm_graph.api.transport.wire import (
    GRAPHQL_RESPONSE,
    JSON,
    Refused,
    check_params,
    error,
    negotiate,
    read_operations,
)
from crm_graph.kernel.db import statement_counter
from crm_graph.platform.authz.actors import UNKNOWN_USER, UnknownActor
from crm_graph.platform.observability import metrics, tracing
from crm_graph.platform.observability.logging import log_operation
from graphql import (
    ExecutionResult,
    OperationType,
    execute,
)

log = structlog.get_logger("crm_graph.http")


def ide_page(scope: Scope) -> bool:
    """A GET for GraphiQL's HTML page: the one public thing at /graphql. With
    `?query=` Strawberry runs the operation instead, so that must authenticate."""
    if scope["method"] != "GET" or "query" in QueryParams(scope.get("query_string", b"")):
        return False
    for name, value in scope.get("headers", []):
        if name == b"accept":
            return b"text/html" in value
    return False


class GraphQLHTTP:
    """The ASGI endpoint for GET and POST /graphql (behind authentication)."""

    def __init__(self, state: Any, strawberry_app: ASGIApp, schema: Any) -> None:
        self.state = state
        self.strawberry_app = strawberry_app  # GraphiQL page and SSE subscriptions
        self.schema = schema
        self.graphql_schema = schema._schema

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if ide_page(scope):
            await self.strawberry_app(scope, receive, send)
            return
        if "text/event-stream" in request.headers.get("accept", ""):
            await self.event_stream(request, scope, send)
            return
        response = await self.handle(request, scope.get("crm.context"))
        await response(scope, receive, send)

    async def event_stream(self, request: Request, scope: Scope, send: Send) -> None:
        """A subscription over server-sent events: checked and paid for here like any
        operation, then streamed by Strawberry. Only subscriptions run this way."""
        ctx = scope.get("crm.context")
        try:
            operations, _ = await read_operations(request, self.state.settings.max_body_bytes)
            if len(operations) != 1:
                raise Refused(400, "Subscribe to one operation per stream.")
            check_params(operations[0])
            prepared = await prepare(
                self.state,
                self.graphql_schema,
                ctx,
                operations[0],
                GRAPHQL_RESPONSE,
                {OperationType.SUBSCRIPTION},
                request.method,
            )
        except Refused as refused:
            prepared = Outcome(
                {"errors": [error(str(refused), refused.code, **refused.extensions)]},
                refused.status,
                "rejected",
                headers=refused.headers,
            )
        if isinstance(prepared, Outcome):
            self._observe(ctx, prepared, 0.0, 0)
            await self._respond(JSON, prepared.status, prepared.body, prepared.headers)(scope, request.receive, send)
            return
        # Strawberry runs exactly the checked document (a persisted one, resolved here).
        body = orjson.dumps({"query": prepared.text, "variables": prepared.variables, "operationName": prepared.name})
        headers = [(k, v) for k, v in scope["headers"] if k not in (b"content-type", b"content-length")]
        replay = {
            **scope,
            "method": "POST",
            "query_string": b"",
            "headers": [*headers, (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await request.receive()

        identity = scope.get("crm.identity")
        if (full := self.state.slots.acquire(identity)) is not None:
            await self._respond(JSON, 429, {"errors": [error(full, "TOO_MANY_CONNECTIONS")]})(
                scope, request.receive, send
            )
            return
        try:
            await self.strawberry_app(replay, receive, send)
        finally:
            self.state.slots.release(identity)

    async def handle(self, request: Request, ctx: Any) -> Response:
        settings = self.state.settings
        media = negotiate(request.headers.get("accept"))
        if media is None:
            return self._respond(
                JSON,
                406,
                {
                    "errors": [
                        error("Accept `application/graphql-response+json` or `application/json`.", "NOT_ACCEPTABLE")
                    ]
                },
            )
        started = time.perf_counter()
        async with statement_counter() as statements:
            try:
                operations, batch = await read_operations(request, settings.max_body_bytes)
                if batch and settings.max_batch_operations <= 0:
                    raise Refused(400, "Batched operations are not accepted here.", "BATCHING_DISABLED")
                if batch and not 1 <= len(operations) <= settings.max_batch_operations:
                    raise Refused(
                        400,
                        f"A batch holds 1 to {settings.max_batch_operations} operations.",
                        LIMIT_CODE,
                        limit="batch",
                        maximum=settings.max_batch_operations,
                    )
                for params in operations:  # all of a batch is well-formed before any of it runs
                    check_params(params)
                outcomes = [await self.operation(request, ctx, params, media) for params in operations]
            except Refused as refused:
                outcomes = [
                    Outcome(
                        {"errors": [error(str(refused), refused.code, **refused.extensions)]},
                        refused.status,
                        "rejected",
                        headers=refused.headers,
                    )
                ]
                batch = False
        duration = time.perf_counter() - started
        for o in outcomes:
            self._observe(ctx, o, duration / len(outcomes), statements[0])
        if batch:
            headers = {k: v for o in outcomes for k, v in o.headers.items()}
            return self._respond(media, 200, [o.payload() for o in outcomes], headers)
        only = outcomes[0]
        return self._respond(media, only.status, only.json(), only.headers)

    def _respond(self, media: str, status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
        """`body`: a value to print as JSON, or the JSON bytes themselves."""
        return Response(
            body if isinstance(body, bytes) else orjson.dumps(body),
            status_code=status,
            headers=headers,
            media_type=f"{media}; charset=utf-8",
        )

    def _observe(self, ctx: Any, o: Outcome, duration: float, statements: int) -> None:
        metrics.record_operation(
            operation_name=o.operation_name,
            operation_type=o.operation_type,
            duration_seconds=duration,
            outcome=o.outcome,
            cost=o.cost,
            statements=statements,
        )
        log_operation(
            request_id=getattr(ctx, "request_id", None),
            tenant_id=str(ctx.actor.tenant_id) if ctx is not None else None,
            operation_name=o.operation_name,
            operation_type=o.operation_type,
            duration_ms=round(duration * 1000, 2),
            cost=o.cost,
            statements=statements,
            outcome=o.outcome,
            status=o.status,
        )

    async def operation(self, request: Request, ctx: Any, params: Any, media: str) -> Outcome:
        """One operation of the request, from its parameters to its response body."""
        try:
            prepared = await prepare(
                self.state,
                self.graphql_schema,
                ctx,
                params,
                media,
                {OperationType.QUERY, OperationType.MUTATION},
                request.method,
            )
            if isinstance(prepared, Outcome):
                return prepared
            with tracing.span(
                "graphql.operation",
                headers=request.headers,
                operation_name=prepared.name,
                operation_type=prepared.kind,
                cost=prepared.cost,
            ):
                done = await self._execute(ctx, prepared)
        except UnknownActor:  # a cached actor whose user was deactivated since
            return Outcome(
                {"errors": [error(UNKNOWN_USER, "UNAUTHENTICATED")]},
                401,
                "rejected",
                headers={"WWW-Authenticate": "Bearer"},
            )
        done.headers.update(prepared.headers)
        return done

    async def _execute(self, ctx: Any, p: Prepared) -> Outcome:
        name, kind, cost, cost_report = p.name, p.kind, p.cost, p.cost_report
        timeout = self.state.settings.operation_timeout_seconds
        try:
            async with asyncio.timeout(timeout):
                if kind == "query" and self.state.settings.compiled_reads:
                    answer = await self._compiled(ctx, p)
                    if answer is not None:
                        return Outcome(
                            {"extensions": {"cost": cost_report}}, 200, "ok", name, kind, cost, compiled=answer
                        )
                await ctx.check_actor()
                result = execute(
                    self.graphql_schema,
                    p.document,
                    context_value=ctx,
                    variable_values=p.variables,
                    operation_name=name,
                    executor_class=self.schema.execution_context_class,
                    is_awaitable=optimized_is_awaitable,  # type: ignore[arg-type]  # Strawberry's own check, typed bool, not TypeGuard
                    hide_suggestions=not p.introspection,
                )
                if not isinstance(result, ExecutionResult):
                    result = await result
        except TimeoutError:
            return Outcome(
                {
                    "errors": [error(f"The operation took longer than {timeout:g} s and was stopped.", "TIMEOUT")],
                    "extensions": {"cost": cost_report},
                },
                504,
                "timeout",
                name,
                kind,
                cost,
            )
        body: dict[str, Any] = {"data": result.data}
        outcome = "ok"
        if result.errors:
            errors = mask_errors(result.errors, getattr(ctx, "request_id", None))
            body["errors"] = [e.formatted for e in errors]
            internal = any((e.extensions or {}).get("code") == "INTERNAL_SERVER_ERROR" for e in errors)
            outcome = "internal" if internal else "error"
        body["extensions"] = {"cost": cost_report}
        return Outcome(body, 200, outcome, name, kind, cost)

    async def _compiled(self, ctx: Any, p: Prepared) -> bytes | None:
        """The operation's `{"data":...}` from one SQL statement, or None: run it the
        ordinary way."""

        async def charge(seconds: float) -> None:
            # Compiling a new statement is paid from the caller's budget too, after the
            # fact (its time is known only then). Not in the body: both read paths answer alike.
            await charge_extra(
                self.state, ctx.actor, math.ceil(seconds * 1000 * self.state.settings.compile_cost_per_ms)
            )

        try:
            body = await compiled.execute(self.schema, ctx, p.document, p.operation, p.variables, charge)
        except compiled.Fallback as fallback:
            metrics.record_compiled("fallback", fallback.reason)  # stale_actor: the ordinary path reloads it
            return None
        except (TimeoutError, asyncio.CancelledError):
            raise
        except Exception:
            log.warning("compiled_read_failed", request_id=getattr(ctx, "request_id", None), exc_info=True)
            metrics.record_compiled("failed")
            # The failed statement aborted the connection's transaction; a fresh one
            # (tenant and timeout set again) serves the ordinary path.
            await ctx.db.close()
            return None
        metrics.record_compiled("compiled")
        return body
