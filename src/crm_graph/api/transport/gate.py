"""Everything an operation passes before it runs, on every transport (HTTP, server-
sent events, WebSocket): its document (persisted or trusted), parse and validation
with the limits, variables, cost, and the cost budget."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql.execution.values import get_variable_values

from crm_graph.api.transport import ratelimit
from crm_graph.api.transport.documents import CACHEABLE_LENGTH, DocumentError, Documents
from crm_graph.api.transport.limits import LIMIT_CODE, operation_cost
from crm_graph.api.transport.wire import GRAPHQL_RESPONSE, Refused, error
from crm_graph.kernel.lru import LRU
from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    get_operation_ast,
)

# Operation costs, by document, operation and variables (of at most 4 KB).
_COSTS = LRU("costs", 1024, share=0.05)
COST_ENTRY_BYTES = 400  # a key's tuple and an int, beside its texts


@dataclass
class Outcome:
    """One operation's response body and how it went."""

    body: dict[str, Any]  # without "data" when `compiled` holds it
    status: int = 200
    outcome: str = "ok"  # ok | error | rejected | throttled | timeout | internal
    operation_name: str | None = None
    operation_type: str = "query"
    cost: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    compiled: bytes | None = None  # `{"data":...}` as PostgreSQL built it (UTF-8)

    def json(self) -> bytes:
        """The response body; a compiled answer is copied once, not parsed."""
        if self.compiled is None:
            return orjson.dumps(self.body)
        rest = orjson.dumps(self.body)  # `{"extensions":...}`
        return b"".join((memoryview(self.compiled)[:-1], b"," if len(rest) > 2 else b"", memoryview(rest)[1:]))

    def payload(self) -> Any:
        """The body as a value orjson prints (inside a batch)."""
        if self.compiled is None:
            return self.body
        return {"data": orjson.Fragment(self.compiled[len(b'{"data":') : -1]), **self.body}


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


async def prepare(
    state: Any,
    graphql_schema: Any,
    ctx: Any,
    params: dict[str, Any],
    media: str,
    kinds: set[OperationType],
    method: str = "POST",
) -> Prepared | Outcome:
    """Everything before execution, for every transport: the document, its checks,
    variables, cost and budget. An Outcome is the refusal to send instead."""
    settings = state.settings
    documents: Documents = state.documents
    invalid = 400 if media == GRAPHQL_RESPONSE else 200  # the spec's status for a rejected document
    name = params.get("operationName")
    try:
        text = await documents.text(
            params.get("query"), params.get("documentId"), params.get("extensions"), ctx.actor.tenant_id
        )
    except DocumentError as exc:
        return Outcome(
            {"errors": [error(str(exc), exc.code)]}, 400 if exc.code == "BAD_REQUEST" else invalid, "rejected", name
        )
    if settings.admin_introspection and not settings.introspection_enabled and hasattr(ctx, "check_actor"):
        await ctx.check_actor()  # the roles decide; a cached actor may be stale
    actor = ctx.actor
    introspection = settings.introspection_enabled or (settings.admin_introspection and "admin" in actor.roles)
    checked = documents.cached(text.query, introspection)
    if checked is None:
        checked = await documents.check_new(text.query, introspection)
    if checked.errors:
        code = "GRAPHQL_PARSE_FAILED" if not checked.document.definitions else "GRAPHQL_VALIDATION_FAILED"
        return Outcome({"errors": [formatted(e, code) for e in checked.errors]}, invalid, "rejected", name)
    try:
        await documents.persist(text, ctx.actor.tenant_id)
    except DocumentError as exc:
        return Outcome({"errors": [error(str(exc), exc.code)]}, 400, "rejected", name)
    operation = get_operation_ast(checked.document, name)
    if operation is None:
        message = (
            f"Unknown operation named '{name}'."
            if name
            else "Pass `operationName` to choose one of the document's operations."
        )
        return Outcome({"errors": [error(message, "OPERATION_NOT_FOUND")]}, invalid, "rejected", name)
    kind = operation.operation
    name = operation.name.value if operation.name else name
    if kind is OperationType.MUTATION and method == "GET":
        raise Refused(
            405, "Mutations are not accepted over GET; use POST.", "METHOD_NOT_ALLOWED", headers={"Allow": "POST"}
        )
    if kind not in kinds:
        if kind is OperationType.SUBSCRIPTION:
            message, code = (
                (
                    "Subscriptions are served over WebSocket (graphql-transport-ws) or server-sent "
                    "events (Accept: text/event-stream)."
                ),
                "SUBSCRIPTION_TRANSPORT",
            )
        else:
            message, code = (
                "Over server-sent events only subscriptions run; send queries and mutations as JSON.",
                ("UNSUPPORTED_TRANSPORT"),
            )
        return Outcome({"errors": [error(message, code)]}, 400, "rejected", name, kind.value)
    raw = params.get("variables") or {}
    coerced = get_variable_values(
        graphql_schema, operation.variable_definitions or (), raw, max_errors=50, hide_suggestions=not introspection
    )
    if isinstance(coerced, list):
        return Outcome(
            {"errors": [formatted(e, "BAD_USER_INPUT") for e in coerced]}, invalid, "rejected", name, kind.value
        )
    cost_key = _cost_key(text.query, name, introspection, raw)
    cost = _COSTS.get(cost_key) if cost_key is not None else None
    if cost is None:
        cost = operation_cost(graphql_schema, checked.document, operation, coerced.coerced)
        if cost_key is not None:
            _COSTS.put(cost_key, cost, COST_ENTRY_BYTES + len(cost_key[0]) + len(cost_key[3]))
    cost_report: dict[str, Any] = {"requested": cost, "maximum": settings.max_cost}
    if cost > settings.max_cost:
        return Outcome(
            {
                "errors": [
                    error(
                        f"The operation's cost is over {settings.max_cost}: ask for smaller pages or fewer nested lists.",
                        LIMIT_CODE,
                        limit="cost",
                        value=cost,
                        maximum=settings.max_cost,
                    )
                ],
                "extensions": {"cost": cost_report},
            },
            invalid,
            "rejected",
            name,
            kind.value,
            cost,
        )
    headers: dict[str, str] = {}
    throttled = await _charge(state, actor, cost, headers)
    if throttled is not None:
        return Outcome(
            {
                "errors": [
                    error(f"The cost budget is spent; retry in {throttled} s.", "THROTTLED", retryAfter=throttled)
                ],
                "extensions": {"cost": cost_report},
            },
            429,
            "throttled",
            name,
            kind.value,
            cost,
            {**headers, "Retry-After": str(throttled)},
        )
    return Prepared(
        checked.document, operation, text.query, raw, name, kind.value, cost, cost_report, introspection, headers
    )


def _cost_key(query: str, name: str | None, introspection: bool, variables: Any) -> tuple[Any, ...] | None:
    """The cost depends on the document, the operation and the variables only. None (not
    remembered): a document too long to cache, variables over 4 KB, or variables JSON
    cannot print (integers past 64 bits)."""
    if len(query) > CACHEABLE_LENGTH:
        return None
    try:
        printed = orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
    return (query, name, introspection, printed) if len(printed) <= 4096 else None


async def charge_extra(state: Any, actor: Any, cost: int) -> None:
    """Debit work found after the operation was admitted (compiling a new statement).
    A bucket that cannot pay it all is left as it is: its owner is throttled already."""
    await _charge(state, actor, cost, {})


async def _charge(state: Any, actor: Any, cost: int, headers: dict[str, str]) -> int | None:
    """Seconds to wait when the cost budget cannot pay `cost`, else None."""
    settings = state.settings
    if not settings.rate_limit_enabled or cost == 0:
        return None
    buckets = [
        ratelimit.tenant_bucket(
            actor.tenant_id, settings.rate_limit_tenant_capacity, settings.rate_limit_tenant_per_second
        )
    ]
    if actor.api_key_id is not None:
        buckets.append(
            ratelimit.api_key_bucket(
                actor.api_key_id, settings.rate_limit_key_capacity, settings.rate_limit_key_per_second
            )
        )
    decision = await state.budget.charge(buckets, cost)
    # In headers, not the body: equal questions keep getting equal answers.
    headers["RateLimit-Limit"] = str(min(b.capacity for b in buckets))
    headers["RateLimit-Remaining"] = str(decision.remaining)
    return None if decision.allowed else decision.retry_after


def formatted(error: GraphQLError, code: str) -> dict[str, Any]:
    formatted: dict[str, Any] = dict(error.formatted)
    extensions = formatted.setdefault("extensions", {})
    extensions.setdefault("code", code)
    return formatted
