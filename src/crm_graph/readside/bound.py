"""Filter values as parameters of a cached statement (the compiled read path): what
of a filter shapes the SQL (its key), and its values as bind parameters, which
crm_graph.readside.query's clauses take as `bound`."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.readside.query import VIEWER, _search_pattern, compared_type
from crm_graph.readside.spec import Entity, FilterOp


def _array_column(entity: Entity, column: str) -> bool:
    return isinstance(entity.table.c[column].type, pg.ARRAY)


def bind_filter(entity: Entity, name: str, value: Any, param: Any) -> Any:
    """A filter's values as parameters: `param(value, type)` makes one (the compiled
    path's, so a statement serves every value). What `_filter_clause` takes as `bound`."""
    spec = next(f for f in entity.filters if f.name == name)
    column = entity.table.c[spec.columns[0]] if spec.columns else None
    if spec.op is FilterOp.EQ_ANY:
        return param(list(value), pg.ARRAY(column.type))  # type: ignore[union-attr]  # the filter kinds that reach here always name a column
    if spec.op is FilterOp.REF:
        return None if value is VIEWER else param(list(value), pg.ARRAY(sa.Uuid()))
    if spec.op in (FilterOp.OVERLAPS, FilterOp.CONTAINS_ALL):
        return param(list(value), pg.ARRAY(sa.Text()))
    if spec.op is FilterOp.SEARCH:
        element = (
            param([value.strip().lower()], pg.ARRAY(sa.Text()))
            if any(_array_column(entity, c) for c in spec.columns)
            else None
        )
        return param(_search_pattern(value), sa.Text()), element
    if spec.op is FilterOp.RANGE:
        kind = compared_type(column.type)  # type: ignore[union-attr]  # the filter kinds that reach here always name a column
        return {side: param(v, kind) for side, v in value if v is not None}
    return None  # IS_NULL: the flag is the statement's shape


def filter_shape(value: Any) -> Any:
    """What of a filter's value shapes its SQL (the rest is parameters, bind_filter)."""
    if value is VIEWER or isinstance(value, bool):
        return value
    if (
        isinstance(value, tuple)
        and value
        and all(isinstance(v, tuple) and len(v) == 2 and v[0] in ("from", "to") for v in value)
    ):
        return tuple(side for side, v in value if v is not None)  # a range: which bounds are given
    return None
