"""GraphQL over HTTP at /graphql: the GraphQL-over-HTTP specification, with limits.

Each operation passes, in order: method and media types, body size, parameters,
persisted or trusted documents, parse and validation (cached by text; depth,
aliases, directives, tokens; introspection where allowed), variable coercion,
query cost, the tenant's (and API key's) cost budget, then execution under a
timeout that also bounds its SQL. Everything before execution answers with the
status the specification gives: with `Accept: application/graphql-response+json`,
400 for parse, validation and variable errors; with `application/json`, 200.

Server-sent events (`Accept: text/event-stream`) and the GraphiQL page are
Strawberry's; WebSockets never reach this module.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import orjson
import structlog
from graphql import (
    ExecutionResult,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
)
from graphql.execution.values import get_variable_values
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.execution import optimized_is_awaitable

from crm_graph import compiled, ratelimit
from crm_graph.db import statement_counter
from crm_graph.graphql.documents import DocumentError, Documents
from crm_graph.graphql.limits import LIMIT_CODE, operation_cost
from crm_graph.graphql.masking import mask_errors
from crm_graph.observability import metrics, tracing
from crm_graph.observability.logging import log_operation

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# A browser sends these content types cross-origin without a CORS preflight; such a
# request must carry a header that forces one (CSRF), or it is refused.
SIMPLE_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")
PREFLIGHT_HEADERS = ("graphql-require-preflight", "x-requested-with", "apollo-require-preflight",
                     "x-apollo-operation-name")
log = structlog.get_logger("crm_graph.http")


class Refused(Exception):
    """The request is refused before execution, with this status whatever the media type."""

    def __init__(self, status: int, message: str, code: str = "BAD_REQUEST",
                 headers: dict[str, str] | None = None, **extensions: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.headers = headers or {}
        self.extensions = extensions


@dataclass
class Outcome:
    """One operation's response body and how it went."""

    body: dict[str, Any]  # its "data" may be an orjson.Fragment: JSON built by PostgreSQL
    status: int = 200
    outcome: str = "ok"  # ok | error | rejected | throttled | timeout | internal
    operation_name: str | None = None
    operation_type: str = "query"
    cost: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


def _error(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extensions}}


def negotiate(accept: str | None) -> str | None:
    """The response media type for an Accept header, or None (406)."""
    if not accept or not accept.strip():
        return JSON
    choices = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, position, media.lower()))
    for _, _, media in sorted(choices):
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return None


def _content_type(request: Request) -> tuple[str, str | None]:
    header = request.headers.get("content-type", "")
    media, *params = [p.strip() for p in header.split(";")]
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"The request body is larger than {limit} bytes.", "PAYLOAD_TOO_LARGE")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"The request body is larger than {limit} bytes.", "PAYLOAD_TOO_LARGE")
        chunks.append(chunk)
    return b"".join(chunks)


def _json(text: str | bytes, what: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise Refused(400, f"{what} is not valid JSON.", "BAD_REQUEST") from exc


async def read_operations(request: Request, max_body: int) -> tuple[list[dict[str, Any]], bool]:
    """The request's operation parameters, and whether it was a batch."""
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for name in ("variables", "extensions"):
            if name in params and params[name] != "":
                params[name] = _json(params[name], f"`{name}`")
            else:
                params.pop(name, None)
        return [params], False
    media, charset = _content_type(request)
    if charset not in (None, "utf-8", "utf8"):
        raise Refused(415, "Request bodies must be UTF-8.", "UNSUPPORTED_MEDIA_TYPE")
    if media in SIMPLE_TYPES and not any(request.headers.get(h) for h in PREFLIGHT_HEADERS):
        raise Refused(415, f"`{media}` requests need a `GraphQL-Require-Preflight` header (CSRF protection); "
                           "send `application/json`.", "CSRF_PREFLIGHT_REQUIRED")
    body = await _body(request, max_body)
    if media in (JSON, "text/plain"):
        if not body.strip():
            raise Refused(400, "The request body is empty.", "BAD_REQUEST")
        parsed = _json(body, "The request body")
    elif media == "application/x-www-form-urlencoded":
        from urllib.parse import parse_qsl

        try:
            parsed = dict(parse_qsl(body.decode(), strict_parsing=False))
        except UnicodeDecodeError as exc:
            raise Refused(400, "The request body is not UTF-8.", "BAD_REQUEST") from exc
        for name in ("variables", "extensions"):
            if name in parsed:
                parsed[name] = _json(parsed[name], f"`{name}`")
    else:
        raise Refused(415, "Send GraphQL requests as `application/json`.", "UNSUPPORTED_MEDIA_TYPE")
    if isinstance(parsed, list):
        return parsed, True
    return [parsed], False


def _check_params(params: Any) -> None:
    if not isinstance(params, dict):
        raise Refused(400, "Each operation must be a JSON object.")
    for name, kind in (("query", str), ("operationName", str), ("variables", dict), ("extensions", dict)):
        value = params.get(name)
        if value is not None and not isinstance(value, kind):
            raise Refused(400, f"`{name}` must be {'a string' if kind is str else 'an object'}.")
    if params.get("query") is None and params.get("documentId") is None and not (
        params.get("extensions") or {}
    ).get("persistedQuery"):
        raise Refused(400, "Pass the operation in `query`.")


@dataclass
class Prepared:
    """An operation that passed every check before execution and was paid for."""

    document: Any
    operation: OperationDefinitionNode
    text: str
    variables: dict[str, Any]
    name: str | None
    kind: str
    cost: int
    cost_report: dict[str, Any]
    introspection: bool
    headers: dict[str, str]


async def prepare(state: Any, graphql_schema: Any, ctx: Any, params: dict[str, Any], media: str,
                  kinds: set[OperationType], method: str = "POST") -> Prepared | Outcome:
    """Everything before execution, for every transport: the document, its checks,
    variables, cost and budget. An Outcome is the refusal to send instead."""
    settings = state.settings
    documents: Documents = state.documents
    invalid = 400 if media == GRAPHQL_RESPONSE else 200  # the spec's status for a rejected document
    name = params.get("operationName")
    try:
        text = await documents.text(params.get("query"), params.get("documentId"), params.get("extensions"))
    except DocumentError as exc:
        return Outcome({"errors": [_error(str(exc), exc.code)]}, 400 if exc.code == "BAD_REQUEST" else invalid,
                       "rejected", name)
    actor = ctx.actor
    introspection = settings.introspection_enabled or (settings.admin_introspection and "admin" in actor.roles)
    checked = documents.check(text.query, introspection)
    if checked.errors:
        code = "GRAPHQL_PARSE_FAILED" if not checked.document.definitions else "GRAPHQL_VALIDATION_FAILED"
        return Outcome({"errors": [_formatted(e, code) for e in checked.errors]}, invalid, "rejected", name)
    await documents.persist(text)
    operation = get_operation_ast(checked.document, name)
    if operation is None:
        message = (f"Unknown operation named '{name}'." if name
                   else "Pass `operationName` to choose one of the document's operations.")
        return Outcome({"errors": [_error(message, "OPERATION_NOT_FOUND")]}, invalid, "rejected", name)
    kind = operation.operation
    name = operation.name.value if operation.name else name
    if kind is OperationType.MUTATION and method == "GET":
        raise Refused(405, "Mutations are not accepted over GET; use POST.", "METHOD_NOT_ALLOWED",
                      headers={"Allow": "POST"})
    if kind not in kinds:
        if kind is OperationType.SUBSCRIPTION:
            message, code = ("Subscriptions are served over WebSocket (graphql-transport-ws) or server-sent "
                             "events (Accept: text/event-stream)."), "SUBSCRIPTION_TRANSPORT"
        else:
            message, code = "Over server-sent events only subscriptions run; send queries and mutations as JSON.", (
                "UNSUPPORTED_TRANSPORT")
        return Outcome({"errors": [_error(message, code)]}, 400, "rejected", name, kind.value)
    raw = params.get("variables") or {}
    coerced = get_variable_values(graphql_schema, operation.variable_definitions or (), raw,
                                  max_errors=50, hide_suggestions=not introspection)
    if isinstance(coerced, list):
        return Outcome({"errors": [_formatted(e, "BAD_USER_INPUT") for e in coerced]}, invalid, "rejected",
                       name, kind.value)
    cost = operation_cost(graphql_schema, checked.document, operation, coerced.coerced)
    cost_report: dict[str, Any] = {"requested": cost, "maximum": settings.max_cost}
    if cost > settings.max_cost:
        return Outcome({"errors": [_error(
            f"The operation's cost is over {settings.max_cost}: ask for smaller pages or fewer nested lists.",
            LIMIT_CODE, limit="cost", value=cost, maximum=settings.max_cost)],
            "extensions": {"cost": cost_report}}, invalid, "rejected", name, kind.value, cost)
    headers: dict[str, str] = {}
    throttled = await _charge(state, actor, cost, headers)
    if throttled is not None:
        return Outcome({"errors": [_error(
            f"The cost budget is spent; retry in {throttled} s.", "THROTTLED", retryAfter=throttled)],
            "extensions": {"cost": cost_report}}, 429, "throttled", name, kind.value, cost,
            {**headers, "Retry-After": str(throttled)})
    return Prepared(checked.document, operation, text.query, raw, name, kind.value, cost, cost_report,
                    introspection, headers)


async def _charge(state: Any, actor: Any, cost: int, headers: dict[str, str]) -> int | None:
    """Seconds to wait when the cost budget cannot pay `cost`, else None."""
    settings = state.settings
    if not settings.rate_limit_enabled or cost == 0:
        return None
    buckets = [ratelimit.tenant_bucket(actor.tenant_id, settings.rate_limit_tenant_capacity,
                                       settings.rate_limit_tenant_per_second)]
    if actor.api_key_id is not None:
        buckets.append(ratelimit.api_key_bucket(actor.api_key_id, settings.rate_limit_key_capacity,
                                                settings.rate_limit_key_per_second))
    decision = await state.budget.charge(buckets, cost)
    # In headers, not the body: equal questions keep getting equal answers.
    headers["RateLimit-Limit"] = str(min(b.capacity for b in buckets))
    headers["RateLimit-Remaining"] = str(decision.remaining)
    return None if decision.allowed else decision.retry_after


class GraphQLHTTP:
    """The ASGI endpoint for GET and POST /graphql (behind authentication)."""

    def __init__(self, state: Any, strawberry_app: ASGIApp, schema: Any) -> None:
        self.state = state
        self.strawberry_app = strawberry_app  # GraphiQL page and SSE subscriptions
        self.schema = schema
        self.graphql_schema = schema._schema

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        if self._ide_page(request):
            await self.strawberry_app(scope, receive, send)
            return
        if "text/event-stream" in request.headers.get("accept", ""):
            await self.event_stream(request, scope, send)
            return
        response = await self.handle(request, scope.get("crm.context"))
        await response(scope, receive, send)

    @staticmethod
    def _ide_page(request: Request) -> bool:
        return request.method == "GET" and "query" not in request.query_params and "text/html" in request.headers.get(
            "accept", "")

    async def event_stream(self, request: Request, scope: Scope, send: Send) -> None:
        """A subscription over server-sent events: checked and paid for here like any
        operation, then streamed by Strawberry. Only subscriptions run this way."""
        ctx = scope.get("crm.context")
        try:
            operations, _ = await read_operations(request, self.state.settings.max_body_bytes)
            if len(operations) != 1:
                raise Refused(400, "Subscribe to one operation per stream.")
            _check_params(operations[0])
            prepared = await prepare(self.state, self.graphql_schema, ctx, operations[0], GRAPHQL_RESPONSE,
                                     {OperationType.SUBSCRIPTION}, request.method)
        except Refused as refused:
            prepared = Outcome({"errors": [_error(str(refused), refused.code, **refused.extensions)]},
                               refused.status, "rejected", headers=refused.headers)
        if isinstance(prepared, Outcome):
            self._observe(ctx, prepared, 0.0, 0)
            await self._respond(JSON, prepared.status, prepared.body, prepared.headers)(scope, request.receive, send)
            return
        # Strawberry runs exactly the checked document (a persisted one, resolved here).
        body = orjson.dumps({"query": prepared.text, "variables": prepared.variables,
                             "operationName": prepared.name})
        headers = [(k, v) for k, v in scope["headers"] if k not in (b"content-type", b"content-length")]
        replay = {**scope, "method": "POST", "query_string": b"",
                  "headers": [*headers, (b"content-type", b"application/json"),
                              (b"content-length", str(len(body)).encode())]}
        sent = False

        async def receive() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await request.receive()

        await self.strawberry_app(replay, receive, send)

    async def handle(self, request: Request, ctx: Any) -> Response:
        settings = self.state.settings
        media = negotiate(request.headers.get("accept"))
        if media is None:
            return self._respond(JSON, 406, {"errors": [_error(
                "Accept `application/graphql-response+json` or `application/json`.", "NOT_ACCEPTABLE")]})
        started = time.perf_counter()
        async with statement_counter() as statements:
            try:
                operations, batch = await read_operations(request, settings.max_body_bytes)
                if batch and settings.max_batch_operations <= 0:
                    raise Refused(400, "Batched operations are not accepted here.", "BATCHING_DISABLED")
                if batch and not 1 <= len(operations) <= settings.max_batch_operations:
                    raise Refused(400, f"A batch holds 1 to {settings.max_batch_operations} operations.",
                                  LIMIT_CODE, limit="batch", maximum=settings.max_batch_operations)
                for params in operations:  # all of a batch is well-formed before any of it runs
                    _check_params(params)
                outcomes = [await self.operation(request, ctx, params, media) for params in operations]
            except Refused as refused:
                outcomes = [Outcome({"errors": [_error(str(refused), refused.code, **refused.extensions)]},
                                    refused.status, "rejected", headers=refused.headers)]
                batch = False
        duration = time.perf_counter() - started
        for o in outcomes:
            self._observe(ctx, o, duration / len(outcomes), statements[0])
        if batch:
            headers = {k: v for o in outcomes for k, v in o.headers.items()}
            return self._respond(media, 200, [o.body for o in outcomes], headers)
        only = outcomes[0]
        return self._respond(media, only.status, only.body, only.headers)

    def _respond(self, media: str, status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
        return Response(orjson.dumps(body), status_code=status, headers=headers,
                        media_type=f"{media}; charset=utf-8")

    def _observe(self, ctx: Any, o: Outcome, duration: float, statements: int) -> None:
        metrics.record_operation(operation_name=o.operation_name, operation_type=o.operation_type,
                                 duration_seconds=duration, outcome=o.outcome, cost=o.cost, statements=statements)
        log_operation(request_id=getattr(ctx, "request_id", None),
                      tenant_id=str(ctx.actor.tenant_id) if ctx is not None else None,
                      operation_name=o.operation_name, operation_type=o.operation_type,
                      duration_ms=round(duration * 1000, 2), cost=o.cost, statements=statements,
                      outcome=o.outcome, status=o.status)

    async def operation(self, request: Request, ctx: Any, params: Any, media: str) -> Outcome:
        """One operation of the request, from its parameters to its response body."""
        prepared = await prepare(self.state, self.graphql_schema, ctx, params, media,
                                 {OperationType.QUERY, OperationType.MUTATION}, request.method)
        if isinstance(prepared, Outcome):
            return prepared
        with tracing.span("graphql.operation", headers=request.headers, operation_name=prepared.name,
                          operation_type=prepared.kind, cost=prepared.cost):
            done = await self._execute(ctx, prepared)
        done.headers.update(prepared.headers)
        return done

    async def _execute(self, ctx: Any, p: Prepared) -> Outcome:
        name, kind, cost, cost_report = p.name, p.kind, p.cost, p.cost_report
        timeout = self.state.settings.operation_timeout_seconds
        try:
            async with asyncio.timeout(timeout):
                if kind == "query" and self.state.settings.compiled_reads:
                    data = await self._compiled(ctx, p.document, p.operation, p.variables)
                    if data is not None:
                        return Outcome({"data": data, "extensions": {"cost": cost_report}}, 200, "ok", name, kind,
                                       cost)
                result = execute(
                    self.graphql_schema, p.document, context_value=ctx, variable_values=p.variables,
                    operation_name=name, executor_class=self.schema.execution_context_class,
                    is_awaitable=optimized_is_awaitable, hide_suggestions=not p.introspection,
                )
                if not isinstance(result, ExecutionResult):
                    result = await result
        except TimeoutError:
            return Outcome({"errors": [_error(f"The operation took longer than {timeout:g} s and was stopped.",
                                              "TIMEOUT")], "extensions": {"cost": cost_report}},
                           504, "timeout", name, kind, cost)
        body: dict[str, Any] = {"data": result.data}
        outcome = "ok"
        if result.errors:
            errors = mask_errors(result.errors, getattr(ctx, "request_id", None))
            body["errors"] = [e.formatted for e in errors]
            internal = any((e.extensions or {}).get("code") == "INTERNAL_SERVER_ERROR" for e in errors)
            outcome = "internal" if internal else "error"
        body["extensions"] = {"cost": cost_report}
        return Outcome(body, 200, outcome, name, kind, cost)


    async def _compiled(self, ctx: Any, document: Any, operation: OperationDefinitionNode,
                        variables: dict[str, Any]) -> orjson.Fragment | None:
        """The operation's data from one SQL statement, or None: run it the ordinary way."""
        try:
            body = await compiled.execute(ctx, document, operation, variables)
        except compiled.Fallback as fallback:
            metrics.record_compiled("fallback", fallback.reason)
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
        # The data PostgreSQL built, inside its `{"data":` ... `}`.
        return orjson.Fragment(body[len(b'{"data":'):-1])


def _formatted(error: GraphQLError, code: str) -> dict[str, Any]:
    formatted = error.formatted
    extensions = formatted.setdefault("extensions", {})
    extensions.setdefault("code", code)
    return formatted
