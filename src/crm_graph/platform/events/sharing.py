"""One execution of a live event's selection set for all the subscribers it would answer alike.

The hub hands every subscriber of a fan-out the same row objects (`LiveRow`). Each
row keeps the answers computed for it (`renders`), keyed by what decides an answer:
the operation (document text, operation name, variables) and the subscriber's view.
The view is the field-rule shape of the actor (`scope_shape`: its tenant's rules for
its roles) when the document reads only the event's own fields (`changes` is the
only part that depends on the reader, through field rules); when it reads `record`
or `actor` (rows, their scopes and nested lists), the actor's ids and API key are
added, so only subscribers acting as the same principal share. The first subscriber
of a key executes; the others, concurrent or later in the same fan-out, get its
`ExecutionResult`, whose data (`Rendered`) also carries its JSON once encoded, which
the WebSocket transport sends as text without encoding it again. A result with errors
is not shared (each subscriber executes, so error masking stays per request). Rows
replayed from the outbox are plain mappings: they are executed per subscriber.

The answers live as long as the row objects, i.e. until every subscriber of the
fan-out has taken its batch: no stale `record` is served to a later replay.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import orjson
from graphql.execution import Executor
from graphql.execution.executor import CollectedErrors
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from crm_graph.kernel.actor import Actor
from crm_graph.readside.scope import scope_shape, scope_values
from graphql import (
    ExecutionResult,
    ExperimentalIncrementalExecutionResults,
    FieldNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)

# What executing an operation gives (graphql-core's type): a subscription's event,
# which can carry no @defer or @stream, always gives an ExecutionResult.
Result = ExecutionResult | ExperimentalIncrementalExecutionResults
RESULTS = (ExecutionResult, ExperimentalIncrementalExecutionResults)  # else: an awaitable of one

# Event fields resolved from the event row alone (and FieldChange under `changes`).
EVENT_OWN_FIELDS = frozenset({"id", "type", "occurredAt", "recordType", "recordId", "version", "changes", "__typename"})


class LiveRow(dict[str, Any]):
    """A stream entry as the outbox row it copies, shared by every subscriber of a fan-out."""

    __slots__ = ("events", "renders")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.renders: dict[Any, asyncio.Future[ExecutionResult]] = {}
        self.events: dict[Any, Any] = {}  # the root value (an Event) per field-rule shape


# The actor whose batch the current subscription task is delivering (set per batch by
# the subscription's stream: the hub may have re-loaded it since the subscription began).
viewer: ContextVar[Actor | None] = ContextVar("crm_live_viewer", default=None)


def event_for(actor: Actor, row: Any, make: Callable[[Actor, Any], Any]) -> Any:
    """The root value of `row` for `actor`: made once per field-rule shape for a live row
    (an Event depends on its reader only through the fields it may read)."""
    if not isinstance(row, LiveRow):
        return make(actor, row)
    rules = views(actor)[0]
    found = row.events.get(rules)
    if found is None:
        found = row.events[rules] = make(actor, row)
    return found


class Rendered(dict[str, Any]):
    """A shared answer's `data`; `text` is its JSON, encoded once by the transport."""

    __slots__ = ("text",)

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data)
        self.text: str | None = None


class Counter:
    """Executions of live events' selection sets in this process (what sharing saves)."""

    executions = 0
    shared = 0


_VIEWS: weakref.WeakKeyDictionary[Actor, tuple[Any, Any]] = weakref.WeakKeyDictionary()


def views(actor: Actor) -> tuple[Any, Any]:
    """(field-rule shape, principal) keys of an actor, computed once per actor object
    (the hub replaces the object when it re-loads a subscriber's actor)."""
    found = _VIEWS.get(actor)
    if found is None:
        rules = scope_shape(actor)
        principal = (rules, tuple(sorted(scope_values(actor).items())), actor.api_key_id, actor.email)
        found = _VIEWS[actor] = (rules, principal)
    return found


def _reads_only_the_event(selections: SelectionSetNode | None, fragments: dict[str, Any], depth: int = 0) -> bool:
    """Do the selections under the subscription field read nothing beyond the event row?"""
    if selections is None:
        return True
    for node in selections.selections:
        if isinstance(node, FieldNode):
            if node.name.value not in EVENT_OWN_FIELDS:
                return False
        elif isinstance(node, InlineFragmentNode):
            if not _reads_only_the_event(node.selection_set, fragments, depth):
                return False
        elif isinstance(node, FragmentSpreadNode):
            fragment = fragments.get(node.name.value)
            if (
                fragment is None
                or depth > 20
                or not _reads_only_the_event(fragment.selection_set, fragments, depth + 1)
            ):
                return False
        else:
            return False
    return True


def _operation_key(executor: Executor[Any]) -> tuple[Any, bool]:
    """What of the operation decides an answer, and whether the event row alone does."""
    operation = executor.operation
    text = operation.loc.source.body if operation.loc is not None else id(operation)
    name = operation.name.value if operation.name is not None else None
    variables = orjson.dumps(
        executor.variable_values.coerced if hasattr(executor.variable_values, "coerced") else executor.variable_values,
        option=orjson.OPT_SORT_KEYS,
        default=str,
    )
    roots = [n for n in operation.selection_set.selections if isinstance(n, FieldNode)]
    only_event = len(roots) == len(operation.selection_set.selections) and all(
        _reads_only_the_event(n.selection_set, executor.fragment_definitions) for n in roots
    )
    return (text, name, variables), only_event


class SharingExecutor(StrawberryGraphQLCoreExecutionContext):
    """Strawberry's executor, sharing per-event results between alike subscribers."""

    _share_operation: tuple[Any, bool] | None = None

    def build_per_event_executor(self, payload: Any) -> Executor[Any]:
        if self._share_operation is None:
            self._share_operation = _operation_key(self)  # once per subscription
        # What copy.copy does for a plain object, without its generic (slower) protocol.
        executor = object.__new__(type(self))
        executor.__dict__.update(self.__dict__)
        executor.root_value = payload
        executor.collected_errors = CollectedErrors()
        return executor

    def execute_operation(self, serially: bool | None = None) -> Any:
        row = getattr(self.root_value, "_row", None)
        actor = viewer.get()
        if not isinstance(row, LiveRow) or actor is None or self._share_operation is None:
            return super().execute_operation(serially)
        operation, only_event = self._share_operation
        rules, principal = views(actor)
        key = (operation, rules if only_event else principal)
        found = row.renders.get(key)
        if found is None:
            return self._execute_first(row.renders, key, serially)
        if found.done() and not found.cancelled():
            Counter.shared += 1
            return found.result()
        return self._wait(found, serially)

    async def _execute_first(self, renders: dict[Any, Any], key: Any, serially: bool | None) -> Result:
        future: asyncio.Future[ExecutionResult] = asyncio.get_running_loop().create_future()
        renders[key] = future
        Counter.executions += 1
        try:
            executed = super().execute_operation(serially)
            result = executed if isinstance(executed, RESULTS) else await executed
            if isinstance(result, ExecutionResult) and not result.errors and isinstance(result.data, dict):
                result = ExecutionResult(Rendered(result.data), None)
                future.set_result(result)
        finally:
            if not future.done():
                # Failed, had errors or was cancelled: those waiting execute themselves,
                # and the next to come is the first again.
                future.cancel()
                if renders.get(key) is future:
                    del renders[key]
        return result

    async def _wait(self, future: asyncio.Future[ExecutionResult], serially: bool | None) -> Result:
        try:
            result = await asyncio.shield(future)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if not future.cancelled() or (task is not None and task.cancelling()):
                raise  # this subscriber itself was cancelled
            Counter.executions += 1
            own = super().execute_operation(serially)
            return own if isinstance(own, RESULTS) else await own
        Counter.shared += 1
        return result
