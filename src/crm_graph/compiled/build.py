"""Entity objects and to-one references as SQL that builds their JSON.

Every object is JSON text concatenated from its fields' JSON texts, keys in
order, exactly as row_to_json would print a row of columns named after the
response keys (scalars.json_object). The WHERE clauses, orderings, keysets and relation joins are the
ordinary path's own (crm_graph.readside.query and scope), called with the same
arguments, so both paths read the same rows.

A Builder walks the operation twice over: first without building SQL (`emit`
False), to find the statement's shape (its cache key) and the request's parameter
values; then, on a cache miss only, the same walk builds the statement. Both walks
run the same code, so parameters are numbered alike.
"""

from __future__ import annotations

import enum
import types
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast

import sqlalchemy as sa
from strawberry.utils.str_converters import to_camel_case

from crm_graph.api.kit.builder import page_args
from crm_graph.compiled import scalars
from crm_graph.compiled.errors import Fallback
from crm_graph.compiled.selection import Fields, Operation
from crm_graph.kernel.actor import Actor
from crm_graph.platform.authz.actors import still_current_values
from crm_graph.readside.ids import global_id_sql
from crm_graph.readside.query import PageArgs
from crm_graph.readside.scope import bound_actor, row_scope, scope_values
from crm_graph.readside.spec import Col, Entity, Many, Ref, entities, entity_by_record_type
from crm_graph.readside.spec import entity as entity_named
from graphql import GraphQLError, GraphQLObjectType, get_named_type

_field_maps: dict[str, dict[str, Any]] = {}


def _field_map(entity: Entity) -> dict[str, Any]:
    """GraphQL field name -> its declaration (Col, Ref or Many)."""
    found = _field_maps.get(entity.name)
    if found is None:
        declarations: list[Col | Ref | Many] = [*entity.fields, *entity.refs, *entity.many]
        found = {to_camel_case(d.name): d for d in declarations}
        _field_maps[entity.name] = found
    return found


def _base(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType):
        (inner,) = [a for a in annotation.__args__ if a is not type(None)]
        return inner
    return annotation


def col_json(entity: Entity, col: Col, x: Any, emit: bool) -> Any:
    """A column as the value the ordinary path prints for it."""
    kind = _base(col.type)
    listed = getattr(kind, "__origin__", None) is list
    if col.enum is None and isinstance(kind, type) and issubclass(kind, enum.Enum):
        raise Fallback("scalar")
    if col.enum is None and kind not in (datetime, date, Decimal, float, dict, str, int, bool) and kind != list[str]:
        raise Fallback("scalar")
    if not emit:
        return None
    c = x.c[col.source]
    if col.enum is not None:
        return scalars.enum_names(c, col.enum) if listed else scalars.enum_name(c, col.enum)
    if kind is datetime:
        return scalars.quoted(scalars.timestamp_text(c))
    if kind is date:
        return scalars.quoted(scalars.date_text(c))
    if kind is Decimal:
        return scalars.decimal_json(c)
    if kind is float:
        return scalars.float_json(c)
    if kind is dict:
        return scalars.json_attribute(c)
    return c


def typename(name: str) -> Any:
    return scalars.text(name)


def actor_values(actor: Actor) -> dict[str, Any]:
    values = scope_values(actor)
    if actor.user_id is not None:
        values.update(still_current_values(actor))
    return values


class Builder:
    def __init__(self, op: Operation, actor: Actor, emit: bool) -> None:
        self.op = op
        self.real_actor = actor
        self.actor = bound_actor(actor) if emit else actor  # row scopes read this one
        self.emit = emit
        self.shape: list[Any] = []
        self.values: dict[str, Any] = actor_values(actor)
        self._params = 0
        self._names = 0

    def name(self, prefix: str) -> str:
        """A FROM alias unique in the statement (nested subqueries must not shadow)."""
        self._names += 1
        return f"{prefix}{self._names}"

    def param(self, value: Any, type_: Any) -> Any:
        """A per-request value: a parameter of the cached statement."""
        name = f"v{self._params}"
        self._params += 1
        self.values[name] = value
        return sa.bindparam(name, type_=type_) if self.emit else None

    def gql_type(self, name: str) -> GraphQLObjectType:
        return cast(GraphQLObjectType, self.op.schema.type_map[name])  # an entity's type is an object type

    def field_allowed(self, entity: Entity, col: Col) -> bool:
        permissions = self.real_actor.permissions
        return permissions is None or permissions.field_allowed(entity.record_type, col.name, "read")

    # --- objects ---------------------------------------------------------------

    def entity_columns(self, entity: Entity, x: Any, fields: Fields) -> list[Any]:
        gql_type = self.gql_type(entity.name)
        fmap = _field_map(entity)
        out = []
        for key, details in fields.items():
            name = details[0].node.name.value
            self.shape.append((key, name))
            expr: Any  # a SQL fragment when the statement is emitted, else None
            if name == "__typename":
                expr = typename(entity.name) if self.emit else None
            elif name == "id":
                expr = scalars.quoted(global_id_sql(entity, x.c.id)) if self.emit else None
            else:
                decl = fmap.get(name)
                if isinstance(decl, Col):
                    if decl.guarded and not self.field_allowed(entity, decl):
                        raise Fallback("forbidden_field")  # the ordinary path answers null and an error
                    expr = col_json(entity, decl, x, self.emit)
                elif isinstance(decl, Ref):
                    expr = self.ref(decl, x, details)
                elif isinstance(decl, Many):
                    expr = self.many(entity, decl, x, gql_type, details)
                elif name == "neighbors":
                    from crm_graph.compiled.graph import neighbors

                    expr = neighbors(self, entity, x, gql_type, details)
                else:
                    raise Fallback("python_field")  # AuditEntry.changes, ...
            if self.emit:
                out.append(expr.label(key))
        return out

    def object_of(self, entity: Entity, x: Any, details: list[Any]) -> Any:
        """The JSON object of the row `x` (a FROM item with the entity's columns)."""
        fields = self.op.subfields(self.gql_type(entity.name), details)
        columns = self.entity_columns(entity, x, fields)
        if not self.emit:
            return None
        return scalars.json_object(columns)

    def lookup(self, entity: Entity, id_expr: Any, details: list[Any], outer: Any = None) -> Any:
        """The object with this id if the actor may see it (archived ones included,
        as the ordinary path's node loader), else null."""
        u = entity.table.alias(self.name("u")) if self.emit else None
        fields = self.op.subfields(self.gql_type(entity.name), details)
        columns = self.entity_columns(entity, u, fields)
        if u is None:  # not emitting
            return None
        stmt = (
            sa.select(scalars.json_object(columns))
            .select_from(u)
            .where(u.c.id == id_expr, row_scope(entity, u, self.actor))
        )
        if outer is not None:  # a FROM item, or several (they must all stay outside)
            stmt = stmt.correlate(*outer) if isinstance(outer, tuple) else stmt.correlate(outer)
        return scalars.raw(stmt.scalar_subquery())

    def ref(self, ref: Ref, x: Any, details: list[Any]) -> Any:
        fk = x.c[ref.fk] if self.emit else None
        if ref.type_column is None:
            return self.lookup(entity_named(ref.target), fk, details, x)
        whens = []
        for name in ref.record_types or _record_types():
            target = entity_by_record_type(name)
            assert target is not None
            found = self.lookup(target, fk, details, x)
            if self.emit:
                whens.append((x.c[ref.type_column] == scalars.text(name), found))
        return scalars.raw(sa.case(*whens, else_=sa.null())) if self.emit else None

    def node_by_id(self, entity: Entity, key: uuid.UUID, details: list[Any]) -> Any:
        self.shape.append(("node", entity.name))
        return self.lookup(entity, self.param(key, sa.Uuid), details)

    # --- connections -----------------------------------------------------------

    def many(self, parent: Entity, many: Many, x: Any, parent_type: GraphQLObjectType, details: list[Any]) -> Any:
        target = entity_named(many.entity)
        args = self.page_args(target, parent_type, details, many)
        conn_type = get_named_type(parent_type.fields[details[0].node.name.value].type)
        return self.connection(target, args, details, conn_type, parent, many, x)

    def page_args(
        self, target: Entity, parent_type: GraphQLObjectType, details: list[Any], many: Many | None = None
    ) -> PageArgs:
        kwargs = self.op.arguments(parent_type, details)
        try:
            return page_args(target, kwargs, many.args if many else ())
        except GraphQLError as exc:
            raise Fallback("arguments") from exc

    def root_page_args(self, declared: Any, query_type: GraphQLObjectType, details: list[Any]) -> PageArgs:
        """A root list's page arguments, as its resolver makes them (queries.RootList)."""
        kwargs = self.op.arguments(query_type, details)
        try:
            return declared.page_args(kwargs)  # type: ignore[no-any-return]  # page_args is declared per root list; returns PageArgs
        except GraphQLError as exc:
            raise Fallback("arguments") from exc

    def connection(
        self,
        target: Entity,
        args: PageArgs,
        details: list[Any],
        conn_type: Any,
        parent: Entity | None = None,
        many: Many | None = None,
        outer: Any = None,
    ) -> Any:
        from crm_graph.compiled.connection import Connection

        return Connection(self, target, args, parent, many, outer).build(details, conn_type)


_RECORD_TYPES: list[str] = []


def _record_types() -> list[str]:
    """Every record type a polymorphic reference may name (entity_by_record_type's domain)."""
    if not _RECORD_TYPES:
        _RECORD_TYPES.extend(sorted({e.record_type for e in entities()}))
    return _RECORD_TYPES
