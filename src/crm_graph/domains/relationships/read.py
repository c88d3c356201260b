"""Read declarations for edges, and the graph queries (neighbors, shortest path).

Graph traversal runs in PostgreSQL as recursive CTEs over the edge table, treating
every edge as traversable both ways; the row scope of each endpoint type is applied
to the nodes reached, so a path never passes through a record the actor cannot see.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.relationships import models
from crm_graph.readside.common import record_fields, record_filters, record_orders
from crm_graph.readside.spec import (
    Arg,
    Col,
    Entity,
    Filter,
    FilterOp,
    Inherits,
    Many,
    Order,
    Ref,
    TenantWide,
)


class EdgeDirection(enum.Enum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"
    BOTH = "both"


def _edge_link(t: sa.Table, pid: Any, args: dict[str, Any]) -> Any:
    direction = args.get("direction") or EdgeDirection.BOTH
    if direction is EdgeDirection.OUTGOING:
        clause = t.c.source_id == pid
    elif direction is EdgeDirection.INCOMING:
        clause = t.c.target_id == pid
    else:
        clause = sa.or_(t.c.source_id == pid, t.c.target_id == pid)
    kinds = args.get("kinds")
    return sa.and_(clause, t.c.kind.in_(list(kinds))) if kinds else clause


def edge_relation() -> Many:
    return Many(
        "relationships",
        "Relationship",
        link=_edge_link,
        order="created_at",
        args=(
            Arg("kinds", list[str] | None, None),
            Arg("direction", EdgeDirection, EdgeDirection.BOTH),
        ),
        description="Edges touching this record, optionally of some kinds and one direction.",
    )


RELATIONSHIP = Entity(
    name="Relationship",
    record_type="relationship",
    table=models.Relationship.__table__,
    tag=20,
    fields=[
        Col("kind", str, description="Key of the relationship kind, e.g. partner_of."),
        Col("source_type", str),
        Col("target_type", str),
        Col("strength", float | None, description="0 to 1."),
        Col("since", date | None),
        Col("until", date | None),
        Col("note", str | None),
        *record_fields(),
    ],
    refs=[
        Ref("source", None, "source_id", type_column="source_type", record_types=models.ENDPOINT_TYPES),
        Ref("target", None, "target_id", type_column="target_type", record_types=models.ENDPOINT_TYPES),
    ],
    filters=[Filter("kinds", FilterOp.EQ_ANY, ("kind",), str), *record_filters()],
    orders=[Order("strength", lambda t: [sa.func.coalesce(t.c.strength, -1.0)]), *record_orders()],
    default_order="created_at",
    archivable=False,
    # Visible only when both ends are readable and not archived.
    scope=Inherits("source", "target", active_parents=True),
    description="A typed, labelled edge between two records.",
)

RELATIONSHIP_KIND = Entity(
    name="RelationshipKind",
    record_type="relationship_kind",
    table=models.RelationshipKind.__table__,
    tag=21,
    fields=[
        Col("key", str),
        Col("label", str),
        Col("inverse_label", str),
        Col("source_types", list[str]),
        Col("target_types", list[str]),
        Col("symmetric", bool),
        Col("built_in", bool),
        *record_fields(),
    ],
    orders=[Order("key", lambda t: [t.c.key]), *record_orders()],
    default_order="key",
    scope=TenantWide(),
    description="A kind of edge a tenant allows, with the record types it may join.",
)
