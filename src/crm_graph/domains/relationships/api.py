"""Relationship (edge) and relationship kind mutations."""

from __future__ import annotations

import datetime
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from crm_graph.api.kit.builder import gql_enum
from crm_graph.api.kit.fields import Policy, root_field
from crm_graph.api.kit.mutations import ANY_NODE, UserError, input_data, mutation, to_errors
from crm_graph.domains.relationships import service
from crm_graph.domains.relationships.api_graph import resolve_relationship_path
from crm_graph.domains.relationships.models import RecordType
from crm_graph.kernel.errors import UseCaseError
from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import entity as entity_named

gql_enum(RecordType)
UNSET = strawberry.UNSET


@strawberry.input(description="An edge `<source> <kind label> <target>`; see relationshipKinds for what may join what.")
class RelationshipCreateInput:
    kind: str = strawberry.field(description="Key of a relationship kind, e.g. works_at.")
    source_id: strawberry.ID = strawberry.field(description="Global ID of the record the edge starts from.")
    target_id: strawberry.ID = strawberry.field(description="Global ID of the record it points to.")
    strength: Optional[float] = strawberry.field(default=None, description="0 to 1.")
    since: Optional[datetime.date] = None
    until: Optional[datetime.date] = None
    note: Optional[str] = None


@strawberry.input(description="Only the fields you give change; null clears a field. Kind and endpoints are fixed.")
class RelationshipUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = strawberry.field(
        default=None, description="Fail with Conflict if the edge moved on."
    )
    strength: Optional[float] = UNSET
    since: Optional[datetime.date] = UNSET
    until: Optional[datetime.date] = UNSET
    note: Optional[str] = UNSET


@strawberry.input(description="The edge to delete.")
class RelationshipDeleteInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the Relationship.")
    expected_version: Optional[int] = strawberry.field(
        default=None, description="The version you last read; refused with Conflict if the edge moved on since."
    )


@strawberry.input(description="A kind of edge of this workspace's own.")
class RelationshipKindCreateInput:
    key: str = strawberry.field(description="Lower snake case, unique in the workspace, e.g. mentor_of.")
    label: str = strawberry.field(description="Read from the source: <source> <label> <target>.")
    inverse_label: Optional[str] = strawberry.field(
        default=None, description="Read from the target; defaults to label."
    )
    source_types: list[RecordType] = strawberry.field(
        default_factory=list, description="Record types allowed as source; all by default."
    )
    target_types: list[RecordType] = strawberry.field(
        default_factory=list, description="Record types allowed as target; all by default."
    )
    symmetric: bool = strawberry.field(default=False, description="Means the same both ways (e.g. knows).")


@strawberry.type(description="Result of relationshipDelete: the deleted edge's ID on success, else the errors.")
class RelationshipDeletePayload:
    deleted_id: Optional[strawberry.ID] = strawberry.field(description="Global ID the edge had; null on errors.")
    errors: list[UserError] = strawberry.field(description="Why nothing was deleted; empty on success.")


async def relationship_delete(
    info: Info, input: Annotated[RelationshipDeleteInput, strawberry.argument(description="The edge to delete.")]
) -> RelationshipDeletePayload:
    # Hand-made rather than `mutation()`: a deleted edge has no node left to return.
    ctx = info.context
    try:
        data = input_data(input, {"id": "Relationship"})
        async with ctx.db.unit_of_work(ctx.actor) as uow:
            row = await service.delete_relationship(uow, ctx.actor, data)
    except UseCaseError as exc:
        return RelationshipDeletePayload(deleted_id=None, errors=to_errors(exc))
    deleted = strawberry.ID(to_global_id(entity_named("Relationship"), row["id"]))
    return RelationshipDeletePayload(deleted_id=deleted, errors=[])


FIELDS = {
    "relationship_create": mutation(
        "relationshipCreate",
        RelationshipCreateInput,
        entity="Relationship",
        policy=Policy("relationship", "create"),
        handler=service.create_relationship,
        ids={"source_id": ANY_NODE, "target_id": ANY_NODE},
        description="Join two records by an edge of a kind that allows their types.",
    ),
    "relationship_update": mutation(
        "relationshipUpdate",
        RelationshipUpdateInput,
        entity="Relationship",
        policy=Policy("relationship", "update"),
        handler=service.update_relationship,
        description="Change the strength, dates or note of an edge.",
    ),
    "relationship_delete": root_field(
        resolver=relationship_delete,
        policy=Policy("relationship", "delete"),
        name="relationshipDelete",
        description="Delete an edge for good.",
    ),
    "relationship_kind_create": mutation(
        "relationshipKindCreate",
        RelationshipKindCreateInput,
        entity="RelationshipKind",
        policy=Policy("relationship_kind", "create"),
        handler=service.create_relationship_kind,
        description="Add a kind of edge for this workspace.",
    ),
}

QUERY_FIELDS = {
    "relationship_path": root_field(
        resolver=resolve_relationship_path,
        policy=Policy("relationship", "read"),
        description="The shortest chain of edges between two records (a warm introduction), or null.",
    ),
}
