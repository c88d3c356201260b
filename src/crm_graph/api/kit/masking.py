"""Unexpected errors reach clients as a generic message with the request id; the
details (SQL, parameters, stack) go to the server's log only."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import structlog
from strawberry.extensions import SchemaExtension

from graphql import GraphQLError

log = structlog.get_logger("crm_graph.kernel.errors")


def mask_errors(errors: Sequence[GraphQLError], request_id: str | None) -> list[GraphQLError]:
    """Errors raised on purpose pass; anything else becomes a generic internal error."""
    request_id = request_id or "unknown"
    masked = []
    for error in errors:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError):
            masked.append(error)  # raised on purpose: its message is for the client
            continue
        log.error("unexpected_error", request_id=request_id, path=error.path, exc_info=original)
        masked.append(
            GraphQLError(
                f"Internal error (request {request_id}).",
                nodes=error.nodes,
                source=error.source,
                positions=error.positions,
                path=error.path,
                extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            )
        )
    return masked


class MaskUnexpectedErrors(SchemaExtension):
    """The same masking on Strawberry's own execution (subscriptions over WebSocket and SSE)."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is None or not errors:
            return
        context = self.execution_context.context
        result.errors = mask_errors(errors, getattr(context, "request_id", None))
