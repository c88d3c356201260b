"""The statement of a whole operation: `{"data": {...}}` built in PostgreSQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from strawberry.utils.str_converters import to_camel_case

from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.roots import MAX_NODES, RootList, declared_root_lists
from crm_graph.compiled import scalars
from crm_graph.compiled.build import Builder, typename
from crm_graph.compiled.errors import Fallback
from crm_graph.compiled.graph import relationship_path
from crm_graph.platform.authz.actors import STILL_CURRENT
from crm_graph.readside.ids import from_global_id
from crm_graph.readside.spec import entity as entity_named
from graphql import get_named_type

_lists: dict[str, RootList] = {}


def connections() -> dict[str, RootList]:
    """Root connection fields whose answer the compiler builds (the rest take the
    ordinary path): every declared one (complete once the schema is built). An
    audit entry's `changes`, filtered in Python, falls back on its own."""
    if not _lists:
        _lists.update({to_camel_case(k): v for k, v in declared_root_lists().items()})
    return _lists


def statement(builder: Builder, ctx: Any) -> Any:
    """Walks the operation; with `builder.emit`, returns the statement. Synchronous
    and free of I/O, so that a large one may run off the event loop."""
    op, emit = builder.op, builder.emit
    query_type = op.schema.query_type
    columns = []
    for key, details in op.root_fields().items():
        name = details[0].node.name.value
        builder.shape.append((key, name))
        if name == "__typename":
            expr: Any = typename(query_type.name) if emit else None
        elif name in connections():
            declared = connections()[name]
            entity = entity_named(declared.entity)
            if not ctx.allows(declared.policy):
                raise Fallback("forbidden_root")
            args = builder.root_page_args(declared, query_type, details)
            conn_type = get_named_type(query_type.fields[name].type)
            expr = builder.connection(entity, args, details, conn_type)
        elif name == "node":
            expr = _node(builder, op.arguments(query_type, details)["id"], details)
        elif name == "nodes":
            ids = op.arguments(query_type, details)["ids"]
            if len(ids) > MAX_NODES:
                raise Fallback("arguments")
            expr = _nodes(builder, ids, details)
        elif name == "viewer":
            user_id = builder.real_actor.user_id
            builder.shape.append(user_id is None)
            if user_id is None:
                expr = scalars.JSON_NULL
            else:  # the actor's own id, a parameter like every other actor id
                expr = builder.lookup(entity_named("User"), builder.actor.user_id, details)
        elif name == "relationshipPath":
            if not ctx.allows(Policy("relationship", "read")):
                raise Fallback("forbidden_root")
            path_type = get_named_type(query_type.fields[name].type)
            expr = relationship_path(builder, op.arguments(query_type, details), details, path_type)
        else:
            raise Fallback("root_field")  # introspection, events, auditLog, webhooks, ...
        if emit:
            columns.append(expr.label(key))
    if not emit:
        return None
    body = scalars.text('{"data":').op("||")(scalars.json_object(columns))
    # As UTF-8 bytes (bytea): the driver hands them over as they are, with no text to
    # decode and encode again.
    stmt = sa.select(sa.func.convert_to(body.op("||")(scalars.text("}")), scalars.text("UTF8")))
    if builder.real_actor.user_id is not None:
        # No row (so no answer) when the actor, maybe from ActorCache, is out of date:
        # checked first, in the statement's snapshot.
        stmt = stmt.where(STILL_CURRENT)
    return stmt


def _nodes(builder: Builder, ids: list[str], details: list[Any]) -> Any:
    """`nodes(ids:)`: the ids and their types are two array parameters, unnested in
    order; each item is looked up by its type's lookup. The shape holds only which types
    occur (at most one lookup per type, not per id), so new ids never compile anew and
    a hundred ids cost no more to compile than one of each type."""
    decoded = [from_global_id(i) for i in ids]
    names = sorted({d[0].name for d in decoded if d is not None})
    builder.shape.append(("nodes", *names))
    keys = builder.param([d[1] if d is not None else None for d in decoded], pg.ARRAY(sa.Uuid))
    kinds = builder.param([d[0].name if d is not None else None for d in decoded], pg.ARRAY(sa.Text))
    u: Any = None  # the ids as rows: a SQL fragment, built only when the statement is emitted
    if builder.emit:
        u = (
            sa.func.unnest(sa.cast(keys, pg.ARRAY(sa.Uuid)), sa.cast(kinds, pg.ARRAY(sa.Text)))
            .table_valued(sa.column("id", sa.Uuid), sa.column("kind", sa.Text), with_ordinality="i")
            .render_derived(name=builder.name("ids"))
        )
    whens = []
    for name in names:
        found = builder.lookup(entity_named(name), u.c.id if u is not None else None, details, u)
        if builder.emit:
            whens.append((u.c.kind == scalars.text(name), found))
    if not builder.emit:
        return None
    item = sa.func.coalesce(sa.case(*whens, else_=sa.null()) if whens else sa.null(), scalars.text("null"))
    agg = sa.func.string_agg(item, pg.aggregate_order_by(scalars.text(","), u.c.i))
    return scalars.raw(sa.select(scalars.json_list(agg)).select_from(u).scalar_subquery())


def _node(builder: Builder, id_: str, details: list[Any]) -> Any:
    decoded = from_global_id(id_)
    if decoded is None:
        builder.shape.append(("node", None))
        return scalars.JSON_NULL
    entity, key = decoded
    return builder.node_by_id(entity, key, details)
