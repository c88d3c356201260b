"""Graph fields: `neighbors` on organizations and contacts, and `relationshipPath`."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any, Optional

import strawberry
from strawberry.types import Info

from crm_graph.api.kit.errors import bad_input
from crm_graph.api.kit.node import Node, PageInfo, make_node
from crm_graph.domains.relationships import graph
from crm_graph.readside.ids import decode_cursor, encode_cursor, from_global_id
from crm_graph.readside.spec import entity as entity_named
from crm_graph.readside.spec import entity_by_record_type

MAX_DEPTH = 3
MAX_PATH_DEPTH = 6


@strawberry.type(description="A record reached from another by following edges.")
class NeighborEdge:
    cursor: str = strawberry.field(description="Opaque position of this edge; pass it as after.")
    node: Node = strawberry.field(description="The record reached.")
    distance: int = strawberry.field(description="Number of edges on the shortest way there.")
    relationship: Annotated[Relationship, strawberry.lazy("crm_graph.api.kit.types")] = strawberry.field(  # type: ignore[name-defined]  # noqa: F821  a generated type (api.kit.types), resolved lazily by Strawberry
        description="The last edge on that way."
    )


@strawberry.type(description="Records within some hops, nearest first.")
class NeighborConnection:
    edges: list[NeighborEdge] = strawberry.field(description="The records of this page, nearest first.")
    page_info: PageInfo = strawberry.field(description="Whether there are more pages, and the cursors to reach them.")
    total_count: int = strawberry.field(description="Number of records reached, across all pages.")


@strawberry.type(description="A shortest chain of edges from one record to another.")
class RelationshipPath:
    length: int = strawberry.field(description="Number of edges on the path.")
    nodes: list[Node] = strawberry.field(description="The records on the path, from the start to the end.")
    edges: list[Annotated[Relationship, strawberry.lazy("crm_graph.api.kit.types")]] = strawberry.field(  # type: ignore[name-defined]  # noqa: F821  a generated type (api.kit.types), resolved lazily by Strawberry
        description="The edges on the path, in order; edge i joins nodes i and i + 1."
    )


async def _load_node(info: Info, record_type: str, id_: uuid.UUID) -> Any:
    target = entity_by_record_type(record_type)
    if target is None:
        return None
    row = await info.context.loaders.node(target).load(id_)
    return None if row is None else make_node(target, row)


def _slice(items: list[graph.Hop], first: int | None, after: str | None) -> tuple[list[graph.Hop], bool]:
    if after is not None:
        key = decode_cursor(after)
        if key is None or len(key) != 2 or not isinstance(key[0], int) or not isinstance(key[1], str):
            raise bad_input("The cursor is not valid for this list.", "after")
        items = [h for h in items if (h.distance, str(h.node_id)) > (key[0], key[1])]
    limit = first if first is not None else len(items)
    return items[:limit], len(items) > limit


def neighbors_field(record_type: str) -> Any:
    async def resolve(
        root: Any,
        info: Info,
        depth: Annotated[int, strawberry.argument(description=f"Hops to follow, 1 to {MAX_DEPTH}.")] = 1,
        kinds: Annotated[
            Optional[list[str]],
            strawberry.argument(description="Follow only edges of these kind keys; all kinds when omitted."),
        ] = None,
        first: Annotated[
            Optional[int], strawberry.argument(description="At most this many records (0 to 100).")
        ] = None,
        after: Annotated[Optional[str], strawberry.argument(description="Cursor of the edge to start after.")] = None,
    ) -> NeighborConnection:
        if not 1 <= depth <= MAX_DEPTH:
            raise bad_input(f"`depth` must be between 1 and {MAX_DEPTH}.", "depth")
        if first is not None and not 0 <= first <= 100:
            raise bad_input("`first` must be between 0 and 100.", "first")
        ctx = info.context
        key = ("neighbors", depth, tuple(kinds or ()))

        async def load(starts: list[tuple[uuid.UUID, str]]) -> list[list[graph.Hop]]:
            found = await graph.neighbors(ctx.db, ctx.actor, starts, depth, kinds)
            return [found[s[0]] for s in starts]

        hops = await ctx.loaders.batch(key, load).load((root._row["id"], record_type))
        ordered = sorted(hops, key=lambda h: (h.distance, str(h.node_id)))
        page, more = _slice(ordered, first, after)
        edge_entity = entity_named("Relationship")
        nodes, edge_rows = await asyncio.gather(
            asyncio.gather(*(_load_node(info, h.node_type, h.node_id) for h in page)),
            ctx.loaders.node(edge_entity).load_many([h.edge_id for h in page]),
        )
        edges = []
        for hop, node, edge_row in zip(page, nodes, edge_rows):
            if node is None or edge_row is None:
                continue
            edges.append(
                NeighborEdge(
                    cursor=encode_cursor([hop.distance, str(hop.node_id)]),
                    node=node,
                    distance=hop.distance,
                    relationship=make_node(edge_entity, edge_row),
                )
            )
        info_ = PageInfo(
            has_next_page=more,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        )
        return NeighborConnection(edges=edges, page_info=info_, total_count=len(ordered))

    return strawberry.field(
        resolver=resolve,
        description="Records connected to this one within `depth` hops (1 to 3), optionally by edges of some kinds.",
    )


async def resolve_relationship_path(
    info: Info,
    from_: Annotated[
        strawberry.ID, strawberry.argument(name="from", description="Global ID of the record to start from.")
    ],
    to: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the record to reach.")],
    max_depth: Annotated[
        int, strawberry.argument(description=f"Longest path to look for, 1 to {MAX_PATH_DEPTH} edges.")
    ] = 4,
    kinds: Annotated[
        Optional[list[str]],
        strawberry.argument(description="Follow only edges of these kind keys; all kinds when omitted."),
    ] = None,
) -> Optional[RelationshipPath]:
    if not 1 <= max_depth <= MAX_PATH_DEPTH:
        raise bad_input(f"`maxDepth` must be between 1 and {MAX_PATH_DEPTH}.", "maxDepth")
    src, dst = from_global_id(from_), from_global_id(to)
    if src is None or dst is None or not {src[0].record_type, dst[0].record_type} <= set(graph.NODE_TYPES):
        return None
    (src_entity, src_id), (dst_entity, dst_id) = src, dst
    # Both ends must be visible: an invisible end behaves like a missing one.
    if await _load_node(info, src_entity.record_type, src_id) is None:
        return None
    if await _load_node(info, dst_entity.record_type, dst_id) is None:
        return None
    ctx = info.context
    path = await graph.shortest_path(ctx.db, ctx.actor, (src_id, src_entity.record_type), dst_id, max_depth, kinds)
    if path is None:
        return None
    edge_entity = entity_named("Relationship")
    nodes, edge_rows = await asyncio.gather(
        asyncio.gather(*(_load_node(info, t, i) for t, i in zip(path.node_types, path.node_ids))),
        ctx.loaders.node(edge_entity).load_many(path.edge_ids),
    )
    if any(n is None for n in nodes) or any(r is None for r in edge_rows):
        return None
    return RelationshipPath(
        length=len(path.edge_ids), nodes=nodes, edges=[make_node(edge_entity, r) for r in edge_rows]
    )


EXTRA_FIELDS = {
    "Organization": {"neighbors": neighbors_field("organization")},
    "Contact": {"neighbors": neighbors_field("contact")},
}
TYPES = [RelationshipPath]
