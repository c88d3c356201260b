"""Generates the GraphQL types of every declared entity.

For each entity: the object type (implementing Node), its Edge and Connection,
its Filter input, its OrderField enum and Order input. Relations become fields
whose resolvers go through the per-request loaders. Generated classes live in
`crm_graph.api.kit.types`, so string annotations between them resolve there.
"""

from __future__ import annotations

import enum
import inspect
import sys
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from crm_graph.api.kit.describe import describe_values, filter_description, words
from crm_graph.api.kit.errors import bad_input, forbidden
from crm_graph.api.kit.node import Node, OrderDirection, PageInfo, make_node, register_class
from crm_graph.readside import query
from crm_graph.readside.ids import from_global_id
from crm_graph.readside.query import NIL, BadCursor, HiddenField, Page, PageArgs
from crm_graph.readside.spec import Arg, Col, Entity, Filter, FilterOp, Many, Ref, entity_by_record_type
from crm_graph.readside.spec import entity as entity_named

MODULE = "crm_graph.api.kit.types"
MAX_PAGE = 100
_enums: dict[type, Any] = {}


def gql_enum(py_enum: type[enum.Enum]) -> Any:
    """The domain enum, registered once as a GraphQL enum (names are upper case).

    Its docstring describes the type and its `__descriptions__` ({member name: text})
    each value, so the descriptions sit beside the members they describe."""
    if py_enum not in _enums:
        cls = strawberry.enum(py_enum, description=inspect.cleandoc(py_enum.__dict__.get("__doc__") or "") or None)
        describe_values(cls, py_enum.__dict__.get("__descriptions__", {}))
        _enums[py_enum] = cls
    return _enums[py_enum]


def _gql_type(annotation: Any) -> Any:
    if annotation is dict:
        return JSON
    if annotation is dict | None:
        return Optional[JSON]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return gql_enum(annotation)
    origin = getattr(annotation, "__origin__", None)
    if origin is list:
        (inner,) = annotation.__args__
        return list[_gql_type(inner)]  # type: ignore[misc]  # a type built at run time from the declaration
    args = getattr(annotation, "__args__", None)
    if args and type(None) in args and origin is None:  # X | None
        (inner,) = [a for a in args if a is not type(None)]
        return Optional[_gql_type(inner)]
    return annotation


def export_type(cls: type) -> type:
    setattr(sys.modules[MODULE], cls.__name__ if hasattr(cls, "__name__") else str(cls), cls)
    return cls


def make_resolver(name: str, params: list[inspect.Parameter], returns: Any, body: Any) -> Any:
    async def resolver(**kwargs: Any) -> Any:
        return await body(**kwargs)

    resolver.__name__ = name
    resolver.__qualname__ = name
    resolver.__module__ = MODULE
    resolver.__signature__ = inspect.Signature(params, return_annotation=returns)  # type: ignore[attr-defined]  # functions take a __signature__; typeshed does not declare it
    resolver.__annotations__ = {p.name: p.annotation for p in params} | {"return": returns}
    return resolver


def make_param(
    name: str, annotation: Any, default: Any = inspect.Parameter.empty, description: str | None = None
) -> inspect.Parameter:
    if description is not None:
        annotation = Annotated[annotation, strawberry.argument(description=description)]
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)


# --- filters and orderings -------------------------------------------------------

_ranges: dict[type, type] = {}


def range_input(kind: type) -> type:
    if kind not in _ranges:
        name = {datetime: "DateTimeRange", date: "DateRange", int: "IntRange", Decimal: "DecimalRange"}[kind]
        cls = type(
            name,
            (),
            {
                "__annotations__": {"from_": Optional[kind], "to": Optional[kind]},
                "__module__": MODULE,
                "from_": strawberry.field(
                    name="from", default=None, description="Lower bound, included; omit for none."
                ),
                "to": strawberry.field(default=None, description="Upper bound, included; omit for none."),
            },
        )
        _ranges[kind] = export_type(strawberry.input(cls, description="Inclusive bounds; either may be omitted."))
    return _ranges[kind]


def _filter_annotation(f: Filter) -> Any:
    if f.op is FilterOp.SEARCH:
        return Optional[str]
    if f.op is FilterOp.REF:
        return Optional[list[strawberry.ID]]
    if f.op is FilterOp.RANGE:
        return Optional[range_input(f.type)]
    if f.op is FilterOp.IS_NULL:
        return Optional[bool]
    return Optional[list[_gql_type(f.type)]]  # type: ignore[misc]  # a type built at run time from the declaration


def build_filter_input(entity: Entity) -> type | None:
    if not entity.filters:
        return None
    annotations = {f.name: _filter_annotation(f) for f in entity.filters}
    namespace: dict[str, Any] = {"__annotations__": annotations, "__module__": MODULE}
    namespace.update(
        {f.name: strawberry.field(default=None, description=filter_description(f)) for f in entity.filters}
    )
    cls = type(f"{entity.name}Filter", (), namespace)
    return export_type(
        strawberry.input(cls, description=f"Filters for {entity.name} lists; all given conditions apply.")
    )


def build_order_input(entity: Entity) -> type:
    fields_enum = enum.Enum(f"{entity.name}OrderField", {o.name.upper(): o.name for o in entity.orders})  # type: ignore[misc]  # the enum is built from the declaration at run time
    fields_enum.__module__ = MODULE
    strawberry.enum(fields_enum, description=f"What a list of {entity.name} records can be sorted by.")
    describe_values(fields_enum, {o.name.upper(): o.description or f"By {words(o.name)}." for o in entity.orders})
    export_type(fields_enum)
    cls = type(
        f"{entity.name}Order",
        (),
        {
            "__annotations__": {"field": fields_enum, "direction": OrderDirection},
            "__module__": MODULE,
            "field": strawberry.field(description="What to sort by; ties are broken by ID."),
            "direction": strawberry.field(default=OrderDirection.ASC, description="Ascending unless DESC."),
        },
    )
    return export_type(strawberry.input(cls, description=f"How to sort a list of {entity.name} records."))


def _decode_refs(values: list[str], target: str | None) -> list[uuid.UUID]:
    out = []
    for value in values:
        decoded = from_global_id(value)
        # An ID of another type matches nothing, like an ID that does not exist.
        out.append(decoded[1] if decoded and (target is None or decoded[0].name == target) else NIL)
    return out


def filter_values(entity: Entity, given: Any) -> tuple[tuple[str, Any], ...]:
    if given is None:
        return ()
    for f in entity.filters:
        value = getattr(given, f.name, None)
        if (isinstance(value, str) and "\x00" in value) or (
            isinstance(value, list) and any(isinstance(v, str) and "\x00" in v for v in value)
        ):
            raise bad_input(f"`filter.{f.name}` contains a NUL character.", "filter")
    out: list[tuple[str, Any]] = []
    for f in entity.filters:
        value = getattr(given, f.name, None)
        if value is None:
            continue
        if f.op is FilterOp.REF:
            value = tuple(_decode_refs(value, f.entity))
        elif f.op is FilterOp.RANGE:
            value = {"from": value.from_, "to": value.to}
            for side, bound in value.items():  # DateTime inputs are checked by their scalar
                if isinstance(bound, Decimal) and not query.sendable(bound):
                    raise bad_input(
                        f"`filter.{f.name}.{side}` must be a finite number with at most "
                        f"{query.MAX_DECIMAL_DIGITS} digits either side of the point.",
                        "filter",
                    )
            value = tuple(sorted(value.items()))
        elif f.op is FilterOp.SEARCH or f.op is FilterOp.IS_NULL:
            pass
        else:
            value = tuple(v.value if isinstance(v, enum.Enum) else v for v in value)
        out.append((f.name, value))
    return tuple(out)


# --- connections -----------------------------------------------------------------


def build_connection(entity: Entity) -> type:
    edge = strawberry.type(
        type(
            f"{entity.name}Edge",
            (),
            {
                "__annotations__": {"cursor": str, "node": entity.name},
                "__module__": MODULE,
                "cursor": strawberry.field(description="Opaque position of this edge; pass it as after or before."),
                "node": strawberry.field(description=f"The {entity.name} at this position."),
            },
        ),
        description=f"One {entity.name} in a page, with its cursor.",
    )
    export_type(edge)

    async def total_count(root: Any) -> int:
        count: int = await root._count()
        return count

    conn_cls = type(
        f"{entity.name}Connection",
        (),
        {
            "__annotations__": {
                "edges": list[f"{entity.name}Edge"],  # type: ignore[misc]  # a forward reference by name, resolved by Strawberry
                "page_info": PageInfo,
                "_count": strawberry.Private[Any],  # type: ignore[misc]  # strawberry.Private is an Annotated alias, not a generic class
            },
            "__module__": MODULE,
            "edges": strawberry.field(description=f"The {entity.name} records of this page, in order."),
            "page_info": strawberry.field(description="Whether there are more pages, and the cursors to reach them."),
            "total_count": strawberry.field(
                resolver=make_resolver("total_count", [make_param("root", Any)], int, total_count),
                description="Number of records matching the filters, across all pages.",
            ),
        },
    )
    return export_type(strawberry.type(conn_cls, description=f"A page of {entity.name} records."))


def to_connection(entity: Entity, page: Page, count: Any) -> Any:
    conn_cls = getattr(sys.modules[MODULE], f"{entity.name}Connection")
    edge_cls = getattr(sys.modules[MODULE], f"{entity.name}Edge")
    edges = [edge_cls(cursor=c, node=make_node(entity, r)) for r, c in zip(page.rows, page.cursors)]
    info = PageInfo(
        has_next_page=page.has_next,
        has_previous_page=page.has_previous,
        start_cursor=page.cursors[0] if page.cursors else None,
        end_cursor=page.cursors[-1] if page.cursors else None,
    )
    return conn_cls(edges=edges, page_info=info, _count=count)


def page_args(entity: Entity, kwargs: dict[str, Any], extra: tuple[Arg, ...] = ()) -> PageArgs:
    first, last = kwargs.get("first"), kwargs.get("last")
    if first is None and last is None:
        raise bad_input(f"Pass `first` or `last` (at most {MAX_PAGE}) to page through {entity.name} records.", "first")
    for name, value in (("first", first), ("last", last)):
        if value is not None and not 0 <= value <= MAX_PAGE:
            raise bad_input(f"`{name}` must be between 0 and {MAX_PAGE}.", name)
    if first is not None and last is not None:
        raise bad_input("Pass either `first` or `last`, not both.", "last")
    order = kwargs.get("order_by")
    return PageArgs(
        first=first,
        after=kwargs.get("after"),
        last=last,
        before=kwargs.get("before"),
        filters=filter_values(entity, kwargs.get("filter")),
        order=order.field.value if order else None,
        descending=(order.direction is OrderDirection.DESC) if order else None,
        include_archived=bool(kwargs.get("include_archived")),
        extra=tuple((a.name, _hashable(kwargs.get(a.name, a.default))) for a in extra),
    )


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def connection_params(entity: Entity, extra: tuple[Arg, ...] = ()) -> list[inspect.Parameter]:
    params = [
        make_param(
            "first", Optional[int], None, f"Page forward: at most this many records (0 to {MAX_PAGE}) after `after`."
        ),
        make_param("after", Optional[str], None, "Cursor of the edge to start after (from pageInfo.endCursor)."),
        make_param(
            "last", Optional[int], None, f"Page backward: at most this many records (0 to {MAX_PAGE}) before `before`."
        ),
        make_param("before", Optional[str], None, "Cursor of the edge to end before (from pageInfo.startCursor)."),
    ]
    filter_cls = getattr(sys.modules[MODULE], f"{entity.name}Filter", None)
    if filter_cls is not None:
        params.append(make_param("filter", Optional[filter_cls], None, "Only records matching all these conditions."))
    params.append(
        make_param(
            "order_by",
            Optional[getattr(sys.modules[MODULE], f"{entity.name}Order")],
            None,
            "Sort order; keep it the same while paging with cursors.",
        )
    )
    if entity.archivable:
        params.append(make_param("include_archived", bool, False, "Also list archived records (hidden by default)."))
    for a in extra:
        params.append(make_param(a.name, _gql_type(a.type), a.default, a.description))
    return params


async def root_connection(entity: Entity, info: Info, kwargs: dict[str, Any], args: PageArgs | None = None) -> Any:
    args = page_args(entity, kwargs) if args is None else args
    ctx = info.context
    try:
        page = await query.fetch_page(ctx.db, entity, ctx.actor, args)
    except BadCursor as exc:
        raise bad_input("The cursor is not valid for this list.", "after") from exc
    except HiddenField as exc:
        raise forbidden(f"Not allowed to filter or order by {entity.name}.{exc.field}.") from exc
    return to_connection(entity, page, lambda: query.count(ctx.db, entity, ctx.actor, args))


# --- object types ----------------------------------------------------------------


def _ref_field(ref: Ref) -> Any:
    returns = "Node | None" if ref.entity is None else f"{ref.entity} | None"

    async def resolve(root: Any, info: Info) -> Any:
        key = root._row[ref.fk]
        if key is None:
            return None
        target: Entity | None
        if ref.type_column is None:
            target = entity_named(ref.target)
        elif ref.record_types is None or root._row[ref.type_column] in ref.record_types:
            target = entity_by_record_type(root._row[ref.type_column])
        else:
            target = None
        if target is None:
            return None
        row = await info.context.loaders.node(target).load(key)
        return None if row is None else make_node(target, row)

    params = [make_param("root", Any), make_param("info", Info)]
    return strawberry.field(resolver=make_resolver(ref.name, params, returns, resolve), description=ref.description)


def _many_field(parent: Entity, many: Many) -> Any:
    target = entity_named(many.entity)

    async def resolve(root: Any, info: Info, **kwargs: Any) -> Any:
        args = page_args(target, kwargs, many.args)
        loaders = info.context.loaders
        pid = root._row["id"]
        try:
            page = await loaders.page(parent, many, args).load(pid)
        except BadCursor as exc:
            raise bad_input("The cursor is not valid for this list.", "after") from exc
        except HiddenField as exc:
            raise forbidden(f"Not allowed to filter or order by {target.name}.{exc.field}.") from exc
        return to_connection(target, page, lambda: loaders.count(parent, many, args).load(pid))

    params = [make_param("root", Any), make_param("info", Info), *connection_params(target, many.args)]
    return strawberry.field(
        resolver=make_resolver(many.name, params, f"{target.name}Connection", resolve),
        description=many.description,
    )


def _guarded_field(entity: Entity, col: Col) -> Any:
    """A field some roles may not read: null with a FORBIDDEN error at its path."""
    annotation = _gql_type(col.type)
    if not (getattr(annotation, "__args__", None) and type(None) in annotation.__args__):
        annotation = Optional[annotation]

    async def resolve(root: Any, info: Info) -> Any:
        permissions = info.context.actor.permissions
        if permissions is not None and not permissions.field_allowed(entity.record_type, col.name, "read"):
            raise forbidden(f"Not allowed to read {entity.name}.{info.field_name}.")
        return root.__dict__[col.name]

    params = [make_param("root", Any), make_param("info", Info)]
    return strawberry.field(resolver=make_resolver(col.name, params, annotation, resolve), description=col.description)


def build_object_type(entity: Entity, extra: dict[str, Any]) -> type:
    """The object type of `entity`; `extra` are fields a domain adds (graph walks)."""
    annotations: dict[str, Any] = {"_row": strawberry.Private[Any]}  # type: ignore[misc]  # strawberry.Private is an Annotated alias, not a generic class
    namespace: dict[str, Any] = {"__module__": MODULE, **extra}
    for col in entity.fields:
        if col.guarded:
            namespace[col.name] = _guarded_field(entity, col)
            continue
        annotations[col.name] = _gql_type(col.type)
        if col.description:
            namespace[col.name] = strawberry.field(description=col.description)
    for ref in entity.refs:
        namespace[ref.name] = _ref_field(ref)
    for many in entity.many:
        namespace[many.name] = _many_field(entity, many)
    namespace["__annotations__"] = annotations
    cls = strawberry.type(type(entity.name, (Node,), namespace), description=entity.description)
    register_class(entity, cls)
    return export_type(cls)


def build_all(all_entities: list[Entity], extra_fields: dict[str, dict[str, Any]]) -> None:
    for e in all_entities:
        build_filter_input(e)
        build_order_input(e)
    for e in all_entities:
        build_connection(e)
    for e in all_entities:
        build_object_type(e, extra_fields.get(e.name, {}))
