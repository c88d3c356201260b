"""Interaction (activity) mutations."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

import strawberry

from crm_graph.api.kit.builder import gql_enum
from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.mutations import archive_mutations, mutation
from crm_graph.domains.interactions import service
from crm_graph.domains.interactions.models import Direction, InteractionKind

gql_enum(InteractionKind)
gql_enum(Direction)
UNSET = strawberry.UNSET


@strawberry.input(description="Something that happened: a call, an email, a meeting, a note...")
class InteractionLogInput:
    kind: InteractionKind
    direction: Direction = Direction.OUTBOUND
    occurred_at: Optional[datetime] = strawberry.field(
        default=None, description="Defaults to now; without an offset, UTC."
    )
    subject: str
    body: Optional[str] = None
    duration_minutes: Optional[int] = None
    organization_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="Defaults to the opportunity's organization."
    )
    opportunity_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="The Opportunity it concerns; logging one keeps the deal from going stale."
    )
    lead_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="The Lead it was with; it counts in the lead's activity score."
    )
    contact_ids: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Global IDs of the Contacts who took part."
    )
    user_ids: Optional[list[strawberry.ID]] = strawberry.field(default=UNSET, description="Defaults to you.")


@strawberry.input(
    description="Only the fields you give change; null clears a field. "
    "contactIds and userIds, when given, replace that set of participants."
)
class InteractionUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = strawberry.field(
        default=None, description="Fail with Conflict if the record moved on."
    )
    kind: Optional[InteractionKind] = UNSET
    direction: Optional[Direction] = UNSET
    occurred_at: Optional[datetime] = UNSET
    subject: Optional[str] = UNSET
    body: Optional[str] = UNSET
    duration_minutes: Optional[int] = UNSET
    organization_id: Optional[strawberry.ID] = UNSET
    opportunity_id: Optional[strawberry.ID] = UNSET
    lead_id: Optional[strawberry.ID] = strawberry.field(default=UNSET, description="The Lead it was with.")
    contact_ids: Optional[list[strawberry.ID]] = strawberry.field(
        default=UNSET, description="Global IDs of the Contacts who took part: the whole new set."
    )
    user_ids: Optional[list[strawberry.ID]] = strawberry.field(
        default=UNSET, description="Global IDs of the Users who took part: the whole new set."
    )


INTERACTION_IDS = {
    "organization_id": "Organization",
    "opportunity_id": "Opportunity",
    "lead_id": "Lead",
    "contact_ids": "Contact",
    "user_ids": "User",
}

FIELDS = {
    "interaction_log": mutation(
        "interactionLog",
        InteractionLogInput,
        entity="Interaction",
        policy=Policy("interaction", "create"),
        handler=service.log_interaction,
        ids=INTERACTION_IDS,
        description="Record an interaction, owned by you.",
    ),
    "interaction_update": mutation(
        "interactionUpdate",
        InteractionUpdateInput,
        entity="Interaction",
        policy=Policy("interaction", "update"),
        handler=service.update_interaction,
        ids=INTERACTION_IDS,
        description="Change some fields or the participants of an interaction.",
    ),
    **archive_mutations("Interaction", (service.archive_interaction, service.restore_interaction)),
}
