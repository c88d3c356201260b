"""Read declarations for edges, and the graph queries (neighbors, shortest path).

Graph traversal runs in PostgreSQL as recursive CTEs over the edge table, treating
every edge as traversable both ways; the row scope of each endpoint type is applied
to the nodes reached, so a path never passes through a record the actor cannot see.
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Any, ClassVar

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
    """Which relationships of a record to list, relative to that record."""

    OUTGOING = "outgoing"
    INCOMING = "incoming"
    BOTH = "both"

    __descriptions__: ClassVar[dict[str, str]] = {  # GraphQL descriptions of the values (api.kit.builder.gql_enum)
        "OUTGOING": "Those where the record is the source.",
        "INCOMING": "Those where the record is the target.",
        "BOTH": "Either way.",
    }


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
            Arg("kinds", list[str] | None, None, "Only edges of these kind keys; all kinds when omitted."),
            Arg("direction", EdgeDirection, EdgeDirection.BOTH, "Edges from this record, to it, or both."),
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
        Col("source_type", str, description="Record type of the source: organization, contact or opportunity."),
        Col("target_type", str, description="Record type of the target: organization, contact or opportunity."),
        Col("strength", float | None, description="0 to 1."),
        Col("since", date | None, description="When the relationship began (a calendar date), if known."),
        Col("until", date | None, description="When it ended (a calendar date); null while it lasts."),
        Col("note", str | None, description="Free text about the relationship."),
        *record_fields(),
    ],
    refs=[
        Ref(
            "source",
            None,
            "source_id",
            type_column="source_type",
            record_types=models.ENDPOINT_TYPES,
            description="The record the edge starts from (read it as: source <label> target).",
        ),
        Ref(
            "target",
            None,
            "target_id",
            type_column="target_type",
            record_types=models.ENDPOINT_TYPES,
            description="The record the edge points to.",
        ),
    ],
    filters=[
        Filter("kinds", FilterOp.EQ_ANY, ("kind",), str, description="Edges of any of these kind keys."),
        *record_filters(),
    ],
    orders=[
        Order(
            "strength",
            lambda t: [sa.func.coalesce(t.c.strength, -1.0)],
            description="By strength; unknown strengths sort as weakest.",
        ),
        *record_orders(),
    ],
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
        Col("key", str, description="Stable identifier used in Relationship.kind, e.g. partner_of."),
        Col("label", str, description="How to read an edge from source to target, e.g. partner of."),
        Col(
            "inverse_label",
            str,
            description="How to read it from target to source, e.g. partner of, or employs for works at.",
        ),
        Col("source_types", list[str], description="Record types allowed as source."),
        Col("target_types", list[str], description="Record types allowed as target."),
        Col("symmetric", bool, description="The edge means the same both ways (A partner of B is B partner of A)."),
        Col("built_in", bool, description="Shipped with crm-graph and present for every tenant; it cannot be changed."),
        *record_fields(),
    ],
    orders=[Order("key", lambda t: [t.c.key], description="By key."), *record_orders()],
    default_order="key",
    scope=TenantWide(),
    description="A kind of edge a tenant allows, with the record types it may join.",
)
