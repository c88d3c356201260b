"""`relationshipPath` in the statement: the ordinary path's recursive walk
(crm_graph.domains.relationships.graph) as a CTE, its nodes and edges looked up with the
same row scopes, null when an end or any record on the way is not visible.

The two ends are parameters: only their types, whether they are the same record,
the depth and the kinds are part of the statement's shape, so a new pair of ends
reuses the statement.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.compiled import scalars
from crm_graph.compiled.build import Builder, typename
from crm_graph.compiled.connection import connection_json, connection_parts, page_info_json
from crm_graph.compiled.errors import Fallback
from crm_graph.domains.relationships import graph
from crm_graph.readside.ids import decode_cursor, from_global_id
from crm_graph.readside.scope import endpoint_types, row_scope, visible_record
from crm_graph.readside.spec import Entity, declared
from crm_graph.readside.spec import entity as entity_named
from graphql import get_named_type


def relationship_path(b: Builder, kwargs: dict[str, Any], details: list[Any], path_type: Any) -> Any:
    # Imported here: crm_graph.domains.relationships.api_graph needs the generated types to exist first.
    from crm_graph.domains.relationships.api_graph import MAX_PATH_DEPTH

    max_depth, kinds = kwargs.get("max_depth", 4), kwargs.get("kinds")
    if not 1 <= max_depth <= MAX_PATH_DEPTH:
        raise Fallback("arguments")
    src, dst = from_global_id(kwargs["from_"]), from_global_id(kwargs["to"])
    if src is None or dst is None or not {src[0].record_type, dst[0].record_type} <= set(graph.NODE_TYPES):
        b.shape.append(("path", None))
        return scalars.JSON_NULL
    (src_entity, src_id), (dst_entity, dst_id) = src, dst
    same = src_id == dst_id
    b.shape.append(
        ("path", src_entity.name, dst_entity.name, same, max_depth, tuple(kinds) if kinds is not None else None)
    )
    src_key, dst_key = b.param(src_id, sa.Uuid), b.param(dst_id, sa.Uuid)
    if not same and not graph.may_read_edges(b.real_actor):
        b.shape.append("no edges")
        return scalars.JSON_NULL
    fields = b.op.subfields(path_type, details)
    # SQL fragments, built only when the statement is emitted (a walk only reads shapes).
    walk: Any = None
    i: Any = None
    j: Any = None
    if b.emit:
        if same:
            walk = sa.select(
                pg.array([src_key]).label("path"),
                pg.array([scalars.text(src_entity.record_type)]).label("types"),
                sa.cast(pg.array([], type_=sa.Uuid), pg.ARRAY(sa.Uuid)).label("edges"),
            ).subquery(b.name("w"))
        else:
            cte = graph.walk_from(
                src_key, scalars.text(src_entity.record_type), max_depth, b.actor, kinds, name=b.name("walk")
            )
            walk = (
                sa.select(cte.c.path, cte.c.types, cte.c.edges)
                .where(cte.c.node_id == dst_key)
                .limit(1)
                .subquery(b.name("w"))
            )
        i = sa.func.generate_subscripts(walk.c.path, 1).table_valued("i").render_derived(name=b.name("i"))
        j = sa.func.generate_subscripts(walk.c.edges, 1).table_valued("j").render_derived(name=b.name("j"))
    path: Any = sa.type_coerce(walk.c.path, pg.ARRAY(sa.Uuid)) if walk is not None else None
    types: Any = sa.type_coerce(walk.c.types, pg.ARRAY(sa.Text)) if walk is not None else None
    edges: Any = sa.type_coerce(walk.c.edges, pg.ARRAY(sa.Uuid)) if walk is not None else None
    lists: list[tuple[str, Any]] = []
    for key, field_details in fields.items():
        name = field_details[0].node.name.value
        b.shape.append((key, name))
        if name == "nodes":
            whens = []
            for record_type in graph.NODE_TYPES:  # the walk reaches only these
                target = declared(record_type)
                found = b.lookup(target, path[i.c.i] if b.emit else None, field_details, (walk, i))
                if b.emit:  # JSON text made json again: the walk's lists are json arrays
                    whens.append((types[i.c.i] == scalars.text(record_type), sa.cast(found, pg.JSON)))
            if b.emit:
                item = sa.case(*whens, else_=scalars.JSON_NULL)
                lists.append(
                    (
                        key,
                        sa.func.array(sa.select(item).select_from(i).order_by(i.c.i).correlate(walk).scalar_subquery()),
                    )
                )
        elif name == "edges":
            found = b.lookup(entity_named("Relationship"), edges[j.c.j] if b.emit else None, field_details, (walk, j))
            if b.emit:
                found = sa.cast(found, pg.JSON)
                lists.append(
                    (
                        key,
                        sa.func.array(
                            sa.select(found).select_from(j).order_by(j.c.j).correlate(walk).scalar_subquery()
                        ),
                    )
                )
        elif name not in ("length", "__typename"):
            raise Fallback("path_field")
    if not b.emit:
        return None
    visible = []
    for entity, key in ((src_entity, src_key), (dst_entity, dst_key)):
        u = entity.table.alias(b.name("u"))
        visible.append(sa.exists().where(u.c.id == key, row_scope(entity, u, b.actor)))
    arrays = sa.select(*[a.label(f"_l_{k}") for k, a in lists]).correlate(walk).lateral(b.name("l"))
    out = []
    for key, field_details in fields.items():
        name = field_details[0].node.name.value
        if name == "length":
            expr = sa.func.cardinality(edges)
        elif name == "__typename":
            expr = typename(path_type.name)
        else:
            col = sa.type_coerce(arrays.c[f"_l_{key}"], pg.ARRAY(pg.JSON))
            expr = sa.func.coalesce(sa.func.array_to_json(col), scalars.EMPTY_ARRAY)
        out.append(expr.label(key))
    # Null unless both ends and every node and edge on the way are visible.
    complete = [
        sa.func.array_position(sa.type_coerce(arrays.c[f"_l_{k}"], pg.ARRAY(pg.JSON)), sa.null()).is_(None)
        for k, _ in lists
    ]
    r: Any = sa.select(*out).select_from(walk)
    if lists:
        r = r.join(arrays, sa.true())
    r = r.where(*visible, *complete).lateral(b.name("r"))
    return sa.select(sa.func.row_to_json(r.table_valued())).select_from(r).scalar_subquery()


def neighbors(b: Builder, entity: Entity, x: Any, parent_type: Any, details: list[Any]) -> Any:
    """`neighbors` of the row `x`: the ordinary path's walk (relationships.graph) as a
    recursive CTE nested in the parent's object, paged by (distance, id as text) like
    its resolver, and an edge kept only when both its record and its relationship are
    visible (the resolver drops the others after paging, counts included)."""
    from crm_graph.domains.relationships.api_graph import MAX_DEPTH

    conn_type = get_named_type(parent_type.fields[details[0].node.name.value].type)
    kwargs = b.op.arguments(parent_type, details)
    depth, kinds, first, after = kwargs.get("depth", 1), kwargs.get("kinds"), kwargs.get("first"), kwargs.get("after")
    if not 1 <= depth <= MAX_DEPTH or (first is not None and not 0 <= first <= 100):
        raise Fallback("arguments")
    key = None
    if after is not None:
        key = decode_cursor(after)
        if key is None or len(key) != 2 or not isinstance(key[0], int) or not isinstance(key[1], str):
            raise Fallback("bad_cursor")
        if not -(2**31) <= key[0] < 2**31 or "\x00" in key[1]:
            raise Fallback("bad_cursor")  # no SQL value compares like the resolver's Python
    readable = graph.may_read_edges(b.real_actor)
    b.shape.append(("neighbors", entity.name, depth, tuple(kinds) if kinds else None, first, key is not None, readable))
    after_key = None if key is None else (b.param(int(key[0]), sa.Integer), b.param(key[1], sa.Text))
    fields = b.op.subfields(conn_type, details)
    edges, page_infos = connection_parts(b, fields, "NeighborEdge")
    if not readable:  # no walk: an empty list, as the resolver answers
        return _neighbors_json(fields, conn_type, page_infos, key is not None, None, None) if b.emit else None
    page: Any = None
    if b.emit:
        walk = graph.walk_from(
            x.c.id, scalars.text(entity.record_type), depth, b.actor, kinds, name=b.name("walk"), outer=x
        )
        near = graph.nearest(walk).cte(b.name("near"), nesting=True)
        order = (near.c.distance, sa.cast(near.c.node_id, sa.Text).collate("C"))
        where = [] if after_key is None else [sa.tuple_(*order) > sa.tuple_(after_key[0], after_key[1].collate("C"))]
        fetched = (
            sa.select(
                near.c.node_type,
                near.c.node_id,
                near.c.distance,
                near.c.edge_id,
                scalars.cursor_text([near.c.distance, near.c.node_id]).label("_cur"),
                sa.func.row_number().over(order_by=order).label("_rn"),
            )
            .where(*where)
            .order_by(*order)
            .limit(None if first is None else first + 1)
            .subquery(b.name("np"))
        )
        # Whether the resolver keeps the row, worked out once per fetched row.
        page = sa.select(fetched, _kept(b, fetched, first).label("_k")).subquery(b.name("nk"))
    agg_cols: list[Any] = []
    for out_key, edge_fields in edges.items():
        columns = _neighbor_edge_columns(b, page, edge_fields)
        if b.emit:
            agg = sa.func.string_agg(scalars.json_object(columns), pg.aggregate_order_by(scalars.text(","), page.c._rn))
            agg_cols.append(scalars.json_list(agg.filter(page.c._k)).label(f"_e_{out_key}"))
    if not b.emit:
        return None
    agg_cols += [
        sa.func.count().label("_n"),
        sa.type_coerce(
            sa.func.array_agg(pg.aggregate_order_by(page.c._cur, page.c._rn)).filter(page.c._k), pg.ARRAY(sa.Text)
        ).label("_cs"),
        sa.select(sa.func.count()).select_from(near).scalar_subquery().label("_total"),
    ]
    a = sa.select(*agg_cols).select_from(page).add_cte(walk, near, nest_here=True).correlate(x).lateral(b.name("na"))
    return _neighbors_json(fields, conn_type, page_infos, key is not None, a, first)


def _kept(b: Builder, page: Any, first: int | None) -> Any:
    """A page row the resolver keeps: within `first`, its record (archived or not, as
    the node loader reads it) and its edge visible."""
    relationships = entity_named("Relationship")
    r = relationships.table.alias(b.name("ev"))
    kept = [
        visible_record(page.c.node_type, page.c.node_id, b.actor, types=endpoint_types(relationships), archived=True),
        sa.exists().where(r.c.id == page.c.edge_id, row_scope(relationships, r, b.actor)),
    ]
    if first is not None:
        kept.append(page.c._rn <= first)
    return sa.and_(*kept)


def _neighbor_edge_columns(b: Builder, page: Any, fields: dict[str, Any]) -> list[Any]:
    out = []
    for key, details in fields.items():
        name = details[0].node.name.value
        b.shape.append((key, name))
        expr: Any  # a SQL fragment when the statement is emitted, else None
        if name == "__typename":
            expr = typename("NeighborEdge") if b.emit else None
        elif name == "cursor":
            expr = page.c._cur if b.emit else None
        elif name == "distance":
            expr = page.c.distance if b.emit else None
        elif name == "relationship":
            expr = b.lookup(entity_named("Relationship"), page.c.edge_id if b.emit else None, details, page)
        elif name == "node":
            whens = []
            for record_type in graph.NODE_TYPES:
                found = b.lookup(declared(record_type), page.c.node_id if b.emit else None, details, page)
                if b.emit:
                    whens.append((page.c.node_type == scalars.text(record_type), found))
            expr = scalars.raw(sa.case(*whens, else_=sa.null())) if b.emit else None
        else:
            raise Fallback("edge_field")
        if b.emit:
            out.append(expr.label(key))
    return out


def _neighbors_json(
    fields: dict[str, Any], conn_type: Any, page_infos: dict[str, Any], after: bool, a: Any, first: int | None
) -> Any:
    def page_info(key: str) -> Any:
        has_next = a.c._n > first if a is not None and first is not None else sa.false()
        cs = a.c._cs if a is not None else None
        start, end = (cs[1], cs[sa.func.cardinality(cs)]) if cs is not None else (scalars.JSON_NULL, scalars.JSON_NULL)
        return page_info_json(page_infos[key], has_next, sa.true() if after else sa.false(), start, end)

    total = (lambda: a.c._total) if a is not None else (lambda: sa.literal_column("0"))
    return scalars.raw(connection_json(fields, conn_type, a, total, page_info).scalar_subquery())
