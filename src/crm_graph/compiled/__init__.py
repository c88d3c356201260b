"""The compiled read path: a query operation answered by one SQL statement whose
result is the response body.

`execute` compiles what it supports and raises `Fallback` for everything else (the
HTTP layer then runs the ordinary executor). Both paths read the same declarations
(crm_graph.readside): tables, columns, relations, row scopes, field rules, filters,
orderings and cursors; scalars print through SQL twins of the Python serializers
(compiled/scalars.py), held equal by differential tests.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from graphql import DocumentNode, OperationDefinitionNode, OperationType, print_ast

from crm_graph.compiled import scalars
from crm_graph.compiled.build import Builder
from crm_graph.compiled.cache import STATEMENTS, cache_key
from crm_graph.compiled.errors import Fallback
from crm_graph.compiled.root import statement
from crm_graph.compiled.selection import Operation

if TYPE_CHECKING:
    from crm_graph.graphql.context import Context

__all__ = ["Fallback", "execute"]


async def execute(ctx: Context, document: DocumentNode, operation: OperationDefinitionNode,
                  variables: dict[str, Any]) -> bytes:
    """The response body (`{"data": ...}`) of a query operation, from one statement.

    Raises Fallback before any SQL when the operation is not compiled; raises it
    after the statement (which only read) when a value could not be printed exactly
    like the ordinary path prints it. SQL errors propagate.
    """
    from crm_graph.graphql.schema import schema

    if operation.operation is not OperationType.QUERY:
        raise Fallback("not_a_query")
    op = Operation(schema, document, operation, variables)
    walk = Builder(op, ctx.actor, emit=False)
    await statement(walk, ctx)
    key = cache_key(_document_key(document), operation.name.value if operation.name else None, ctx.actor,
                    walk.shape)
    stmt = STATEMENTS.get(key)
    if stmt is None:
        emitter = Builder(op, ctx.actor, emit=True)
        try:
            stmt = await statement(emitter, ctx)
        except Fallback as fallback:  # decided by the key alone (a field rule): remembered
            STATEMENTS.put(key, fallback.reason)
            raise
        if emitter.values.keys() != walk.values.keys() or emitter.shape != walk.shape:
            raise Fallback("internal_mismatch")
        STATEMENTS.put(key, stmt)
    elif isinstance(stmt, str):
        raise Fallback(stmt)
    text = (await ctx.db.execute(stmt, walk.values)).scalar_one()
    body = text.encode()
    if scalars.SENTINEL_BYTES in body:
        raise Fallback("unrepresentable_value")
    return body


def _document_key(document: DocumentNode) -> str:
    if document.loc is not None:
        return document.loc.source.body
    return print_ast(document)
