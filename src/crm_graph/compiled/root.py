"""The statement of a whole operation: `{"data": {...}}` built in PostgreSQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from graphql import get_named_type
from strawberry.utils.str_converters import to_camel_case

from crm_graph.compiled import scalars
from crm_graph.compiled.build import Builder, typename
from crm_graph.compiled.errors import Fallback
from crm_graph.graphql.fields import Policy
from crm_graph.graphql.queries import MAX_NODES, ROOT_CONNECTIONS
from crm_graph.readside.ids import from_global_id
from crm_graph.readside.spec import entity as entity_named

# Root fields whose answer the compiler builds (the rest take the ordinary path).
# auditLog's entries carry `changes`, filtered in Python: left to the ordinary path.
CONNECTIONS = {to_camel_case(k): v for k, v in ROOT_CONNECTIONS.items() if k != "audit_log"}


async def statement(builder: Builder, ctx: Any) -> Any:
    op = builder.op
    query_type = op.schema.query_type
    columns = []
    for key, details in op.root_fields().items():
        name = details[0].node.name.value
        if name == "__typename":
            expr: Any = typename(query_type.name)
        elif name in CONNECTIONS:
            entity = entity_named(CONNECTIONS[name])
            if not await ctx.authorize(Policy(entity.record_type, "read")):
                raise Fallback("forbidden_root")
            args = builder.page_args(entity, query_type, details)
            conn_type = get_named_type(query_type.fields[name].type)
            expr = builder.connection(entity, args, details, conn_type)
        elif name == "node":
            expr = _node(builder, op.arguments(query_type, details)["id"], details)
        elif name == "nodes":
            ids = op.arguments(query_type, details)["ids"]
            if len(ids) > MAX_NODES:
                raise Fallback("arguments")
            items = [_node(builder, i, details) for i in ids]
            expr = sa.func.array_to_json(pg.array(items, type_=pg.JSON)) if items else scalars.EMPTY_ARRAY
        elif name == "viewer":
            user_id = builder.actor.user_id
            expr = scalars.JSON_NULL if user_id is None else builder.node_by_id(
                entity_named("User"), user_id, details)
        else:
            raise Fallback("root_field")
        columns.append(expr.label(key))
    r = sa.select(*columns).subquery("r")
    body = sa.literal_column("'{\"data\":'", sa.Text) + sa.cast(sa.func.row_to_json(r.table_valued()), sa.Text)
    return sa.select(body + sa.literal_column("'}'", sa.Text))


def _node(builder: Builder, id_: str, details: list[Any]) -> Any:
    decoded = from_global_id(id_)
    if decoded is None:
        return scalars.JSON_NULL
    entity, key = decoded
    return builder.node_by_id(entity, key, details)
