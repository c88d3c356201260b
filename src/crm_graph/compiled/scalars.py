"""SQL serializers that print each scalar exactly as the ordinary path prints it.

The ordinary path serializes Python values (asyncpg's) with Strawberry's scalars and
orjson; each function here is the SQL twin of one of those, and the differential
tests hold the two equal. A value SQL cannot print identically (a float outside the
range where PostgreSQL and orjson agree, a JSON attribute with a fractional number)
becomes the SENTINEL, a JSON string no stored text can produce (PostgreSQL text
cannot hold NUL and jsonb refuses \\u0000), and the response falls back.
"""

from __future__ import annotations

import enum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

SENTINEL_TEXT = "compiled-fallback"
SENTINEL_BYTES = b'"\\u0000' + SENTINEL_TEXT.encode()
_SENTINEL: sa.ColumnClause[Any] = sa.literal_column(f"'\"\\u0000{SENTINEL_TEXT}\"'::json")
EMPTY_ARRAY: sa.ColumnClause[Any] = sa.literal_column("'[]'::json")
JSON_NULL: sa.ColumnClause[Any] = sa.literal_column("NULL::json")


class JsonText(sa.types.TypeDecorator):  # type: ignore[type-arg]  # TypeDecorator is generic only in SQLAlchemy stubs
    """Text that already is JSON (an object or list built by the compiler): spliced
    into its parent as is."""

    impl = sa.Text
    cache_ok = True


_JSON_TEXT = JsonText()
_NULL_TEXT = sa.literal_column("'null'::text", sa.Text)


def raw(expr: Any) -> Any:
    """Mark `expr` (text) as JSON text."""
    return sa.type_coerce(expr, _JSON_TEXT)


def json_text(expr: Any) -> Any:
    """The JSON text row_to_json prints for a column `expr`: JSON text as it is, any
    other value (json included: to_json leaves it unchanged) through to_json; null
    for NULL."""
    printed = expr if isinstance(expr.type, JsonText) else sa.cast(sa.func.to_json(expr), sa.Text)
    return sa.func.coalesce(printed, _NULL_TEXT)


def concat(parts: list[Any]) -> Any:
    """`a || b || ...` as a balanced tree: SQLAlchemy compiles a chain by recursion, and
    a left-deep one of a few hundred operands (`nodes` of 100 ids, an object of many
    aliases) is deeper than Python's stack allows."""
    while len(parts) > 1:
        parts = [parts[i].op("||")(parts[i + 1]) if i + 1 < len(parts) else parts[i] for i in range(0, len(parts), 2)]
    return parts[0]


def json_object(columns: list[Any]) -> Any:
    """The JSON object of labelled columns, keys in order, as row_to_json prints it
    (compact), built as text: no row to form and take apart again per object.
    Keys are GraphQL response names, which need no escaping."""
    if not columns:
        return raw(text("{}"))
    parts: list[Any] = []
    for i, column in enumerate(columns):
        parts += [text(("{" if i == 0 else ",") + f'"{column.name}":'), json_text(column.element)]
    return raw(concat([*parts, text("}")]))


def json_array(items: list[Any]) -> Any:
    """A JSON array of these values, as array_to_json prints it."""
    if not items:
        return raw(text("[]"))
    parts: list[Any] = [text("[")]
    for i, item in enumerate(items):
        parts += [text(","), json_text(item)] if i else [json_text(item)]
    return raw(concat([*parts, text("]")]))


def json_list(aggregated: Any) -> Any:
    """A JSON array from string_agg of JSON texts (NULL when no rows)."""
    return raw(text("[").op("||")(sa.func.coalesce(aggregated, text(""))).op("||")(text("]")))


def quoted(expr: Any) -> Any:
    """A JSON string of text that needs no escaping (base64, our date formats), or
    null: cheaper than to_json."""
    return raw(text('"').op("||")(expr).op("||")(text('"')))


def sentinel() -> Any:
    return _SENTINEL


def text(value: str) -> Any:
    """A constant of the code (never request data) as an SQL literal, not a parameter:
    the statement stays the same for every request of the same shape."""
    return sa.literal_column("'" + value.replace("'", "''") + "'::text", sa.Text)


def timestamp_text(expr: Any) -> Any:
    """datetime.isoformat() of asyncpg's value: UTC, microseconds only when non-zero."""
    utc = sa.func.timezone(text("UTC"), expr)
    formatted = sa.func.to_char(utc, text('YYYY-MM-DD"T"HH24:MI:SS.US'))
    return sa.func.replace(formatted, text(".000000"), text("")).op("||")(text("+00:00"))


def date_text(expr: Any) -> Any:
    return sa.func.to_char(expr, text("YYYY-MM-DD"))


def float_json(expr: Any) -> Any:
    """orjson's float text, where PostgreSQL's shortest float8 text agrees with it:
    integral values get `.0`; other values between 1e-4 and 1e15 print the same
    shortest digits in both; anything else falls back."""
    v = sa.cast(expr, sa.Float)
    printed = sa.cast(v, sa.Text)
    magnitude = sa.func.abs(v)
    return sa.case(
        (v.is_(None), JSON_NULL),
        (printed.in_([text("NaN"), text("Infinity"), text("-Infinity")]), _SENTINEL),
        (printed == text("-0"), sa.literal_column("'-0.0'::json")),
        (v == sa.literal_column("0"), sa.literal_column("'0.0'::json")),
        (
            sa.and_(v == sa.func.trunc(v), magnitude < sa.literal_column("1e15")),
            sa.cast(sa.cast(sa.cast(v, sa.BigInteger), sa.Text).op("||")(text(".0")), pg.JSON),
        ),
        (
            sa.and_(magnitude >= sa.literal_column("1e-4"), magnitude < sa.literal_column("1e15")),
            sa.cast(printed, pg.JSON),
        ),
        else_=_SENTINEL,
    )


# jsonb prints `{"a": 1, "b": [1, 2]}`; orjson prints it without the spaces. Strings
# are matched whole so that spaces inside them stay.
_COMPACT = r'("(?:[^"\\]|\\.)*")|[ \n]'
# A fractional or exponent number may print differently from Python's float (1.10 vs
# 1.1): fall back (strings that look like numbers fall back too, which is only slower).
_FRACTIONAL = r"[0-9]\.[0-9]|[0-9][eE]"


def json_attribute(expr: Any) -> Any:
    printed = sa.cast(expr, sa.Text)
    return sa.case(
        (expr.is_(None), JSON_NULL),
        (printed.op("~")(text(_FRACTIONAL)), _SENTINEL),
        else_=sa.cast(sa.func.regexp_replace(printed, text(_COMPACT), text(r"\1"), text("g")), pg.JSON),
    )


def enum_name(expr: Any, py_enum: type[enum.Enum]) -> Any:
    """The member's name (what GraphQL prints) for the stored value, as JSON text
    (names are identifiers: nothing to escape)."""
    whens = [(expr == text(m.value), text(f'"{m.name}"')) for m in py_enum]
    return raw(sa.case((expr.is_(None), _NULL_TEXT), *whens, else_=sa.cast(_SENTINEL, sa.Text)))


def enum_names(expr: Any, py_enum: type[enum.Enum]) -> Any:
    """An array of stored values as a JSON array of names, in order."""
    u = sa.func.unnest(expr).table_valued("v", with_ordinality="i").render_derived(name="enum_u")
    names = sa.case(*[(u.c.v == text(m.value), text(m.name)) for m in py_enum])
    known = pg.array([text(m.value) for m in py_enum], type_=sa.Text)
    mapped = sa.func.to_json(sa.func.array(sa.select(names).select_from(u).order_by(u.c.i).scalar_subquery()))
    return sa.case(
        (expr.is_(None), JSON_NULL),
        (sa.cast(expr, pg.ARRAY(sa.Text)).contained_by(known), mapped),
        else_=_SENTINEL,
    )


def key_json_text(expr: Any) -> Any:
    """A sort key as the JSON text encode_cursor writes for it (readside/ids.py)."""
    kind = expr.type
    if isinstance(kind, sa.DateTime):
        return sa.func.to_json(timestamp_text(expr)).cast(sa.Text)
    if isinstance(kind, sa.Date):
        return sa.func.to_json(date_text(expr)).cast(sa.Text)
    if isinstance(kind, (sa.Uuid, sa.Numeric)) and not isinstance(kind, sa.Float):
        return sa.func.to_json(sa.cast(expr, sa.Text)).cast(sa.Text)
    if isinstance(kind, sa.Float):
        return sa.cast(float_json(expr), sa.Text)
    return sa.func.to_json(expr).cast(sa.Text)


def cursor_text(exprs: list[Any]) -> Any:
    """encode_cursor(keys) in SQL: urlsafe base64 (with padding) of the compact JSON list."""
    body: Any = text("[")
    for i, e in enumerate(exprs):
        if i:
            body = body.op("||")(text(","))
        body = body.op("||")(key_json_text(e))
    body = body.op("||")(text("]"))
    b64 = sa.func.encode(sa.func.convert_to(body, text("UTF8")), text("base64"))
    return sa.func.translate(b64, sa.literal_column("E'+/\\n'"), text("-_"))


def cursor_has_sentinel(exprs: list[Any]) -> bool:
    return any(isinstance(e.type, sa.Float) for e in exprs)


def cursor_value(exprs: list[Any]) -> Any:
    """The cursor as a value to embed: its text, or the SENTINEL when a float key
    cannot be printed like the ordinary path prints it."""
    printed = cursor_text(exprs)
    floats = [e for e in exprs if isinstance(e.type, sa.Float)]
    if not floats:
        return printed
    bad = sa.or_(*[sa.cast(float_json(e), sa.Text) == text(f'"\\u0000{SENTINEL_TEXT}"') for e in floats])
    return sa.case((bad, _SENTINEL), else_=sa.func.to_json(printed))


def decimal_json(expr: Any) -> Any:
    """str(Decimal): PostgreSQL's numeric text, except that Python switches to an
    exponent for small scales (Decimal('1E-7')): those fall back."""
    return sa.case(
        (expr.is_(None), JSON_NULL),
        (sa.func.scale(expr) > sa.literal_column("6"), _SENTINEL),
        else_=sa.func.to_json(sa.cast(expr, sa.Text)),
    )
