"""A connection (`totalCount`, `edges { cursor node }`, `pageInfo`) as one SQL value.

Shape, for a page of L rows:

    SELECT '{"totalCount":' || ... || ',"edges":' || a._e_edges || ... || '}'
    FROM LATERAL (                                     -- a: the page, aggregated once
      SELECT count(*) AS _n, '[' || coalesce(string_agg(<edge JSON text>, ','), '') || ']' AS _e_edges, ...
      FROM LATERAL (<ordered, limited page: the ordinary path's WHERE / ORDER BY>) p
    ) a

(JSON built as text: see scalars.json_object.)

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
from crm_graph.compiled.build import Builder, typename
from crm_graph.compiled.errors import Fallback
from crm_graph.readside import bound, query
from crm_graph.readside.query import BadCursor, HiddenField, PageArgs
from crm_graph.readside.spec import Entity, Many

PAGE_INFO_FIELDS = {"hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"}
_key_exprs: dict[tuple[Any, ...], list[Any]] = {}


def key_exprs(entity: Entity, args: PageArgs, many: Many | None) -> list[Any]:
    """The sort key expressions (over the entity's table) that cursors hold."""
    key = (entity.name, many.name if many else None, args.order, args.descending)
    found = _key_exprs.get(key)
    if found is None:
        found = _key_exprs[key] = query.order_terms(entity, entity.table, args, many)[0]
    return found


def page_size(n: int) -> Any:
    """A page's LIMIT, written into the SQL rather than bound: `first` and `last` are
    part of the statement's shape (its cache key), and with every LIMIT in sight
    PostgreSQL settles on one generic plan for all executions of the prepared
    statement, where a LIMIT parameter made it plan each execution anew (about a
    tenth of q1's time in PostgreSQL)."""
    return sa.literal_column(str(int(n)))


def shape_of(args: PageArgs) -> tuple[Any, ...]:
    """What of the page arguments shapes the SQL: page sizes, which cursors and filters
    are given, orderings; not the cursors' and filters' values (parameters)."""
    filters = tuple((name, bound.filter_shape(value)) for name, value in args.filters)
    return (
        args.first,
        args.last,
        args.after is not None,
        args.before is not None,
        filters,
        args.order,
        args.descending,
        args.include_archived,
        args.extra,
    )


def connection_parts(b: Builder, fields: dict[str, Any], edge_type: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A connection's selected `edges` and `pageInfo` fields (by response key), each with
    its own subfields; anything but those and totalCount falls back."""
    edges: dict[str, dict[str, Any]] = {}
    page_infos: dict[str, dict[str, Any]] = {}
    for key, field_details in fields.items():
        name = field_details[0].node.name.value
        b.shape.append((key, name))
        if name == "edges":
            edges[key] = b.op.subfields(b.gql_type(edge_type), field_details)
        elif name == "pageInfo":
            page_infos[key] = b.op.subfields(b.gql_type("PageInfo"), field_details)
            for sub_key, sub in page_infos[key].items():
                b.shape.append((sub_key, sub[0].node.name.value))
                if sub[0].node.name.value not in PAGE_INFO_FIELDS:
                    raise Fallback("page_info_field")
        elif name not in ("totalCount", "__typename"):
            raise Fallback("connection_field")
    return edges, page_infos


def connection_json(fields: dict[str, Any], conn_type: Any, a: Any, total: Any, page_info: Any) -> Any:
    """SELECT of the connection's JSON object, its selected fields in order, over the
    page aggregate `a` (None: no page, an empty list): `total()` and `page_info(key)`
    give totalCount and a pageInfo's object."""
    columns = []
    for key, field_details in fields.items():
        name = field_details[0].node.name.value
        if name == "__typename":
            expr = typename(conn_type.name)
        elif name == "totalCount":
            expr = total()
        elif name == "edges":
            expr = a.c[f"_e_{key}"] if a is not None else scalars.EMPTY_ARRAY
        else:
            expr = page_info(key)
        columns.append(expr.label(key))
    c = sa.select(scalars.json_object(columns))
    return c.select_from(a) if a is not None else c


def page_info_json(fields: dict[str, Any], has_next: Any, has_previous: Any, start: Any, end: Any) -> Any:
    """A PageInfo's JSON object, its selected fields in order."""
    values = {"hasNextPage": has_next, "hasPreviousPage": has_previous, "startCursor": start, "endCursor": end}
    return scalars.json_object(
        [values.get(d[0].node.name.value, typename("PageInfo")).label(key) for key, d in fields.items()]
    )


class Connection:
    def __init__(
        self, builder: Builder, target: Entity, args: PageArgs, parent: Entity | None, many: Many | None, outer: Any
    ) -> None:
        self.b = builder
        self.target = target
        self.args = args
        self.parent = parent
        self.many = many
        self.outer = outer
        self.bound: dict[str, Any] = {}

    def _from(self, t: Any) -> tuple[Any, list[Any]]:
        where = query.scoped(self.target, t, self.b.actor, self.args, self.bound)
        if self.many is None:
            return t, where
        assert self.parent is not None
        from_, member = query.membership_source(self.parent, self.many, t, self.outer.c.id, self.args)
        return from_, [member, *where]

    def _correlated(self, stmt: Any) -> Any:
        return stmt.correlate(self.outer) if self.outer is not None else stmt

    def _cursor_params(self) -> tuple[list[Any] | None, list[Any] | None]:
        exprs = key_exprs(self.target, self.args, self.many)
        out: list[list[Any] | None] = []
        for cursor in (self.args.after, self.args.before):
            if cursor is None:
                out.append(None)
                continue
            try:
                values = query.keyset_values(exprs, cursor)
            except BadCursor as exc:
                raise Fallback("bad_cursor") from exc
            out.append([self.b.param(v, query.compared_type(e.type)) for e, v in zip(exprs, values)])
        return out[0], out[1]

    def build(self, details: list[Any], conn_type: Any) -> Any:
        b, op = self.b, self.b.op
        b.shape.append(("connection", self.target.name, shape_of(self.args)))
        self.bound = {name: bound.bind_filter(self.target, name, value, b.param) for name, value in self.args.filters}
        after, before = self._cursor_params()
        fields = op.subfields(conn_type, details)
        edges, page_infos = connection_parts(b, fields, f"{self.target.name}Edge")
        try:
            if b.emit:
                # The ordinary path always fetches the page: an ordering or a filter on a
                # hidden field is an error even when only totalCount is asked for.
                probe = self.target.table.alias("probe")
                query.order_terms(self.target, probe, self.args, self.many, b.actor)
                query.scoped(self.target, probe, b.actor, self.args, self.bound)
            a = self._aggregate(edges, page_infos, after, before)
        except HiddenField as exc:
            raise Fallback("hidden_field") from exc
        if not b.emit:
            return None
        c = connection_json(fields, conn_type, a, self._count, lambda key: self._page_info(a, page_infos[key]))
        return scalars.raw(self._correlated(c).scalar_subquery())

    def _count(self) -> Any:
        t = self.target.table.alias(self.b.name("t"))
        from_, where = self._from(t)
        return self._correlated(sa.select(sa.func.count()).select_from(from_).where(*where)).scalar_subquery()

    def _aggregate(self, edges: dict[str, Any], page_infos: dict[str, Any], after: Any, before: Any) -> Any:
        b, args = self.b, self.args
        limit = args.limit
        extra = bool(page_infos)  # one more row tells whether another page exists
        wants_cursor = any(f[0].node.name.value == "cursor" for e in edges.values() for f in e.values()) or any(
            f[0].node.name.value in ("startCursor", "endCursor") for p in page_infos.values() for f in p.values()
        )
        p: Any = None  # the page: a SQL fragment, built only when the statement is emitted
        if b.emit and (edges or page_infos):
            t = self.target.table.alias(b.name("t"))
            exprs, desc = query.order_terms(self.target, t, args, self.many, b.actor)
            window, order_by = query.page_window(exprs, desc, args, after, before)
            from_, where = self._from(t)
            cols: list[Any] = [t]
            if wants_cursor:
                cols.append(scalars.cursor_value(exprs).label("_cur"))
            if extra or args.backwards:
                cols.append(sa.func.row_number().over(order_by=order_by).label("_rn"))
            page = (
                sa.select(*cols)
                .select_from(from_)
                .where(*where, *window)
                .order_by(*order_by)
                .limit(page_size(limit + (1 if extra else 0)))
            )
            p = self._correlated(page).lateral(b.name("p"))
        in_page: Any = p.c._rn <= limit if p is not None and extra else None
        agg_cols: list[Any] = []
        for key, edge_fields in edges.items():
            columns = self._edge_columns(p, edge_fields)
            if not b.emit:
                continue
            edge = scalars.json_object(columns)
            comma = scalars.text(",")
            agg: Any = sa.func.string_agg(
                edge, pg.aggregate_order_by(comma, p.c._rn.desc()) if args.backwards else comma
            )
            if in_page is not None:
                agg = agg.filter(in_page)
            agg_cols.append(scalars.json_list(agg).label(f"_e_{key}"))
        if p is None:
            return None
        if page_infos:
            agg_cols.append(sa.func.count().label("_n"))
            if wants_cursor:
                cursors = sa.func.array_agg(pg.aggregate_order_by(p.c._cur, p.c._rn)).filter(in_page)
                agg_cols.append(sa.type_coerce(cursors, pg.ARRAY(sa.Text)).label("_cs"))
        a = sa.select(*agg_cols).select_from(p)
        return self._correlated(a).lateral(b.name("a"))

    def _edge_columns(self, p: Any, fields: dict[str, Any]) -> list[Any]:
        out = []
        for key, details in fields.items():
            name = details[0].node.name.value
            self.b.shape.append((key, name))
            expr: Any  # a SQL fragment when the statement is emitted, else None
            if name == "__typename":
                expr = typename(f"{self.target.name}Edge") if self.b.emit else None
            elif name == "cursor":
                expr = p.c._cur if self.b.emit else None
            elif name == "node":
                expr = self.b.object_of(self.target, p, details)
            else:
                raise Fallback("edge_field")
            if self.b.emit:
                out.append(expr.label(key))
        return out

    def _page_info(self, a: Any, fields: dict[str, Any]) -> Any:
        args = self.args
        more = a.c._n > args.limit
        if args.backwards:
            has_next, has_previous = (sa.true() if args.before is not None else sa.false()), more
        else:
            has_next, has_previous = more, (sa.true() if args.after is not None else sa.false())
        first = last = None  # the cursors are aggregated only when asked for
        if "_cs" in a.c:
            cs = a.c._cs
            first, last = cs[1], cs[sa.func.cardinality(cs)]
            if args.backwards:
                first, last = last, first
        return page_info_json(fields, has_next, has_previous, first, last)
