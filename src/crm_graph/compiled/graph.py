"""`relationshipPath` in the statement: the ordinary path's recursive walk
(crm_graph.relationships.graph) as a CTE, its nodes and edges looked up with the
same row scopes, null when an end or any record on the way is not visible.

The two ends are part of the statement's cache key (the walk's seed is built from
them), so each pair of ends has its own statement.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.compiled import scalars
from crm_graph.compiled.build import Builder, typename
from crm_graph.compiled.errors import Fallback
from crm_graph.readside.ids import from_global_id
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import entity as entity_named
from crm_graph.readside.spec import entity_by_record_type
from crm_graph.relationships import graph


def relationship_path(b: Builder, kwargs: dict[str, Any], details: list[Any], path_type: Any) -> Any:
    # Imported here: crm_graph.graphql.graph needs the generated types to exist first.
    from crm_graph.graphql.graph import MAX_PATH_DEPTH

    max_depth, kinds = kwargs.get("max_depth", 4), kwargs.get("kinds")
    if not 1 <= max_depth <= MAX_PATH_DEPTH:
        raise Fallback("arguments")
    ends = [from_global_id(kwargs["from_"]), from_global_id(kwargs["to"])]
    if any(e is None or e[0].record_type not in graph.NODE_TYPES for e in ends):
        b.shape.append(("path", None))
        return scalars.JSON_NULL
    (src_entity, src_id), (dst_entity, dst_id) = ends  # type: ignore[misc]
    b.shape.append(("path", src_entity.name, src_id, dst_entity.name, dst_id, max_depth,
                    tuple(kinds) if kinds is not None else None))
    same = src_id == dst_id
    if not same and not graph._may_read_edges(b.real_actor):
        b.shape.append("no edges")
        return scalars.JSON_NULL
    if getattr(b, "_walked_paths", False):
        raise Fallback("graph_field")  # one recursive CTE named `walk` per statement
    b._walked_paths = True  # type: ignore[attr-defined]
    fields = b.op.subfields(path_type, details)
    walk = i = j = None
    if b.emit:
        if same:
            walk = sa.select(
                pg.array([sa.literal(src_id, sa.Uuid)]).label("path"),
                pg.array([scalars.text(src_entity.record_type)]).label("types"),
                sa.cast(pg.array([], type_=sa.Uuid), pg.ARRAY(sa.Uuid)).label("edges"),
            ).subquery(b.name("w"))
        else:
            cte = graph._walk([(src_id, src_entity.record_type)], max_depth, b.actor, kinds)
            walk = (sa.select(cte.c.path, cte.c.types, cte.c.edges).where(cte.c.node_id == sa.literal(dst_id, sa.Uuid))
                    .limit(1).subquery(b.name("w")))
        i = sa.func.generate_subscripts(walk.c.path, 1).table_valued("i").render_derived(name=b.name("i"))
        j = sa.func.generate_subscripts(walk.c.edges, 1).table_valued("j").render_derived(name=b.name("j"))
    path = sa.type_coerce(walk.c.path, pg.ARRAY(sa.Uuid)) if walk is not None else None
    types = sa.type_coerce(walk.c.types, pg.ARRAY(sa.Text)) if walk is not None else None
    edges = sa.type_coerce(walk.c.edges, pg.ARRAY(sa.Uuid)) if walk is not None else None
    lists: list[tuple[str, Any]] = []
    for key, field_details in fields.items():
        name = field_details[0].node.name.value
        b.shape.append((key, name))
        if name == "nodes":
            whens = []
            for record_type in graph.NODE_TYPES:  # the walk reaches only these
                target = entity_by_record_type(record_type)
                found = b.lookup(target, path[i.c.i] if b.emit else None, field_details, (walk, i))  # type: ignore[arg-type,index,union-attr]
                if b.emit:  # JSON text made json again: the walk's lists are json arrays
                    whens.append((types[i.c.i] == scalars.text(record_type), sa.cast(found, pg.JSON)))  # type: ignore[index,union-attr]
            if b.emit:
                item = sa.case(*whens, else_=scalars.JSON_NULL)
                lists.append((key, sa.func.array(sa.select(item).select_from(i).order_by(i.c.i)  # type: ignore[union-attr]
                                                 .correlate(walk).scalar_subquery())))
        elif name == "edges":
            found = b.lookup(entity_named("Relationship"), edges[j.c.j] if b.emit else None, field_details, (walk, j))  # type: ignore[index,union-attr]
            if b.emit:
                found = sa.cast(found, pg.JSON)
                lists.append((key, sa.func.array(sa.select(found).select_from(j).order_by(j.c.j)  # type: ignore[union-attr]
                                                 .correlate(walk).scalar_subquery())))
        elif name not in ("length", "__typename"):
            raise Fallback("path_field")
    if not b.emit:
        return None
    visible = []
    for entity, id_ in ((src_entity, src_id), (dst_entity, dst_id)):
        u = entity.table.alias(b.name("u"))
        visible.append(sa.exists().where(u.c.id == sa.literal(id_, sa.Uuid), row_scope(entity, u, b.actor)))
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
    complete = [sa.func.array_position(sa.type_coerce(arrays.c[f"_l_{k}"], pg.ARRAY(pg.JSON)),
                                       sa.null()).is_(None) for k, _ in lists]
    r = sa.select(*out).select_from(walk)
    if lists:
        r = r.join(arrays, sa.true())
    r = r.where(*visible, *complete).lateral(b.name("r"))
    return sa.select(sa.func.row_to_json(r.table_valued())).select_from(r).scalar_subquery()
