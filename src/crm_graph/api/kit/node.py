"""The Relay `Node` interface, `PageInfo`, and building node objects from rows."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import strawberry

from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import Entity


@strawberry.interface(description="An object with a global ID.")
class Node:
    id: strawberry.ID = strawberry.field(
        description="Global ID: stable, opaque, unique across types; pass it to node(id:) or to mutations."
    )


@strawberry.type(description="Where a page sits in its connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More records follow this page (when paging forward).")
    has_previous_page: bool = strawberry.field(description="More records precede this page (when paging backward).")
    start_cursor: str | None = strawberry.field(description="Cursor of the first edge; null on an empty page.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last edge; null on an empty page.")


@strawberry.enum(description="Sort direction.")
class OrderDirection(enum.Enum):
    ASC = strawberry.enum_value("asc", description="Smallest, earliest or A first.")
    DESC = strawberry.enum_value("desc", description="Largest, latest or Z first.")


_classes: dict[str, type] = {}


def register_class(entity: Entity, cls: type) -> None:
    _classes[entity.name] = cls


def make_node(entity: Entity, row: Mapping[str, Any]) -> Any:
    """An instance of the entity's GraphQL type holding the row's values.

    Built without the dataclass __init__: this runs once per row on the hot path.
    """
    cls = _classes[entity.name]
    obj = cls.__new__(cls)  # type: ignore[call-overload]  # a generated strawberry class; skips __init__ on purpose
    values = obj.__dict__
    values["_row"] = row
    values["id"] = to_global_id(entity, row["id"])
    for col in entity.fields:
        value = row[col.source]
        if col.enum is not None and value is not None:
            value = [col.enum(v) for v in value] if isinstance(value, list) else col.enum(value)
        values[col.name] = value
    return obj
