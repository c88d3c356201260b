"""Graph queries over the edge table, computed in PostgreSQL with recursive CTEs.

Edges are walked both ways. Each hop checks that the record reached is visible to
the actor (same row scope as every other read) and not archived, so neither a
neighbour list nor a path can pass through a record the actor may not see.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.domains.relationships import models
from crm_graph.domains.relationships.models import ENDPOINT_TYPES
from crm_graph.kernel.actor import Actor
from crm_graph.readside.query import Executor
from crm_graph.readside.scope import visible_record

EDGES = models.Relationship.__table__
NODE_TYPES = ENDPOINT_TYPES


@dataclass(frozen=True)
class Hop:
    start: uuid.UUID
    node_type: str
    node_id: uuid.UUID
    distance: int
    edge_id: uuid.UUID  # the edge through which the node was first reached


@dataclass(frozen=True)
class Path:
    node_types: list[str]
    node_ids: list[uuid.UUID]
    edge_ids: list[uuid.UUID]


def _step(frontier_id: Any, actor: Actor, kinds: Sequence[str] | None) -> Any:
    """A LATERAL subquery: the edges touching `frontier_id`, seen from that node."""
    out_e, in_e = EDGES.alias("e_out"), EDGES.alias("e_in")

    def side(e: Any, near: str, far: str, far_type: str) -> Any:
        where = [e.c[near] == frontier_id, e.c.tenant_id == actor.tenant_id]
        if kinds:
            where.append(e.c.kind.in_(list(kinds)))
        return sa.select(e.c.id.label("edge_id"), e.c[far].label("next_id"), e.c[far_type].label("next_type")).where(
            *where
        )

    return sa.union_all(
        side(out_e, "source_id", "target_id", "target_type"),
        side(in_e, "target_id", "source_id", "source_type"),
    ).lateral("step")


def _walk(starts: Sequence[tuple[uuid.UUID, str]], depth: int, actor: Actor, kinds: Sequence[str] | None) -> Any:
    seed = sa.select(
        sa.func.unnest(sa.cast([s[0] for s in starts], pg.ARRAY(sa.Uuid()))).label("start"),
        sa.func.unnest(sa.cast([s[1] for s in starts], pg.ARRAY(sa.Text()))).label("node_type"),
    ).subquery("seed")
    return walk_from(seed.c.start, seed.c.node_type, depth, actor, kinds)


def walk_from(
    start: Any,
    start_type: Any,
    depth: int,
    actor: Actor,
    kinds: Sequence[str] | None,
    name: str = "walk",
    outer: Any = None,
) -> Any:
    """The recursive walk (a CTE) from the records `start` of type `start_type`: one
    row per way found. `start` is a seed's column, or the column of an `outer` row
    (a FROM item of an enclosing query): then the CTE is nested where it is used."""
    base = sa.select(
        start.label("start"),
        start.label("node_id"),
        start_type.label("node_type"),
        sa.literal(0).label("distance"),
        sa.func.array_append(sa.cast(sa.literal([], pg.ARRAY(sa.Uuid())), pg.ARRAY(sa.Uuid())), start).label("path"),
        sa.func.array_append(sa.cast(sa.literal([], pg.ARRAY(sa.Text())), pg.ARRAY(sa.Text())), start_type).label(
            "types"
        ),
        sa.cast(sa.literal([], pg.ARRAY(sa.Uuid())), pg.ARRAY(sa.Uuid())).label("edges"),
    )
    if outer is not None:
        base = base.correlate(outer)
    walk = base.cte(name, recursive=True, nesting=outer is not None)
    step = _step(walk.c.node_id, actor, kinds)
    recursive = (
        sa.select(
            walk.c.start,
            step.c.next_id,
            step.c.next_type,
            walk.c.distance + 1,
            sa.func.array_append(walk.c.path, step.c.next_id),
            sa.func.array_append(walk.c.types, step.c.next_type),
            sa.func.array_append(walk.c.edges, step.c.edge_id),
        )
        .select_from(walk.join(step, sa.true()))
        .where(
            walk.c.distance < depth,
            sa.not_(step.c.next_id == sa.func.any(walk.c.path)),
            visible_record(step.c.next_type, step.c.next_id, actor, types=NODE_TYPES),
        )
    )
    return walk.union_all(recursive)


def nearest(walk: Any) -> Any:
    """Each record the walk reached (but its start), once: at its shortest distance,
    with the last edge of the first such way (by edge id)."""
    last_edge = walk.c.edges[sa.func.cardinality(walk.c.edges)]
    return (
        sa.select(walk.c.start, walk.c.node_type, walk.c.node_id, walk.c.distance, last_edge.label("edge_id"))
        .where(walk.c.distance > 0)
        .distinct(walk.c.start, walk.c.node_id)
        .order_by(walk.c.start, walk.c.node_id, walk.c.distance, last_edge)
    )


def may_read_edges(actor: Actor) -> bool:
    """Walking the graph reads edges: a reader without edge access walks nowhere."""
    return actor.permissions is None or actor.permissions.allows("relationship", "read")


async def neighbors(
    db: Executor,
    actor: Actor,
    starts: Sequence[tuple[uuid.UUID, str]],
    depth: int,
    kinds: Sequence[str] | None,
) -> dict[uuid.UUID, list[Hop]]:
    """Every record within `depth` hops of each start, at its shortest distance."""
    if not may_read_edges(actor):
        return {s[0]: [] for s in starts}
    found = nearest(_walk(starts, depth, actor, kinds)).subquery("nearest")
    stmt = sa.select(found).order_by(found.c.start, found.c.distance, found.c.node_id)
    out: dict[uuid.UUID, list[Hop]] = {s[0]: [] for s in starts}
    for row in (await db.execute(stmt)).all():
        out[row.start].append(Hop(row.start, row.node_type, row.node_id, row.distance, row.edge_id))
    return out


async def shortest_path(
    db: Executor,
    actor: Actor,
    source: tuple[uuid.UUID, str],
    target: uuid.UUID,
    max_depth: int,
    kinds: Sequence[str] | None,
) -> Path | None:
    """The shortest path between two visible records, or None.

    The recursive CTE yields rows level by level, so `LIMIT 1` on the target lets
    PostgreSQL stop the walk as soon as the target is reached.
    """
    if source[0] == target:
        return Path([source[1]], [source[0]], [])
    if not may_read_edges(actor):
        return None
    walk = walk_from(sa.literal(source[0], sa.Uuid), sa.literal(source[1], sa.Text), max_depth, actor, kinds)
    stmt = sa.select(walk.c.path, walk.c.types, walk.c.edges).where(walk.c.node_id == target).limit(1)
    row = (await db.execute(stmt)).first()
    if row is None:
        return None
    return Path(list(row.types), list(row.path), list(row.edges))
