"""Scoped, filtered, keyset-paginated reads of declared entities.

One statement per page, per count, and per batch of parents (a LATERAL join pages
every parent's children at once), so statement counts do not grow with page sizes.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.kernel.actor import Actor
from crm_graph.readside.ids import decode_cursor, encode_cursor
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import Entity, FilterOp, Many
from crm_graph.readside.spec import entity as entity_named

NIL = uuid.UUID(int=0)


class Executor(Protocol):
    async def execute(self, stmt: Any, params: Any = None) -> Any: ...


class BadCursor(ValueError):
    pass


class HiddenField(PermissionError):
    """A filter or ordering reads a field the actor may not read: it would reveal it."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class PageArgs:
    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None
    filters: tuple[tuple[str, Any], ...] = ()  # hashable: part of loader keys
    order: str | None = None
    descending: bool | None = None
    include_archived: bool = False
    extra: tuple[tuple[str, Any], ...] = ()  # relation arguments (kinds, direction)

    @property
    def limit(self) -> int:
        return self.last if self.last is not None and self.first is None else (self.first or 0)

    @property
    def backwards(self) -> bool:
        return self.first is None and self.last is not None


@dataclass
class Page:
    rows: list[Mapping[str, Any]]
    cursors: list[str]
    has_next: bool
    has_previous: bool


class _Viewer:
    """A reference filter's value meaning "the acting user": the SQL reads the actor's
    id (a parameter of a compiled statement), so the filter is the same for everyone."""

    def __repr__(self) -> str:
        return "VIEWER"


VIEWER = _Viewer()


# Decimals a client may compare with: finite, and far inside PostgreSQL's numeric (which
# the driver refuses beyond about 16,000 digits after the point).
MAX_DECIMAL_DIGITS = 1000


def sendable(value: Any) -> bool:
    """Can this compared value (a filter bound, a cursor's sort key) be sent to
    PostgreSQL? An instant must fall within years 1 to 9999 in UTC; a decimal must be
    finite, with at most MAX_DECIMAL_DIGITS digits either side of the point."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        try:
            value.astimezone(UTC)
        except OverflowError:
            return False
    if isinstance(value, Decimal):
        return value.is_finite() and (
            value.is_zero()
            or (value.adjusted() < MAX_DECIMAL_DIGITS and -int(value.as_tuple().exponent) <= MAX_DECIMAL_DIGITS)
        )
    return True


def compared_type(type_: Any) -> Any:
    """The type a value compared with a column is sent as: a decimal as plain numeric,
    not the column's numeric(14, 2), so a bound or cursor beyond the column's precision
    compares rather than overflowing."""
    return sa.Numeric() if isinstance(type_, sa.Numeric) and not isinstance(type_, sa.Float) else type_


def _search_pattern(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filter_clause(
    entity: Entity, t: Any, name: str, value: Any, hidden: dict[str, str], actor: Actor, bound: Any = None
) -> Any:
    """`bound`: the value as parameters already (bind_filter), else it is sent as literals."""
    spec = next((f for f in entity.filters if f.name == name), None)
    if spec is None:
        raise KeyError(name)
    if spec.op is FilterOp.SEARCH:
        # Search simply does not look into fields the actor may not read.
        cols = [t.c[c] for c in spec.columns if c not in hidden]
        if not cols:
            return sa.false()
    else:
        for c in spec.columns:
            if c in hidden:
                raise HiddenField(hidden[c])
        cols = [t.c[c] for c in spec.columns]
    if spec.op is FilterOp.EQ_ANY:
        return cols[0].in_(list(value)) if bound is None else cols[0] == sa.any_(bound)
    if spec.op is FilterOp.REF:
        if value is VIEWER:
            return cols[0] == actor.user_id if actor.user_id is not None else sa.false()
        return cols[0].in_(list(value)) if bound is None else cols[0] == sa.any_(bound)
    if spec.op is FilterOp.OVERLAPS:
        return cols[0].overlap(sa.cast(list(value) if bound is None else bound, pg.ARRAY(sa.Text())))
    if spec.op is FilterOp.CONTAINS_ALL:
        return cols[0].contains(sa.cast(list(value) if bound is None else bound, pg.ARRAY(sa.Text())))
    if spec.op is FilterOp.SEARCH:
        pattern, element = bound if bound is not None else (_search_pattern(value), [value.strip().lower()])
        parts = []
        for c in cols:
            if isinstance(c.type, pg.ARRAY):
                # Array columns (emails) match a whole element: served by their GIN index.
                parts.append(c.contains(sa.cast(element, pg.ARRAY(sa.Text()))))
            else:
                parts.append(c.ilike(pattern))  # served by a trigram index
        return sa.or_(*parts)
    if spec.op is FilterOp.RANGE:
        bounds = dict(value)  # kept as sorted pairs so that loader keys stay hashable
        kind = compared_type(cols[0].type)
        given = (
            bound if bound is not None else {side: sa.literal(v, kind) for side, v in bounds.items() if v is not None}
        )
        clauses = []
        if "from" in given:
            clauses.append(cols[0] >= given["from"])
        if "to" in given:
            clauses.append(cols[0] <= given["to"])
        return sa.and_(sa.true(), *clauses)
    if spec.op is FilterOp.IS_NULL:
        return cols[0].is_(None) if value else cols[0].is_not(None)
    raise AssertionError(spec.op)


def scoped(entity: Entity, t: Any, actor: Actor, args: PageArgs, bound: dict[str, Any] | None = None) -> list[Any]:
    """The WHERE clauses every read of `entity` carries: scope, archive flag, filters
    (`bound`: their values as parameters, by filter name)."""
    where = [row_scope(entity, t, actor)]
    if entity.archivable and not args.include_archived:
        where.append(t.c.archived_at.is_(None))
    hidden = entity.hidden_columns(actor)
    for name, value in args.filters:
        where.append(_filter_clause(entity, t, name, value, hidden, actor, None if bound is None else bound[name]))
    return where


def order_terms(
    entity: Entity, t: Any, args: PageArgs, many: Many | None = None, actor: Actor | None = None
) -> tuple[list[Any], bool]:
    name = args.order or (many.order if many and many.order else entity.default_order)
    if actor is not None and args.order is not None:
        hidden = entity.hidden_columns(actor)
        if args.order in hidden:  # orderings of a field are named after its column
            raise HiddenField(hidden[args.order])
    if args.descending is not None:
        desc = args.descending
    elif args.order is None and many is not None and many.order:
        desc = many.descending
    else:
        desc = entity.default_descending if args.order is None else False
    exprs = [*entity.order(name).expressions(t), t.c.id]
    return exprs, desc


def _coerce(expr: Any, value: Any) -> Any:
    """A cursor value back to the sort key's type; ValueError if it is not one.

    Cursors come from clients: a cursor of another list or ordering must be refused
    here, not fail inside the database.
    """
    if value is None:
        return None
    kind = expr.type
    # A key of no declared type is a function of text (lower(name)): only a string
    # compares with it; anything else would fail in the driver as an internal error.
    if isinstance(kind, (sa.DateTime, sa.Date, sa.Uuid, sa.String, sa.types.NullType)) and not isinstance(value, str):
        raise ValueError(value)
    if isinstance(kind, sa.DateTime):
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None or not sendable(parsed):  # our cursors always carry the offset
            raise ValueError(value)
        return parsed
    if isinstance(kind, sa.Date):
        return date.fromisoformat(value)
    if isinstance(kind, sa.Uuid):
        return uuid.UUID(value)
    if isinstance(kind, sa.Float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(value)
        return float(value)
    if isinstance(kind, sa.Numeric):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValueError(value)
        number = Decimal(value)
        if not sendable(number):
            raise ValueError(value)
        return number
    if isinstance(kind, sa.Integer):
        bits = 63 if isinstance(kind, sa.BigInteger) else 31
        if isinstance(value, bool) or not isinstance(value, int) or not -(2**bits) <= value < 2**bits:
            raise ValueError(value)
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(value)
    return value


def keyset_values(exprs: list[Any], cursor: str) -> list[Any]:
    """The sort key values a cursor holds, typed like `exprs`; BadCursor if it is not one of them."""
    values = decode_cursor(cursor)
    if values is None or len(values) != len(exprs):
        raise BadCursor(cursor)
    try:
        return [_coerce(e, v) for e, v in zip(exprs, values)]
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise BadCursor(cursor) from exc


def _keyset(exprs: list[Any], cursor: str | None, greater: bool, bound: list[Any] | None = None) -> Any:
    """`bound`: the cursor's values as SQL expressions already (the compiled path's parameters)."""
    if cursor is None:
        return None
    if bound is None:
        bound = [sa.literal(v, type_=compared_type(e.type)) for e, v in zip(exprs, keyset_values(exprs, cursor))]
    left, right = sa.tuple_(*exprs), sa.tuple_(*bound)
    return left > right if greater else left < right


def page_window(
    exprs: list[Any], desc: bool, args: PageArgs, after: list[Any] | None = None, before: list[Any] | None = None
) -> tuple[list[Any], list[Any]]:
    """WHERE clauses from the cursors, and ORDER BY in fetch direction."""
    forward_greater = not desc
    where = []
    after = _keyset(exprs, args.after, forward_greater, after)
    before = _keyset(exprs, args.before, not forward_greater, before)
    where += [c for c in (after, before) if c is not None]
    fetch_desc = desc != args.backwards
    order_by = [e.desc() if fetch_desc else e.asc() for e in exprs]
    return where, order_by


def _to_page(items: list[tuple[Mapping[str, Any], Sequence[Any]]], args: PageArgs) -> Page:
    """`items` are (row, sort key values) in fetch order, one more than the page if any."""
    limit = args.limit
    more = len(items) > limit
    items = items[:limit]
    if args.backwards:
        items.reverse()
    mappings = [row for row, _ in items]
    cursors = [encode_cursor(list(keys)) for _, keys in items]
    if args.backwards:
        return Page(mappings, cursors, has_next=args.before is not None, has_previous=more)
    return Page(mappings, cursors, has_next=more, has_previous=args.after is not None)


def _key_columns(exprs: list[Any]) -> list[Any]:
    return [e.label(f"_k{i}") for i, e in enumerate(exprs)]


async def fetch_page(db: Executor, entity: Entity, actor: Actor, args: PageArgs) -> Page:
    t = entity.table
    exprs, desc = order_terms(entity, t, args, actor=actor)
    window, order_by = page_window(exprs, desc, args)
    stmt = (
        sa.select(t, *_key_columns(exprs))
        .where(*scoped(entity, t, actor, args), *window)
        .order_by(*order_by)
        .limit(args.limit + 1)
    )
    result = await db.execute(stmt)
    n = len(exprs)
    return _to_page([(r._mapping, r[-n:]) for r in result.all()], args)


async def count(db: Executor, entity: Entity, actor: Actor, args: PageArgs) -> int:
    t = entity.table
    stmt = sa.select(sa.func.count()).select_from(t).where(*scoped(entity, t, actor, args))
    return int((await db.execute(stmt)).scalar_one())


async def fetch_by_ids(
    db: Executor, entity: Entity, actor: Actor, ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Mapping[str, Any]]:
    """Rows by id, archived ones included (a direct lookup shows archived records)."""
    t = entity.table
    stmt = sa.select(t).where(row_scope(entity, t, actor), t.c.id.in_(list(set(ids))))
    return {r.id: r._mapping for r in (await db.execute(stmt)).all()}


def membership_source(parent: Entity, many: Many, t: Any, pid: Any, args: PageArgs) -> tuple[Any, Any]:
    """(FROM clause, predicate) tying target rows to the parent id `pid`."""
    if many.link is not None:
        return t, many.link(t, pid, dict(args.extra))
    if many.through is not None:
        a = many.through.table
        return (
            t.join(a, a.c[many.through.target_column] == t.c.id),
            a.c[many.through.parent_column] == pid,
        )
    assert many.fk is not None
    return t, t.c[many.fk] == pid


def _parents(parent_ids: Sequence[uuid.UUID]) -> Any:
    return sa.func.unnest(sa.cast(list(parent_ids), pg.ARRAY(sa.Uuid()))).table_valued("pid").render_derived(name="p")


async def fetch_many_pages(
    db: Executor, parent: Entity, many: Many, actor: Actor, parent_ids: Sequence[uuid.UUID], args: PageArgs
) -> dict[uuid.UUID, Page]:
    target = entity_named(many.entity)
    t = target.table.alias("t")
    p = _parents(parent_ids)
    exprs, desc = order_terms(target, t, args, many, actor)
    window, order_by = page_window(exprs, desc, args)
    from_, member = membership_source(parent, many, t, p.c.pid, args)
    inner = (
        sa.select(t, *_key_columns(exprs))
        .select_from(from_)
        .where(member, *scoped(target, t, actor, args), *window)
        .order_by(*order_by)
        .limit(args.limit + 1)
        .lateral("x")
    )
    stmt = sa.select(p.c.pid, inner).select_from(p.join(inner, sa.true()))
    result = await db.execute(stmt)
    names = list(result.keys())[1:]
    n = len(exprs)
    grouped: dict[uuid.UUID, list[tuple[Mapping[str, Any], Sequence[Any]]]] = {pid: [] for pid in parent_ids}
    for row in result.all():
        values = row[1:]
        grouped[row[0]].append((dict(zip(names, values)), values[-n:]))
    return {pid: _to_page(items, args) for pid, items in grouped.items()}


async def count_many(
    db: Executor, parent: Entity, many: Many, actor: Actor, parent_ids: Sequence[uuid.UUID], args: PageArgs
) -> dict[uuid.UUID, int]:
    target = entity_named(many.entity)
    t = target.table.alias("t")
    p = _parents(parent_ids)
    from_, member = membership_source(parent, many, t, p.c.pid, args)
    inner = (
        sa.select(sa.func.count().label("n"))
        .select_from(from_)
        .where(member, *scoped(target, t, actor, args))
        .lateral("x")
    )
    stmt = sa.select(p.c.pid, inner.c.n).select_from(p.join(inner, sa.true()))
    return {row[0]: int(row[1]) for row in (await db.execute(stmt)).all()}
