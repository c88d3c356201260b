"""A connection (`totalCount`, `edges { cursor node }`, `pageInfo`) as one SQL value.

Shape, for a page of L rows:

    SELECT row_to_json(c) FROM LATERAL (
      SELECT <a column per response key>
      FROM LATERAL (                                   -- a: the page, aggregated once
        SELECT count(*) AS _n, coalesce(array_to_json(array_agg(e0)), '[]') AS _e0, ...
        FROM LATERAL (<ordered, limited page: the ordinary path's WHERE / ORDER BY>) p
        JOIN LATERAL (SELECT <edge columns of p>) e0 ON true ...
      ) a
    ) c

The page is fetched in the ordinary path's fetch order; the aggregate keeps that
order (a nested loop over an ordered subquery) unless the page was fetched
backwards or holds one extra row to tell whether there is a next page, in which
case a row number orders and filters it explicitly.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.compiled import scalars
from crm_graph.compiled.build import Builder, membership, typename
from crm_graph.compiled.errors import Fallback
from crm_graph.readside import query
from crm_graph.readside.query import PageArgs
from crm_graph.readside.spec import Entity, Many

PAGE_INFO_FIELDS = {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"}


class Connection:
    def __init__(self, builder: Builder, target: Entity, args: PageArgs, parent: Entity | None,
                 many: Many | None, outer: Any) -> None:
        self.b = builder
        self.target = target
        self.args = args
        self.parent = parent
        self.many = many
        self.outer = outer

    def _from(self, t: Any) -> tuple[Any, list[Any]]:
        where = query.scoped(self.target, t, self.b.actor, self.args)
        if self.many is None:
            return t, where
        assert self.parent is not None
        from_, member = membership(self.parent, self.many, t, self.outer.c.id, self.args)
        return from_, [member, *where]

    def _correlated(self, stmt: Any) -> Any:
        return stmt.correlate(self.outer) if self.outer is not None else stmt

    def build(self, details: list[Any], conn_type: Any) -> Any:
        op = self.b.op
        fields = op.subfields(conn_type, details)
        edge_type = op.schema.type_map[f"{self.target.name}Edge"]
        edges: dict[str, dict[str, Any]] = {}
        page_infos: dict[str, dict[str, Any]] = {}
        for key, field_details in fields.items():
            name = field_details[0].node.name.value
            if name == "edges":
                edges[key] = op.subfields(edge_type, field_details)
            elif name == "pageInfo":
                sub = op.subfields(op.schema.type_map["PageInfo"], field_details)
                if any(d[0].node.name.value not in PAGE_INFO_FIELDS for d in sub.values()):
                    raise Fallback("page_info_field")
                page_infos[key] = sub
            elif name not in ("totalCount", "__typename"):
                raise Fallback("connection_field")
        # The ordinary path always fetches the page: a bad cursor or an ordering by a
        # hidden field is an error even when only totalCount is asked for.
        probe = self.target.table.alias("probe")
        query._page_window(*query._order(self.target, probe, self.args, self.many, self.b.actor), self.args)
        query.scoped(self.target, probe, self.b.actor, self.args)
        a = self._aggregate(edges, page_infos) if edges or page_infos else None
        columns = []
        for key, field_details in fields.items():
            name = field_details[0].node.name.value
            if name == "__typename":
                expr = typename(conn_type.name)
            elif name == "totalCount":
                expr = self._count()
            elif name == "edges":
                expr = a.c[f"_e_{key}"]  # type: ignore[union-attr]
            else:
                expr = self._page_info(a, page_infos[key])
            columns.append(expr.label(key))
        c = sa.select(*columns)
        if a is not None:
            c = c.select_from(a)
        c = self._correlated(c).lateral(self.b.name("c"))
        return self._correlated(sa.select(sa.func.row_to_json(c.table_valued())).select_from(c)).scalar_subquery()

    def _count(self) -> Any:
        t = self.target.table.alias(self.b.name("t"))
        from_, where = self._from(t)
        return self._correlated(sa.select(sa.func.count()).select_from(from_).where(*where)).scalar_subquery()

    def _aggregate(self, edges: dict[str, Any], page_infos: dict[str, Any]) -> Any:
        args = self.args
        limit = args.limit
        t = self.target.table.alias(self.b.name("t"))
        exprs, desc = query._order(self.target, t, args, self.many, self.b.actor)
        window, order_by = query._page_window(exprs, desc, args)
        from_, where = self._from(t)
        extra = bool(page_infos)  # one more row tells whether another page exists
        numbered = extra or args.backwards
        wants_cursor = any(
            f[0].node.name.value == "cursor" for e in edges.values() for f in e.values()
        ) or any(f[0].node.name.value in ("startCursor", "endCursor") for p in page_infos.values() for f in p.values())
        cols: list[Any] = [t]
        if wants_cursor:
            cols.append(scalars.cursor_value(exprs).label("_cur"))
        if numbered:
            cols.append(sa.func.row_number().over(order_by=order_by).label("_rn"))
        page = (
            sa.select(*cols)
            .select_from(from_)
            .where(*where, *window)
            .order_by(*order_by)
            .limit(limit + (1 if extra else 0))
        )
        p = self._correlated(page).lateral(self.b.name("p"))
        in_page = p.c._rn <= limit if extra else None
        agg_cols: list[Any] = []
        joined: Any = p
        for key, edge_fields in edges.items():
            e = sa.select(*self._edge_columns(p, edge_fields)).correlate(p)
            if in_page is not None:
                e = e.where(in_page)
            e = e.lateral(self.b.name("e"))
            joined = joined.outerjoin(e, sa.true()) if in_page is not None else joined.join(e, sa.true())
            agg = sa.func.array_agg(e.table_valued())
            if args.backwards:
                agg = sa.func.array_agg(pg.aggregate_order_by(e.table_valued(), p.c._rn.desc()))
            if in_page is not None:
                agg = agg.filter(in_page)
            agg_cols.append(sa.func.coalesce(sa.func.array_to_json(agg), scalars.EMPTY_ARRAY).label(f"_e_{key}"))
        if page_infos:
            agg_cols.append(sa.func.count().label("_n"))
            if wants_cursor:
                cursors = sa.func.array_agg(pg.aggregate_order_by(p.c._cur, p.c._rn)).filter(in_page)
                agg_cols.append(sa.type_coerce(cursors, pg.ARRAY(sa.Text)).label("_cs"))
        a = sa.select(*agg_cols).select_from(joined)
        return self._correlated(a).lateral(self.b.name("a"))

    def _edge_columns(self, p: Any, fields: dict[str, Any]) -> list[Any]:
        out = []
        for key, details in fields.items():
            name = details[0].node.name.value
            if name == "__typename":
                expr = typename(f"{self.target.name}Edge")
            elif name == "cursor":
                expr = p.c._cur
            elif name == "node":
                expr = self.b.object_of(self.target, p, details)
            else:
                raise Fallback("edge_field")
            out.append(expr.label(key))
        return out

    def _page_info(self, a: Any, fields: dict[str, Any]) -> Any:
        args = self.args
        more = a.c._n > args.limit
        if args.backwards:
            has_next, has_previous = (sa.true() if args.before is not None else sa.false()), more
        else:
            has_next, has_previous = more, (sa.true() if args.after is not None else sa.false())
        cols = []
        for key, details in fields.items():
            name = details[0].node.name.value
            if name == "hasNextPage":
                expr = has_next
            elif name == "hasPreviousPage":
                expr = has_previous
            elif name in ("startCursor", "endCursor"):
                cs = a.c._cs
                first, last = cs[1], cs[sa.func.cardinality(cs)]
                if args.backwards:
                    first, last = last, first
                expr = first if name == "startCursor" else last
            else:
                expr = typename("PageInfo")
            cols.append(expr.label(key))
        o = sa.select(*cols).correlate(a).lateral(self.b.name("pi"))
        return sa.select(sa.func.row_to_json(o.table_valued())).select_from(o).correlate(a).scalar_subquery()
