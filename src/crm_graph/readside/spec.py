"""Declarations of the read side: what each exposed type reads, and how.

These are data, not code paths: the GraphQL types, the DataLoaders and (later) the
query compiler are all generated from them, so a field, a join or a policy is
written once. Names are snake_case; the GraphQL layer camel-cases them.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

# (target table, parent key expression, field arguments) -> join predicate
LinkFn = Callable[[sa.Table, Any, dict[str, Any]], Any]


@dataclass(frozen=True)
class Col:
    """A scalar field read from one column (or a SQL expression of the row)."""

    name: str
    type: Any  # Python annotation used for the GraphQL type (enums: the Enum class)
    column: str | None = None  # defaults to `name`
    enum: type[enum.Enum] | None = None  # stored as the member's value
    description: str | None = None
    # Some roles may be denied this field (a `<type>.<field>` rule): it is nullable
    # in the schema and checked per request.
    guarded: bool = False

    @property
    def source(self) -> str:
        return self.column or self.name


@dataclass(frozen=True)
class Ref:
    """A to-one relation: this row's `fk` column holds the id of an `entity` row.

    With `type_column` the relation is polymorphic: that column names the record
    type (`organization`, `contact`, ...) and the field is typed as `Node`;
    `record_types` are the types it may name (None: any), as the table's CHECK says.
    """

    name: str
    entity: str | None
    fk: str
    type_column: str | None = None
    description: str | None = None
    record_types: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Through:
    """An association table between parent and target (interaction participants)."""

    table: sa.Table
    parent_column: str
    target_column: str


@dataclass(frozen=True)
class Many:
    """A to-many relation exposed as a connection of `entity` rows.

    Either `fk` (a column of the target table holding the parent's id), `through`
    (an association table), or `link` (an arbitrary predicate, e.g. edges in both
    directions) says how a target row belongs to the parent.
    """

    name: str
    entity: str
    fk: str | None = None
    through: Through | None = None
    link: LinkFn | None = None
    order: str | None = None  # default ordering key of the target entity
    descending: bool = False
    args: tuple["Arg", ...] = ()  # extra arguments consumed by `link`
    description: str | None = None


@dataclass(frozen=True)
class Arg:
    name: str
    type: Any
    default: Any = None


class FilterOp(enum.Enum):
    EQ_ANY = "eq_any"  # value is a list: column = ANY(values)
    OVERLAPS = "overlaps"  # array column shares an element with the list
    CONTAINS_ALL = "contains_all"  # array column contains every element
    SEARCH = "search"  # case-insensitive substring over one or more text expressions
    RANGE = "range"  # value is a {from, to} range, bounds inclusive
    REF = "ref"  # value is a list of global IDs of `entity`
    IS_NULL = "is_null"  # value is a bool


@dataclass(frozen=True)
class Filter:
    name: str
    op: FilterOp
    columns: tuple[str, ...] = ()
    type: Any = None  # element type for lists and ranges
    entity: str | None = None  # for REF
    description: str | None = None


@dataclass(frozen=True)
class Order:
    """An orderBy choice: SQL expressions of the row, made non-null so keysets work."""

    name: str
    expressions: Callable[[sa.Table], list[Any]]


@dataclass
class Entity:
    """A node type: its table, fields, relations, filters, orderings and row policy."""

    name: str  # GraphQL type name
    record_type: str  # lower-case name used in events and polymorphic edges
    table: sa.Table
    tag: int  # global ID type tag: stable, never reused
    fields: list[Col]
    refs: list[Ref] = field(default_factory=list)
    many: list[Many] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    default_order: str = "created_at"
    default_descending: bool = False
    archivable: bool = True
    owner_column: str | None = "owner_id"
    description: str | None = None

    def hidden_columns(self, actor: Any) -> dict[str, str]:
        """Column -> field name of the guarded fields this actor may not read."""
        permissions = getattr(actor, "permissions", None)
        if permissions is None:
            return {}
        return {
            c.source: c.name
            for c in self.fields
            if c.guarded and not permissions.field_allowed(self.record_type, c.name, "read")
        }

    def order(self, name: str) -> Order:
        for o in self.orders:
            if o.name == name:
                return o
        raise KeyError(name)


_REGISTRY: dict[str, Entity] = {}
_BY_TAG: dict[int, Entity] = {}
_BY_RECORD_TYPE: dict[str, Entity] = {}


def register(entity: Entity) -> Entity:
    if entity.name in _REGISTRY or entity.tag in _BY_TAG:
        raise ValueError(f"entity {entity.name} (tag {entity.tag}) registered twice")
    _REGISTRY[entity.name] = entity
    _BY_TAG[entity.tag] = entity
    _BY_RECORD_TYPE[entity.record_type] = entity
    return entity


def entity(name: str) -> Entity:
    return _REGISTRY[name]


def entity_by_tag(tag: int) -> Entity | None:
    return _BY_TAG.get(tag)


def entity_by_record_type(record_type: str) -> Entity | None:
    return _BY_RECORD_TYPE.get(record_type)


def entities() -> list[Entity]:
    return list(_REGISTRY.values())
