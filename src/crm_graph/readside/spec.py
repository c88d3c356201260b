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

    def __post_init__(self) -> None:
        if self.entity is None and self.type_column is None:
            raise ValueError(f"reference {self.name}: name its entity, or its type_column when polymorphic")

    @property
    def target(self) -> str:
        """The entity a reference without `type_column` names."""
        if self.entity is None:
            raise TypeError(f"reference {self.name} is polymorphic: its type_column names the entity")
        return self.entity


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
    args: tuple[Arg, ...] = ()  # extra arguments consumed by `link`
    description: str | None = None


@dataclass(frozen=True)
class Arg:
    name: str
    type: Any
    default: Any = None
    description: str | None = None


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
    description: str | None = None  # what the order sorts by; the kit says "By <name>." without one


# --- row-scope strategies ---------------------------------------------------------
# How the `own` and `team` scopes of a rule select rows of a type (readside/scope.py
# turns them into SQL; `tenant` is always the whole tenant, within what the strategy
# inherits). Every Entity names one: a type without one fails at start-up, never
# falls back to tenant-wide.


@dataclass(frozen=True)
class Owned:
    """Rows with an owner: `own` is the actor's rows, `team` its team subtree's."""

    column: str = "owner_id"


@dataclass(frozen=True)
class Participants:
    """Owned rows that users also take part in through an association table: `own`
    also covers rows the actor takes part in (interactions); `team` is by owner."""

    column: str
    through: sa.Table
    parent_column: str  # the association table's column holding this row's id
    user_column: str  # ... and the participating user's id


@dataclass(frozen=True)
class Assigned:
    """Rows assigned to a user and/or a team (a queue): `own` is what is assigned to
    the actor or to the actor's team; `team` what is assigned to a user of the actor's
    team subtree or to a team of it (a manager sees the queues below).

    `teams` is the table of teams (id, tenant_id, parent_id: crm_graph.platform.identity's
    `Team.__table__`) whose tree `team` walks; a team column needs it.

    Writes at `own`/`team` must leave the row within the scope."""

    user_column: str | None = None
    team_column: str | None = None
    teams: sa.Table | None = None

    def __post_init__(self) -> None:
        if self.user_column is None and self.team_column is None:
            raise ValueError("Assigned needs a user column, a team column or both")
        if self.team_column is not None and self.teams is None:
            raise ValueError("Assigned with a team column needs the teams table (teams=Team.__table__)")


@dataclass(frozen=True, init=False)
class Inherits:
    """A child visible when its parents are: each reference (a `Ref` of the entity)
    must name a record the actor can read, and a rule's `own`/`team` is applied to
    the parent (a stage change of an opportunity the actor owns). It honours the
    scopes its parents honour; a polymorphic reference honours `tenant` only, as
    `own` would mean something else for each type it may name.

    `active_parents`: an archived parent hides its children (an edge to an archived
    record); otherwise children follow the parent's node lookup, archived included.
    """

    references: tuple[str, ...]
    active_parents: bool

    def __init__(self, *references: str, active_parents: bool = False) -> None:
        if not references:
            raise ValueError("Inherits needs at least one reference")
        object.__setattr__(self, "references", references)
        object.__setattr__(self, "active_parents", active_parents)


@dataclass(frozen=True)
class About:
    """Entries about other records (the audit log), through a polymorphic reference:
    `tenant` is every entry of the tenant (records since deleted included); `own` and
    `team` only entries about records the actor can read, that scope applied to the
    record as that record's type does."""

    reference: str


@dataclass(frozen=True)
class TenantWide:
    """Reference and administrative data with no owner: only `tenant` is meaningful,
    and a rule at `own` or `team` is refused when granted."""


RowScope = Owned | Participants | Assigned | Inherits | About | TenantWide


class UnknownRecordType(LookupError):
    """A record type with no declaration: there is no scope to apply, so nothing is allowed."""


@dataclass
class Entity:
    """A node type: its table, fields, relations, filters, orderings and row scope."""

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
    # Required: register() refuses an entity without one (see RowScope).
    scope: RowScope | None = None
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
    if entity.scope is None:
        raise ValueError(f"entity {entity.name} declares no row scope (Owned, Inherits, TenantWide, ...)")
    if entity.name in _REGISTRY or entity.tag in _BY_TAG:
        raise ValueError(f"entity {entity.name} (tag {entity.tag}) registered twice")
    _REGISTRY[entity.name] = entity
    _BY_TAG[entity.tag] = entity
    _BY_RECORD_TYPE[entity.record_type] = entity
    return entity


def install(declared: list[Entity]) -> None:
    """Make `declared` the entities the read side knows (crm_graph.domains.enabled
    calls this once, over DOMAINS)."""
    for e in declared:
        register(e)


def entity(name: str) -> Entity:
    return _REGISTRY[name]


def entity_by_tag(tag: int) -> Entity | None:
    return _BY_TAG.get(tag)


def entity_by_record_type(record_type: str) -> Entity | None:
    return _BY_RECORD_TYPE.get(record_type)


def declared(record_type: str) -> Entity:
    """The entity of a record type a write or a scope names; UnknownRecordType (never
    a tenant-wide fallback) when there is none."""
    found = _BY_RECORD_TYPE.get(record_type)
    if found is None:
        raise UnknownRecordType(f"no read declaration for record type {record_type!r}")
    return found


def entities() -> list[Entity]:
    return list(_REGISTRY.values())
