"""Entity objects, to-one references and connections as SQL that builds their JSON.

Every object is `row_to_json` of a LATERAL subquery whose columns are named after
the response keys; every list is `array_to_json(array_agg(...))` over an ordered,
limited subquery. The WHERE clauses, orderings, keysets and relation joins are the
ordinary path's own (crm_graph.readside.query and scope), called with the same
arguments, so both paths read the same rows.
"""

from __future__ import annotations

import enum
import types
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from graphql import GraphQLError, GraphQLObjectType, get_named_type
from strawberry.utils.str_converters import to_camel_case

from crm_graph.compiled import scalars
from crm_graph.compiled.errors import Fallback
from crm_graph.compiled.selection import Fields, Operation
from crm_graph.graphql.builder import page_args
from crm_graph.identity.actor import Actor
from crm_graph.readside import query
from crm_graph.readside.ids import global_id_sql
from crm_graph.readside.query import BadCursor, HiddenField, PageArgs
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import Col, Entity, Many, Ref, entity_by_record_type
from crm_graph.readside.spec import entity as entity_named

_field_maps: dict[str, dict[str, Any]] = {}


def _field_map(entity: Entity) -> dict[str, Any]:
    """GraphQL field name -> its declaration (Col, Ref or Many)."""
    found = _field_maps.get(entity.name)
    if found is None:
        found = {to_camel_case(d.name): d for d in (*entity.fields, *entity.refs, *entity.many)}
        _field_maps[entity.name] = found
    return found


def _base(annotation: Any) -> Any:
    if isinstance(annotation, types.UnionType):
        (inner,) = [a for a in annotation.__args__ if a is not type(None)]
        return inner
    return annotation


def col_json(entity: Entity, col: Col, x: Any, actor: Actor) -> Any:
    """A column as the value the ordinary path prints for it."""
    if col.guarded:
        permissions = actor.permissions
        if permissions is not None and not permissions.field_allowed(entity.record_type, col.name, "read"):
            raise Fallback("forbidden_field")  # the ordinary path answers null plus an error
    c = x.c[col.source]
    kind = _base(col.type)
    if col.enum is not None:
        return scalars.enum_names(c, col.enum) if getattr(kind, "__origin__", None) is list else scalars.enum_name(c, col.enum)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        raise Fallback("enum_without_declaration")
    if kind is datetime:
        return scalars.timestamp_text(c)
    if kind is date:
        return scalars.date_text(c)
    if kind is Decimal:
        return sa.cast(c, sa.Text)
    if kind is float:
        return scalars.float_json(c)
    if kind is dict:
        return scalars.json_attribute(c)
    if kind in (str, int, bool) or kind == list[str]:
        return c
    raise Fallback("scalar")


def typename(name: str) -> Any:
    return sa.literal_column("'" + name + "'", sa.Text)


class Builder:
    def __init__(self, op: Operation, actor: Actor) -> None:
        self.op = op
        self.actor = actor
        self._names = 0

    def name(self, prefix: str) -> str:
        """A FROM alias unique in the statement (nested subqueries must not shadow)."""
        self._names += 1
        return f"{prefix}{self._names}"

    def gql_type(self, name: str) -> GraphQLObjectType:
        return self.op.schema.type_map[name]  # type: ignore[return-value]

    # --- objects ---------------------------------------------------------------

    def entity_columns(self, entity: Entity, x: Any, fields: Fields) -> list[Any]:
        gql_type = self.gql_type(entity.name)
        fmap = _field_map(entity)
        out = []
        for key, details in fields.items():
            name = details[0].node.name.value
            if name == "__typename":
                expr = typename(entity.name)
            elif name == "id":
                expr = global_id_sql(entity, x.c.id)
            else:
                decl = fmap.get(name)
                if isinstance(decl, Col):
                    expr = col_json(entity, decl, x, self.actor)
                elif isinstance(decl, Ref):
                    expr = self.ref(decl, x, details)
                elif isinstance(decl, Many):
                    expr = self.many(entity, decl, x, gql_type, details)
                else:
                    raise Fallback("python_field")  # neighbors, AuditEntry.changes, ...
            out.append(expr.label(key))
        return out

    def object_of(self, entity: Entity, x: Any, details: list[Any]) -> Any:
        """The JSON object of the row `x` (a FROM item with the entity's columns)."""
        fields = self.op.subfields(self.gql_type(entity.name), details)
        o = sa.select(*self.entity_columns(entity, x, fields)).correlate(x).lateral(self.name("o"))
        return sa.select(sa.func.row_to_json(o.table_valued())).select_from(o).correlate(x).scalar_subquery()

    def lookup(self, entity: Entity, id_expr: Any, details: list[Any], outer: Any = None) -> Any:
        """The object with this id if the actor may see it (archived ones included,
        as the ordinary path's node loader), else null."""
        u = entity.table.alias(self.name("u"))
        fields = self.op.subfields(self.gql_type(entity.name), details)
        o = sa.select(*self.entity_columns(entity, u, fields)).correlate(u).lateral(self.name("o"))
        stmt = (
            sa.select(sa.func.row_to_json(o.table_valued()))
            .select_from(u)
            .join(o, sa.true())
            .where(u.c.id == id_expr, row_scope(entity, u, self.actor))
        )
        if outer is not None:
            stmt = stmt.correlate(outer)
        return stmt.scalar_subquery()

    def ref(self, ref: Ref, x: Any, details: list[Any]) -> Any:
        fk = x.c[ref.fk]
        if ref.type_column is None:
            return self.lookup(entity_named(ref.entity), fk, details, x)  # type: ignore[arg-type]
        whens = []
        kind = x.c[ref.type_column]
        for name in sorted(_record_types()):
            target = entity_by_record_type(name)
            assert target is not None
            whens.append((kind == name, self.lookup(target, fk, details, x)))
        return sa.case(*whens, else_=scalars.JSON_NULL)

    def node_by_id(self, entity: Entity, key: uuid.UUID, details: list[Any]) -> Any:
        return self.lookup(entity, sa.literal(key, sa.Uuid), details)

    # --- connections -----------------------------------------------------------

    def many(self, parent: Entity, many: Many, x: Any, parent_type: GraphQLObjectType, details: list[Any]) -> Any:
        target = entity_named(many.entity)
        args = self.page_args(target, parent_type, details, many)
        conn_type = get_named_type(parent_type.fields[details[0].node.name.value].type)
        return self.connection(target, args, details, conn_type, parent, many, x)

    def page_args(self, target: Entity, parent_type: GraphQLObjectType, details: list[Any],
                  many: Many | None = None) -> PageArgs:
        kwargs = self.op.arguments(parent_type, details)
        try:
            return page_args(target, kwargs, many.args if many else ())
        except GraphQLError as exc:
            raise Fallback("arguments") from exc

    def connection(self, target: Entity, args: PageArgs, details: list[Any], conn_type: Any,
                   parent: Entity | None = None, many: Many | None = None, outer: Any = None) -> Any:
        from crm_graph.compiled.connection import Connection

        try:
            return Connection(self, target, args, parent, many, outer).build(details, conn_type)
        except BadCursor as exc:
            raise Fallback("bad_cursor") from exc
        except HiddenField as exc:
            raise Fallback("hidden_field") from exc


def _record_types() -> set[str]:
    from crm_graph.readside.spec import entities

    return {e.record_type for e in entities()}


def membership(parent: Entity, many: Many, t: Any, pid: Any, args: PageArgs) -> tuple[Any, Any]:
    return query._membership(parent, many, t, pid, args)
