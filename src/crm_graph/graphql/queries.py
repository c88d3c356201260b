"""The Query root: connections per entity, Relay's node/nodes, viewer, graph paths."""

from __future__ import annotations

import asyncio
from typing import Any, Optional

import strawberry
from strawberry.types import Info

from crm_graph.graphql import types  # noqa: F401  (builds the generated types)
from crm_graph.graphql.builder import (
    MODULE,
    _make_function,
    _param,
    connection_params,
    root_connection,
)
from crm_graph.graphql.fields import Policy, root_field
from crm_graph.graphql.graph import resolve_relationship_path
from crm_graph.graphql.node import Node, make_node
from crm_graph.readside.ids import from_global_id
from crm_graph.readside.spec import entity as entity_named

# Root connection field name -> entity. Each is guarded by the entity's read policy.
ROOT_CONNECTIONS = {
    "organizations": "Organization",
    "contacts": "Contact",
    "opportunities": "Opportunity",
    "interactions": "Interaction",
    "tasks": "Task",
    "pipelines": "Pipeline",
    "users": "User",
    "teams": "Team",
    "relationships": "Relationship",
    "relationship_kinds": "RelationshipKind",
    "roles": "Role",
    "policies": "PolicyRule",
    "audit_log": "AuditEntry",
}
MAX_NODES = 100


def connection_root_field(field_name: str, entity_name: str, description: str | None = None) -> Any:
    """A root connection of the records of `entity_name` the viewer may read: the
    ordinary path's resolver, and (listed in ROOT_CONNECTIONS) the compiler's."""
    ROOT_CONNECTIONS.setdefault(field_name, entity_name)
    entity = entity_named(entity_name)

    async def resolve(info: Info, **kwargs: Any) -> Any:
        return await root_connection(entity, info, kwargs)

    params = [_param("info", Info), *connection_params(entity)]
    resolver = _make_function(field_name, params, f"{entity_name}Connection", resolve)
    return root_field(
        resolver=resolver,
        policy=Policy(entity.record_type, "read"),
        description=description or f"{entity_name} records the viewer may see.",
    )


async def _node(info: Info, id: strawberry.ID) -> Optional[Node]:
    decoded = from_global_id(id)
    if decoded is None:
        return None
    entity, key = decoded
    row = await info.context.loaders.node(entity).load(key)
    return None if row is None else make_node(entity, row)


async def resolve_node(info: Info, id: strawberry.ID) -> Optional[Node]:
    return await _node(info, id)


async def resolve_nodes(info: Info, ids: list[strawberry.ID]) -> list[Optional[Node]]:
    if len(ids) > MAX_NODES:
        from crm_graph.graphql.errors import bad_input

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

namespace: dict[str, Any] = {
    name: connection_root_field(name, entity_name) for name, entity_name in list(ROOT_CONNECTIONS.items())
}
namespace.update(
    node=root_field(resolver=resolve_node, policy=Policy("node", "read"), description="Any record by its global ID; null if it does not exist or is not visible."),
    nodes=root_field(resolver=resolve_nodes, policy=Policy("node", "read"), description="Records by global IDs, in order; null where not found."),
    viewer=root_field(resolver=resolve_viewer, policy=Policy("user", "read_self"), description="The user making the request."),
    relationship_path=root_field(
        resolver=resolve_relationship_path,
        policy=Policy("relationship", "read"),
        description="The shortest chain of edges between two records (a warm introduction), or null.",
    ),
)
QUERY_FIELDS = namespace
