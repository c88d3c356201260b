"""How every mutation is declared: one `input`, a payload named after the operation
holding the record under its own name and `errors` as data.

    organization_create = mutation(
        "organizationCreate", OrganizationCreateInput, entity="Organization",
        policy=Policy("organization", "create"), handler=service.create_organization,
        ids={"owner_id": "User"})

The handler is a use case `(uow, actor, data) -> row`; it runs in one transaction
that is rolled back whole when it raises.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Optional, cast

import strawberry
from strawberry.types import Info
from strawberry.types.base import get_object_definition, has_object_definition

from crm_graph.api.kit import types  # noqa: F401  (entities and their types first)
from crm_graph.api.kit.builder import MODULE, export_type, make_param, make_resolver
from crm_graph.api.kit.fields import Policy, root_field
from crm_graph.api.kit.node import make_node
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound, UseCaseError
from crm_graph.readside.ids import from_global_id
from crm_graph.readside.spec import Entity, declared
from crm_graph.readside.spec import entity as entity_named

# A use case: the written row, or (row, *extras) when the mutation names extra payload fields.
Handler = Callable[[UnitOfWork, Actor, dict[str, Any]], Awaitable[Mapping[str, Any] | tuple[Any, ...]]]
ANY_NODE = "*"


@strawberry.interface(description="A problem with a mutation's input or target; nothing was changed.")
class UserError:
    message: str = strawberry.field(description="What is wrong, in words a user can be shown.")
    path: Optional[list[str]] = strawberry.field(
        description='Path to the input field at fault, e.g. ["input", "name"].'
    )


@strawberry.type(description="An input field has a bad value.")
class ValidationError(UserError):
    code: str = strawberry.field(description="Machine-readable reason, e.g. REQUIRED, TOO_LONG, INVALID_ID.")


@strawberry.type(name="NotFound", description="The record does not exist or is not visible to you.")
class NotFoundError(UserError):
    pass


@strawberry.type(name="Conflict", description="The record changed since you read it (expectedVersion is stale).")
class ConflictError(UserError):
    current_version: int = strawberry.field(description="The record's version now; reread it and retry.")


@strawberry.type(name="Forbidden", description="You may not make this change.")
class ForbiddenError(UserError):
    pass


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _path(path: tuple[str, ...]) -> list[str]:
    return ["input", *(camel(p) for p in path)]


def to_errors(exc: UseCaseError) -> list[UserError]:
    if isinstance(exc, Invalid):
        return [ValidationError(message=p.message, path=_path(p.path), code=p.code) for p in exc.problems]
    if isinstance(exc, NotFound):
        return [NotFoundError(message=str(exc), path=_path(exc.path))]
    if isinstance(exc, Conflict):
        return [ConflictError(message=str(exc), path=_path(("expected_version",)), current_version=exc.current_version)]
    if isinstance(exc, Forbidden):
        return [ForbiddenError(message=str(exc), path=_path(exc.path) if exc.path else None)]
    raise exc


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    return False


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if has_object_definition(value):
        return input_data(value, {})
    return value


def input_data(given: Any, ids: Mapping[str, str], prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    """The input as a plain dict of the fields the client gave (explicit nulls kept),
    enums as their stored values and global IDs as UUIDs of the expected type."""
    data: dict[str, Any] = {}
    problems: list[FieldProblem] = []
    for f in dataclasses.fields(given):
        value = getattr(given, f.name)
        if value is strawberry.UNSET:
            continue
        if _has_nul(value):
            # PostgreSQL cannot store U+0000 in text.
            problems.append(FieldProblem((*prefix, f.name), "Contains a NUL character.", "INVALID_CHARACTER"))
            continue
        if f.name in ids and value is not None:
            expected = ids[f.name]
            values = value if isinstance(value, list) else [value]
            decoded = []
            for i, v in enumerate(values):
                found = from_global_id(v)
                if found is None or (expected != ANY_NODE and found[0].name != expected):
                    kind = "a record" if expected == ANY_NODE else f"{_article(expected)} {expected}"
                    path = (*prefix, f.name, str(i)) if isinstance(value, list) else (*prefix, f.name)
                    problems.append(FieldProblem(path, f"Not the ID of {kind}.", "INVALID_ID"))
                else:
                    decoded.append(found if expected == ANY_NODE else found[1])
            value = decoded if isinstance(value, list) else (decoded[0] if decoded else None)
        data[f.name] = _plain(value)
    if problems:
        raise Invalid(problems)
    return data


def _check_fields(actor: Actor, record_type: str, fields: set[str], action: str) -> None:
    """Writing a field the actor's roles are denied is refused, whatever else is valid."""
    permissions = actor.permissions
    if permissions is None:
        return
    for name in sorted(fields):
        if not permissions.field_allowed(record_type, name, action):
            raise Forbidden(f"Not allowed to {action} {record_type}.{camel(name)}.", (name,))


def _pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def describe_input(input_type: type, target: Entity) -> None:
    """An input field without its own description says what the record's field of
    the same name says (written once, in the read declaration); `id`,
    `expected_version` and `<reference>_id` are said from what they are. A guarded
    field's description speaks of reading it, so its input says its own."""
    said = {c.name: c.description for c in target.fields if not c.guarded}
    refs = {f"{r.name}_id": r for r in target.refs}
    for f in get_object_definition(input_type, strict=True).fields:
        if f.description:
            continue
        if f.python_name == "id":
            f.description = f"Global ID of the {target.name}."
        elif f.python_name == "expected_version":
            f.description = "The version you last read; refused with Conflict if the record moved on since."
        elif said.get(f.python_name):
            f.description = said[f.python_name]
        elif f.python_name in refs:
            ref = refs[f.python_name]
            kind = f" ({_article(ref.entity)} {ref.entity})" if ref.entity else ""
            f.description = f"Global ID of the {target.name}'s {ref.name.replace('_', ' ')}{kind}."


def mutation(
    name: str,
    input_type: type,
    *,
    entity: str,
    policy: Policy,
    handler: Handler,
    ids: Mapping[str, str] | None = None,
    record_field: str | None = None,
    description: str | None = None,
    extra_fields: Mapping[str, tuple[Any, str]] | None = None,
) -> Any:
    """`extra_fields` ({name: (annotation, description)}) add payload fields beside the
    record, such as a secret shown once; the handler then returns (row, *their values)."""
    target = entity_named(entity)
    describe_input(input_type, target)
    record = record_field or camel(target.record_type)
    all_ids = {"id": entity, **(ids or {})}
    extras = dict(extra_fields or {})
    namespace: dict[str, Any] = {
        "__annotations__": {
            record: Optional[entity],
            **{k: Optional[annotation] for k, (annotation, _) in extras.items()},
            "errors": list[UserError],
        },
        "__module__": MODULE,
        record: strawberry.field(default=None, description=f"The {entity} as it is after the change; null on errors."),
        "errors": strawberry.field(description="Why nothing was changed; empty on success."),
        **{k: strawberry.field(default=None, description=text) for k, (_, text) in extras.items()},
    }
    payload = export_type(
        strawberry.type(
            type(f"{_pascal(name)}Payload", (), namespace),
            description=f"Result of {name}: the {entity} on success, else the errors.",
        )
    )

    guarded = {c.name for c in target.fields if c.guarded}

    async def resolve(info: Info, input: Any) -> Any:
        ctx = info.context
        try:
            data = input_data(input, all_ids)
            # An update that clears a hidden field writes it too; a create's empty
            # default (`phones: []`) writes nothing.
            written = {k for k in guarded & data.keys() if policy.action != "create" or data[k] not in (None, [], "")}
            _check_fields(ctx.actor, target.record_type, written, policy.action)
            async with ctx.db.unit_of_work(ctx.actor) as uow:
                result = await handler(uow, ctx.actor, data)
        except UseCaseError as exc:
            return payload(**{record: None, "errors": to_errors(exc)})
        _prime(ctx, uow)
        row, *values = cast("tuple[Any, ...]", result) if extras else (result,)  # extras: the handler returns a tuple
        return payload(**{record: make_node(target, row), "errors": [], **dict(zip(extras, values))})

    input_name = get_object_definition(input_type, strict=True).name
    params = [
        make_param("info", Info),
        make_param("input", input_type, description=f"Everything {name} needs (see {input_name})."),
    ]
    resolver = make_resolver(name, params, payload, resolve)
    return root_field(resolver=resolver, policy=policy, description=description, name=name)


def _prime(ctx: Any, uow: UnitOfWork) -> None:
    """The records the use case checked as references answer the payload's references
    to them (`opportunity { stage { id } }`) without a statement after the commit:
    they were read with the same read scope and columns as the node loader's, in the
    committed transaction. A record the unit of work changed is read afresh."""
    changed = {e.record_id for e in uow.events}
    for record_type, rows in uow.referenced.items():
        loader = ctx.loaders.node(declared(record_type))
        for id_, row in rows.items():
            if id_ not in changed:
                loader.prime(id_, row)


@strawberry.input(
    description="Archiving hides a record from lists (includeArchived shows it); restoring brings it back."
)
class RecordArchiveInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the record.")
    expected_version: Optional[int] = strawberry.field(
        default=None, description="The version you last read; the change is refused with Conflict if it moved on."
    )


def archive_mutations(entity: str, handlers: tuple[Handler, Handler]) -> dict[str, Any]:
    """`<type>Archive` and `<type>Restore`, guarded by the type's archive permission."""
    target = entity_named(entity)
    name = camel(target.record_type)
    archive_, restore_ = handlers
    policy = Policy(target.record_type, "archive")
    return {
        f"{target.record_type}_archive": mutation(
            f"{name}Archive",
            RecordArchiveInput,
            entity=entity,
            policy=policy,
            handler=archive_,
            description=f"Archive {_article(entity)} {entity}: hidden from lists unless includeArchived, kept in full.",
        ),
        f"{target.record_type}_restore": mutation(
            f"{name}Restore",
            RecordArchiveInput,
            entity=entity,
            policy=policy,
            handler=restore_,
            description=f"Bring an archived {entity} back into lists.",
        ),
    }


def error_types() -> list[type]:
    return [ValidationError, NotFoundError, ConflictError, ForbiddenError]


def _article(noun: str) -> str:
    # "an Organization", "an Interaction", but "a User" (said with a consonant sound).
    return "an" if noun[0] in "AEIO" else "a"
