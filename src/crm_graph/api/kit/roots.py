"""The Query root's own fields: each domain's root lists, Relay's node/nodes, viewer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Optional

import strawberry
from strawberry.types import Info

from crm_graph.api.kit import types  # noqa: F401  (builds the generated types)
from crm_graph.api.kit.builder import MODULE, connection_params, make_param, make_resolver, page_args, root_connection
from crm_graph.api.kit.fields import Policy, root_field
from crm_graph.api.kit.node import Node, make_node
from crm_graph.readside.ids import from_global_id
from crm_graph.readside.query import PageArgs
from crm_graph.readside.spec import entity as entity_named

MAX_NODES = 100


@dataclass(frozen=True)
class RootList:
    """A root connection field: the records of `entity` the viewer may read, behind
    `policy`. Unless `arguments` is given, the field takes the entity's standard
    arguments; else it turns the field's own ones into page arguments.
    Both read paths read this: the resolver below and the compiler (compiled.root)."""

    entity: str
    policy: Policy
    arguments: Callable[[dict[str, Any]], PageArgs] | None = None

    def page_args(self, kwargs: dict[str, Any]) -> PageArgs:
        return page_args(entity_named(self.entity), kwargs) if self.arguments is None else self.arguments(kwargs)


# Every root list, declared as each surface is imported: complete once the schema is
# built (crm_graph.api.schema calls `complete()`), which `declared_root_lists` checks.
ROOT_LISTS: dict[str, RootList] = {}
_complete = False


def complete() -> None:
    """Every surface has declared its root lists (the schema is built)."""
    global _complete
    _complete = True


def declared_root_lists() -> dict[str, RootList]:
    """Every root list (see ROOT_LISTS); refused before the schema is built, when
    some would be missing."""
    if not _complete:
        raise RuntimeError("root lists are complete once the schema is built (crm_graph.api.schema)")
    return ROOT_LISTS


def connection_root_field(
    field_name: str,
    entity_name: str,
    description: str | None = None,
    *,
    policy: Policy | None = None,
    params: list[Any] | None = None,
    arguments: Callable[[dict[str, Any]], PageArgs] | None = None,
) -> Any:
    """A root connection field (see RootList); `params` are its own arguments when
    `arguments` maps them."""
    entity = entity_named(entity_name)
    declared = ROOT_LISTS[field_name] = RootList(entity_name, policy or Policy(entity.record_type, "read"), arguments)

    async def resolve(info: Info, **kwargs: Any) -> Any:
        return await root_connection(entity, info, kwargs, declared.page_args(kwargs))

    params = [make_param("info", Info), *(params if params is not None else connection_params(entity))]
    resolver = make_resolver(field_name, params, f"{entity_name}Connection", resolve)
    return root_field(
        resolver=resolver,
        policy=declared.policy,
        description=description or f"{entity_name} records the viewer may see.",
    )


async def _node(info: Info, id: strawberry.ID) -> Optional[Node]:
    decoded = from_global_id(id)
    if decoded is None:
        return None
    entity, key = decoded
    row = await info.context.loaders.node(entity).load(key)
    return None if row is None else make_node(entity, row)


async def resolve_node(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the record.")]
) -> Optional[Node]:
    return await _node(info, id)


async def resolve_nodes(
    info: Info,
    ids: Annotated[list[strawberry.ID], strawberry.argument(description=f"Global IDs, at most {MAX_NODES}.")],
) -> list[Optional[Node]]:
    if len(ids) > MAX_NODES:
        from crm_graph.api.kit.errors import bad_input

        raise bad_input(f"At most {MAX_NODES} IDs at once.", "ids")
    return list(await asyncio.gather(*(_node(info, i) for i in ids)))


async def resolve_viewer(info: Info) -> Any:
    actor = info.context.actor
    if actor.user_id is None:
        return None
    user = entity_named("User")
    row = await info.context.loaders.node(user).load(actor.user_id)
    return None if row is None else make_node(user, row)


# Generated types are resolved in the generated module's namespace.
resolve_viewer.__module__ = MODULE
resolve_viewer.__annotations__ = {"info": Info, "return": "User | None"}


def query_fields(root_lists: Mapping[str, str]) -> dict[str, Any]:
    """The Query root's own fields: `root_lists` (field name -> entity name, every
    domain's: crm_graph.domains.enabled.root_lists()), each guarded by its entity's
    read policy, and node, nodes and viewer."""
    namespace: dict[str, Any] = {
        name: connection_root_field(name, entity_name) for name, entity_name in root_lists.items()
    }
    namespace.update(
        node=root_field(
            resolver=resolve_node,
            policy=Policy("node", "read"),
            description="Any record by its global ID; null if it does not exist or is not visible.",
        ),
        nodes=root_field(
            resolver=resolve_nodes,
            policy=Policy("node", "read"),
            description="Records by global IDs, in order; null where not found.",
        ),
        viewer=root_field(
            resolver=resolve_viewer, policy=Policy("user", "read_self"), description="The user making the request."
        ),
    )
    return namespace
