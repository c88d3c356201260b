"""Pipeline and opportunity mutations."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Optional

import strawberry

from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.mutations import archive_mutations, mutation
from crm_graph.domains.opportunities import pipelines, service
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.readside.ids import from_global_id

UNSET = strawberry.UNSET


@strawberry.input(description="One stage, in pipeline order.")
class PipelineStageInput:
    id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="An existing stage of this pipeline (kept, renamed or moved); omit for a new stage."
    )
    name: str = strawberry.field(description="Name of the stage, e.g. Proposal.")
    probability: Optional[int] = strawberry.field(
        default=None, description="Percent; defaults to 100 for the won stage, else 0."
    )
    is_won: bool = strawberry.field(default=False, description="Reaching this stage wins the deal.")
    is_lost: bool = strawberry.field(default=False, description="Reaching this stage loses the deal.")


@strawberry.input(
    description="Stages: at least one open, exactly one won (probability 100) and one lost (probability 0)."
)
class PipelineCreateInput:
    name: str
    is_default: bool = strawberry.field(default=False, description="Making it the default un-defaults the others.")
    stale_after_days: int = 14
    stages: list[PipelineStageInput] = strawberry.field(description="Its stages, in order.")


@strawberry.input(
    description="Only the fields you give change. `stages`, when given, is the whole new ordered list: "
    "stages left out are removed, which fails while they hold opportunities."
)
class PipelineUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = strawberry.field(
        default=None, description="Fail with Conflict if the record moved on."
    )
    name: Optional[str] = UNSET
    is_default: Optional[bool] = UNSET
    stale_after_days: Optional[int] = UNSET
    stages: Optional[list[PipelineStageInput]] = strawberry.field(
        default=UNSET, description="The whole new ordered list of stages."
    )


@strawberry.input(description="A new opportunity; only the name is required.")
class OpportunityCreateInput:
    name: str
    organization_id: Optional[strawberry.ID] = None
    primary_contact_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="Must work at the organization."
    )
    owner_id: Optional[strawberry.ID] = strawberry.field(default=None, description="Defaults to you.")
    pipeline_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="Defaults to the default pipeline."
    )
    stage_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="An open stage of the pipeline; defaults to its first."
    )
    amount: Optional[Decimal] = strawberry.field(
        default=None, description="Expected value in `currency`; giving it needs the right to write opportunity.amount."
    )
    currency: str = strawberry.field(default="USD", description="ISO 4217 code.")
    probability: Optional[int] = strawberry.field(default=None, description="Percent; defaults to the stage's.")
    expected_close_date: Optional[date] = None
    source: Optional[str] = None


@strawberry.input(
    description="Only the fields you give change; null clears a field. "
    "Stage and status change through opportunityMoveStage, opportunityWin and opportunityLose."
)
class OpportunityUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = strawberry.field(
        default=None, description="Fail with Conflict if the record moved on."
    )
    name: Optional[str] = UNSET
    organization_id: Optional[strawberry.ID] = UNSET
    primary_contact_id: Optional[strawberry.ID] = UNSET
    owner_id: Optional[strawberry.ID] = UNSET
    amount: Optional[Decimal] = strawberry.field(
        default=UNSET, description="Expected value in `currency`; needs the right to write opportunity.amount."
    )
    currency: Optional[str] = UNSET
    probability: Optional[int] = UNSET
    expected_close_date: Optional[date] = UNSET
    source: Optional[str] = UNSET


@strawberry.input(
    description="A won or lost stage closes the opportunity; an open one reopens it. Probability becomes the stage's."
)
class OpportunityMoveStageInput:
    id: strawberry.ID
    stage_id: strawberry.ID = strawberry.field(description="Global ID of a stage of the opportunity's pipeline.")
    expected_version: Optional[int] = None


@strawberry.input(description="Close an open opportunity as won.")
class OpportunityWinInput:
    id: strawberry.ID
    expected_version: Optional[int] = None


@strawberry.input(description="Close an open opportunity as lost.")
class OpportunityLoseInput:
    id: strawberry.ID
    lost_reason: str
    expected_version: Optional[int] = None


def _decode_stage_ids(data: dict[str, Any]) -> dict[str, Any]:
    """Nested inputs are not decoded by `mutation(ids=...)`: stage IDs are done here."""
    problems = []
    for i, stage in enumerate(data.get("stages") or []):
        if stage.get("id") is None:
            continue
        found = from_global_id(stage["id"])
        if found is None or found[0].name != "Stage":
            problems.append(FieldProblem(("stages", str(i), "id"), "Not the ID of a Stage.", "INVALID_ID"))
        else:
            stage["id"] = found[1]
    if problems:
        raise Invalid(problems)
    return data


async def _create_pipeline(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    return await pipelines.create_pipeline(uow, actor, _decode_stage_ids(data))


async def _update_pipeline(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    return await pipelines.update_pipeline(uow, actor, _decode_stage_ids(data))


IDS = {
    "organization_id": "Organization",
    "primary_contact_id": "Contact",
    "owner_id": "User",
    "pipeline_id": "Pipeline",
    "stage_id": "Stage",
}
UPDATE = Policy("opportunity", "update")

FIELDS = {
    "pipeline_create": mutation(
        "pipelineCreate",
        PipelineCreateInput,
        entity="Pipeline",
        policy=Policy("pipeline", "create"),
        handler=_create_pipeline,
        description="Create a pipeline with its stages.",
    ),
    "pipeline_update": mutation(
        "pipelineUpdate",
        PipelineUpdateInput,
        entity="Pipeline",
        policy=Policy("pipeline", "update"),
        handler=_update_pipeline,
        description="Rename a pipeline, change its settings, or reorder, add and remove its stages.",
    ),
    "opportunity_create": mutation(
        "opportunityCreate",
        OpportunityCreateInput,
        entity="Opportunity",
        policy=Policy("opportunity", "create"),
        handler=service.create_opportunity,
        ids=IDS,
        description="Create an opportunity in a pipeline, owned by you unless ownerId says otherwise.",
    ),
    "opportunity_update": mutation(
        "opportunityUpdate",
        OpportunityUpdateInput,
        entity="Opportunity",
        policy=UPDATE,
        handler=service.update_opportunity,
        ids=IDS,
        description="Change some fields of an opportunity; changing the amount needs the right to write it.",
    ),
    "opportunity_move_stage": mutation(
        "opportunityMoveStage",
        OpportunityMoveStageInput,
        entity="Opportunity",
        policy=UPDATE,
        handler=service.move_stage,
        ids={"stage_id": "Stage"},
        description="Move an opportunity to another stage of its pipeline; recorded in its stageHistory.",
    ),
    "opportunity_win": mutation(
        "opportunityWin",
        OpportunityWinInput,
        entity="Opportunity",
        policy=UPDATE,
        handler=service.win,
        description="Close an opportunity as won: it moves to its pipeline's won stage.",
    ),
    "opportunity_lose": mutation(
        "opportunityLose",
        OpportunityLoseInput,
        entity="Opportunity",
        policy=UPDATE,
        handler=service.lose,
        description="Close an opportunity as lost, with the reason: it moves to its pipeline's lost stage.",
    ),
    **archive_mutations("Opportunity", (service.archive_opportunity, service.restore_opportunity)),
}
