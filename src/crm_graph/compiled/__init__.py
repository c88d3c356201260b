"""The compiled read path: a query operation answered by one SQL statement whose
result is the response body.

`execute` compiles what it supports and raises `Fallback` for everything else (the
HTTP layer then runs the ordinary executor). Both paths read the same declarations
(crm_graph.readside): tables, columns, relations, row scopes, field rules, filters,
orderings and cursors; scalars print through SQL twins of the Python serializers
(compiled/scalars.py), held equal by differential tests.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol

import orjson

from crm_graph.compiled import scalars
from crm_graph.compiled.build import Builder
from crm_graph.compiled.cache import (
    ENTRY_BYTES,
    STATEMENTS,
    WALKED_VARIABLES,
    WALKS,
    cache_key,
    statement_weight,
    walk_weight,
)
from crm_graph.compiled.errors import Fallback
from crm_graph.compiled.root import statement
from crm_graph.compiled.selection import Operation
from crm_graph.kernel import offload
from crm_graph.platform.authz.enforcer import POLICIES
from graphql import DocumentNode, OperationDefinitionNode, OperationType, print_ast

if TYPE_CHECKING:
    from crm_graph.api.kit.fields import Policy
    from crm_graph.kernel.actor import Actor


class Context(Protocol):
    """What the compiled path reads of a request's context (the transport's
    crm_graph.api.transport.context.Context): the actor, its database handle, and
    whether a root field's policy lets it in."""

    actor: Actor
    db: Any

    def allows(self, policy: Policy) -> bool: ...


__all__ = ["STALE_ACTOR", "Fallback", "execute"]

STALE_ACTOR = "stale_actor"
# Documents up to this many characters are walked on the event loop (well under a
# millisecond); longer ones in the worker thread.
SMALL_DOCUMENT = 500
# Fields, connections and lookups a compiled statement may hold; a larger operation
# takes the ordinary path, whose work is paced by its own awaits.
MAX_SHAPE = 2000


async def execute(
    schema: Any,
    ctx: Context,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
    charge: Callable[[float], Awaitable[None]] | None = None,
) -> bytes:
    """The response body (`{"data": ...}`) of a query operation on `schema` (the
    composed Strawberry schema), from one statement.

    Raises Fallback before any SQL when the operation is not compiled; raises it
    after the statement (which only read) when a value could not be printed exactly
    like the ordinary path prints it, or when the actor turned out to be out of date
    (reason "stale_actor"). SQL errors propagate. `charge(seconds)` is told the CPU
    time of compiling a new statement, for the caller's cost budget.
    """
    if operation.operation is not OperationType.QUERY:
        raise Fallback("not_a_query")
    document_key = _document_key(document)
    name = operation.name.value if operation.name else None
    actor = ctx.actor
    # The walk (the statement's key and parameter values) depends on nothing but the
    # operation, its variables and the actor: remembered, it is not redone.
    printed = orjson.dumps(variables, option=orjson.OPT_SORT_KEYS)
    walk_key = (
        document_key,
        name,
        printed,
        actor.tenant_id,
        actor.user_id,
        actor.api_key_id,
        actor.roles,
        actor.team_id,
        actor.team_user_ids,
        actor.team_members,
        actor.policy_version,
        actor.permissions is None,
        POLICIES.generation(actor.tenant_id),
    )
    walked = WALKS.get(walk_key) if len(printed) <= WALKED_VARIABLES else None
    if walked is None:
        args = (schema, document, operation, variables, actor, ctx, document_key, name)
        # A large document's walk runs off the event loop (it grows with the document).
        walked = _walk(*args) if len(document_key) <= SMALL_DOCUMENT else await offload.run(_walk, *args)
        if len(printed) <= WALKED_VARIABLES:
            WALKS.put(walk_key, walked, walk_weight(printed, walked.values if isinstance(walked, Walked) else {}))
    if isinstance(walked, str):
        raise Fallback(walked)
    key = walked.key
    found = STATEMENTS.get(key)
    if found is None:
        # Compiling builds and prints the whole statement (milliseconds for a small
        # operation, up to seconds for the largest): never on the event loop.
        found, seconds = await offload.run(
            _compile, schema, document, operation, variables, actor, ctx, document_key, name, walked
        )
        if charge is not None:
            await charge(seconds)
        if found != "internal_mismatch":
            STATEMENTS.put(
                key,
                found,
                statement_weight(key, found.sql, found.defaults) if isinstance(found, Statement) else ENTRY_BYTES,
            )
    if isinstance(found, str):
        raise Fallback(found)
    body: bytes | None = await found.run(ctx.db, walked)
    if body is None:
        raise Fallback(STALE_ACTOR)
    # The sentinel is an escaped string: a body without a backslash (one memchr)
    # cannot hold it.
    if found.may_fall_back and b"\\" in body and scalars.SENTINEL_BYTES in body:
        raise Fallback("unrepresentable_value")
    return body


def _walk(
    schema: Any,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
    actor: Any,
    ctx: Any,
    document_key: str,
    name: str | None,
) -> Walked | str:
    """The statement's key and the request's parameter values, or why it falls back."""
    walk = Builder(Operation(schema, document, operation, variables), actor, emit=False)
    try:
        statement(walk, ctx)
    except Fallback as fallback:
        return fallback.reason
    if len(walk.shape) > MAX_SHAPE:
        return "too_large"
    return Walked(cache_key(document_key, name, actor, walk.shape), walk.values)


def _compile(
    schema: Any,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
    actor: Any,
    ctx: Any,
    document_key: str,
    name: str | None,
    walked: Walked,
) -> tuple[Statement | str, float]:
    """The statement of the walked shape, or why it falls back (decided by the key
    alone, e.g. a field rule: remembered); and the CPU time it took."""
    started = time.thread_time()
    found = _emit(schema, document, operation, variables, actor, ctx, document_key, name, walked)
    return found, time.thread_time() - started


def _emit(
    schema: Any,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: dict[str, Any],
    actor: Any,
    ctx: Any,
    document_key: str,
    name: str | None,
    walked: Walked,
) -> Statement | str:
    emitter = Builder(Operation(schema, document, operation, variables), actor, emit=True)
    try:
        stmt = statement(emitter, ctx)
    except Fallback as fallback:
        return fallback.reason
    if (
        emitter.values.keys() != walked.values.keys()
        or cache_key(document_key, name, actor, emitter.shape) != walked.key
    ):
        return "internal_mismatch"
    return Statement(stmt, ctx.db.engine.dialect, emitter.values)


class Statement:
    """A compiled statement as the driver takes it: its SQL text and its parameters
    in order, so a request pays for neither SQLAlchemy's compilation nor its cache
    lookup (which walks the whole statement). asyncpg prepares the text once per
    connection, and PostgreSQL keeps its plan.

    Only the text and the parameters' names, defaults and processors are kept, not the
    SQLAlchemy statement: a cached q1 holds about 8,000 objects of expression tree, a
    full cache two million, and the collector walks every one of them in each full
    collection (seconds of stalled requests on a busy process). An IN list's values
    belong to the statement's shape (its cache key), so they are expanded here once.
    """

    __slots__ = ("defaults", "may_fall_back", "names", "processors", "sql")

    def __init__(self, stmt: Any, dialect: Any, values: dict[str, Any]) -> None:
        compiled = stmt.compile(dialect=dialect)
        expanded = compiled.construct_expanded_state(values)
        self.sql: str = expanded.statement
        # Only a statement that can print the sentinel needs its answer searched for it.
        self.may_fall_back = scalars.SENTINEL_TEXT in self.sql
        self.names: tuple[str, ...] = tuple(expanded.positiontup or ())
        # The statement's own values (literals, IN lists): the request's are in `walked`.
        self.defaults = {name: value for name, value in expanded.parameters.items() if name not in values}
        processors = {**compiled._bind_processors, **expanded.processors}
        self.processors = tuple(processors.get(name) for name in self.names)

    async def run(self, db: Any, walked: Walked) -> bytes | None:
        if walked.args is None or walked.args[0] is not self:
            args = []
            for name, process in zip(self.names, self.processors, strict=True):
                value = walked.values[name] if name in walked.values else self.defaults[name]
                args.append(value if process is None or value is None else process(value))
            walked.args = (self, args)
        return await db.fetch_value(self.sql, walked.args[1])  # type: ignore[no-any-return]  # asyncpg is untyped; the statement returns one json value


@dataclasses.dataclass
class Walked:
    """What the walk of an operation found: the statement's cache key (the shape
    included), the parameter values, and (once run) those values as the driver takes
    them."""

    key: tuple[Any, ...]
    values: dict[str, Any]
    args: tuple[Statement, list[Any]] | None = None


def _document_key(document: DocumentNode) -> str:
    if document.loc is not None:
        return document.loc.source.body
    return print_ast(document)
