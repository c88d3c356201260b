"""Opportunity use cases. Each runs in the caller's unit of work.

Stage and status change only through move_stage / win / lose, so every change of
stage leaves exactly one row in the stage history.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.contacts.models import Contact
from crm_graph.domains.opportunities.models import Opportunity, OpportunityStageChange, OpportunityStatus
from crm_graph.domains.opportunities.pipelines import PIPELINES, STAGES
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.kernel.records import row_fields
from crm_graph.kernel.validation import Checker
from crm_graph.platform.identity.models import User

TABLE: sa.Table = Opportunity.__table__
HISTORY: sa.Table = OpportunityStageChange.__table__
FIELDS = (
    "name",
    "organization_id",
    "primary_contact_id",
    "owner_id",
    "amount",
    "currency",
    "probability",
    "expected_close_date",
    "source",
)
MAX_AMOUNT = Decimal("1e12")  # the column is NUMERIC(14, 2)
OPEN, WON, LOST = (s.value for s in OpportunityStatus)


def _normalize(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in FIELDS}
    for key in ("name", "source"):
        if out.get(key) is not None:
            out[key] = out[key].strip()
    if out.get("currency") is not None:
        out["currency"] = out["currency"].strip().upper()
    return out


def _check_amount(check: Checker, amount: Decimal | None) -> None:
    if amount is None:
        return
    if not amount.is_finite():
        check.fail("amount", "Must be a number.")
    elif amount < 0:
        check.fail("amount", "Must be at least 0.", "OUT_OF_RANGE")
    elif amount >= MAX_AMOUNT:
        check.fail("amount", f"Must be less than {MAX_AMOUNT:,.0f}.", "OUT_OF_RANGE")
    elif int(amount.as_tuple().exponent) < -2 and amount != amount.quantize(Decimal("0.01")):
        check.fail("amount", "At most 2 decimal places.", "INVALID")


async def _validate(
    uow: UnitOfWork, data: dict[str, Any], *, creating: bool, current: Mapping[str, Any] | None = None
) -> None:
    check = Checker(data)
    check.text("name", required=creating or "name" in data, max_length=200)
    _check_amount(check, data.get("amount"))
    check.code("currency", 3, "ISO 4217 currency")
    check.number("probability", low=0, high=100)
    check.text("source", max_length=100)
    check.done()
    await writes.require_exists(uow, User.__table__, "user", data.get("owner_id"), ("owner_id",))
    await writes.require_exists(
        uow, Organization.__table__, "organization", data.get("organization_id"), ("organization_id",)
    )
    # Judge the pair as it will be stored: an update may give only one of the two.
    contact_id = (
        data["primary_contact_id"] if "primary_contact_id" in data else (current or {}).get("primary_contact_id")
    )
    contact = await writes.require_exists(uow, Contact.__table__, "contact", contact_id, ("primary_contact_id",))
    organization_id = data["organization_id"] if "organization_id" in data else (current or {}).get("organization_id")
    if contact is not None and organization_id is not None and contact["organization_id"] != organization_id:
        field = "primary_contact_id" if "primary_contact_id" in data else "organization_id"
        raise Invalid([FieldProblem((field,), "The primary contact does not belong to the organization.", "MISMATCH")])


async def _pipeline(uow: UnitOfWork, pipeline_id: uuid.UUID | None) -> Mapping[str, Any]:
    if pipeline_id is not None:
        found = await writes.require_exists(uow, PIPELINES, "pipeline", pipeline_id, ("pipeline_id",))
        assert found is not None
        return found
    stmt = sa.select(PIPELINES).where(
        PIPELINES.c.tenant_id == uow.tenant_id, PIPELINES.c.is_default, PIPELINES.c.archived_at.is_(None)
    )
    row = (await uow.execute(stmt)).first()
    if row is None:
        raise Invalid([FieldProblem(("pipeline_id",), "There is no default pipeline; give one.", "REQUIRED")])
    return row_fields(row)


async def _stage(uow: UnitOfWork, pipeline: Mapping[str, Any], stage_id: uuid.UUID | None) -> Mapping[str, Any]:
    """The given stage, checked to be in the pipeline; else the pipeline's first open stage."""
    if stage_id is None:
        stmt = (
            sa.select(STAGES)
            .where(
                STAGES.c.pipeline_id == pipeline["id"],
                STAGES.c.archived_at.is_(None),
                ~STAGES.c.is_won,
                ~STAGES.c.is_lost,
            )
            .order_by(STAGES.c.position)
            .limit(1)
        )
        row = (await uow.execute(stmt)).first()
        if row is None:
            raise Invalid([FieldProblem(("pipeline_id",), "The pipeline has no open stage.", "OPEN_STAGE")])
        return row_fields(row)
    stage = await writes.require_exists(uow, STAGES, "stage", stage_id, ("stage_id",))
    assert stage is not None
    if stage["pipeline_id"] != pipeline["id"]:
        raise Invalid(
            [FieldProblem(("stage_id",), "The stage is not in the opportunity's pipeline.", "WRONG_PIPELINE")]
        )
    return stage


def _stage_change(
    uow: UnitOfWork, opportunity_id: uuid.UUID, from_stage: uuid.UUID | None, to_stage: uuid.UUID
) -> sa.Insert:
    # Written directly: the opportunity's own event already reports the move.
    return sa.insert(HISTORY).values(
        id=uuid.uuid4(),
        tenant_id=uow.tenant_id,
        opportunity_id=opportunity_id,
        from_stage_id=from_stage,
        to_stage_id=to_stage,
        changed_by_id=uow.actor_id,
        changed_at=sa.func.now(),
    )


async def _record_stage_change(
    uow: UnitOfWork, opportunity_id: uuid.UUID, from_stage: uuid.UUID | None, to_stage: uuid.UUID
) -> None:
    await uow.execute(_stage_change(uow, opportunity_id, from_stage, to_stage))


async def create_opportunity(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    if values.get("owner_id") is None:  # the input's default is an explicit null
        values["owner_id"] = actor.user_id
    if values.get("currency") is None:
        values["currency"] = "USD"
    await _validate(uow, values, creating=True)
    pipeline = await _pipeline(uow, data.get("pipeline_id"))
    stage = await _stage(uow, pipeline, data.get("stage_id"))
    if stage["is_won"] or stage["is_lost"]:
        # A lost deal needs its reason: close through opportunityWin / opportunityLose.
        raise Invalid([FieldProblem(("stage_id",), "New opportunities start in an open stage.", "STAGE_CLOSED")])
    if values.get("probability") is None:
        values["probability"] = stage["probability"]
    values.update(pipeline_id=pipeline["id"], stage_id=stage["id"], status=OPEN)
    row = await writes.insert(uow, TABLE, "opportunity", values)
    await _record_stage_change(uow, row["id"], None, stage["id"])
    return row


async def update_opportunity(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    before = await writes.load(uow, TABLE, "opportunity", data["id"])
    await _validate(uow, values, creating=False, current=before)
    return await writes.update(
        uow, TABLE, "opportunity", data["id"], values, expected_version=data.get("expected_version"), before=before
    )


async def _load(uow: UnitOfWork, data: dict[str, Any]) -> Mapping[str, Any]:
    """The locked row, with a stale expectedVersion reported before anything else."""
    before = await writes.load(uow, TABLE, "opportunity", data["id"])
    writes.check_version("opportunity", before, data.get("expected_version"))
    return before


async def _move(
    uow: UnitOfWork, before: Mapping[str, Any], stage: Mapping[str, Any], changes: dict[str, Any], event: str
) -> Mapping[str, Any]:
    status = WON if stage["is_won"] else LOST if stage["is_lost"] else OPEN
    changes = {"stage_id": stage["id"], "status": status, "lost_reason": None, **changes}
    if status == OPEN:
        changes["closed_at"] = None
    elif before["status"] != status:
        changes["closed_at"] = sa.func.now()
    # The stage history row goes with the update, in the same statement.
    history = (
        _stage_change(uow, before["id"], before["stage_id"], stage["id"]) if before["stage_id"] != stage["id"] else None
    )
    return await writes.update(
        uow, TABLE, "opportunity", before["id"], changes, event=event, before=before, alongside=history
    )


async def move_stage(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    # The opportunity (locked) and the target stage in one statement; errors in the
    # order _load then _stage give them.
    before, found = await writes.load_with_reference(
        uow, TABLE, "opportunity", data["id"], STAGES, "stage", data["stage_id"]
    )
    writes.check_version("opportunity", before, data.get("expected_version"))
    stage = writes.referenced(uow, STAGES, "stage", found, ("stage_id",))
    if stage["pipeline_id"] != before["pipeline_id"]:
        raise Invalid(
            [FieldProblem(("stage_id",), "The stage is not in the opportunity's pipeline.", "WRONG_PIPELINE")]
        )
    if stage["id"] == before["stage_id"]:
        return before
    if stage["is_lost"]:
        # A lost deal always says why: that is opportunityLose's job.
        raise Invalid(
            [FieldProblem(("stage_id",), "Use opportunityLose, which records the reason.", "USE_OPPORTUNITY_LOSE")]
        )
    # The forecast follows the stage, as when a deal is dragged across a board.
    return await _move(uow, before, stage, {"probability": stage["probability"]}, "opportunity.stage_changed")


async def _closing_stage(uow: UnitOfWork, before: Mapping[str, Any], column: sa.Column[bool]) -> Mapping[str, Any]:
    if before["status"] != OPEN:
        raise Invalid(
            [
                FieldProblem(
                    ("id",),
                    f"The opportunity is already {before['status']}; move it to an open stage to reopen it.",
                    "ALREADY_CLOSED",
                )
            ]
        )
    stmt = (
        sa.select(STAGES)
        .where(STAGES.c.pipeline_id == before["pipeline_id"], STAGES.c.archived_at.is_(None), column)
        .order_by(STAGES.c.position)
        .limit(1)
    )
    row = (await uow.execute(stmt)).first()
    if row is None:
        raise Invalid([FieldProblem(("id",), "The opportunity's pipeline has no such closing stage.", "NO_STAGE")])
    return row_fields(row)


async def win(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    before = await _load(uow, data)
    stage = await _closing_stage(uow, before, STAGES.c.is_won)
    return await _move(uow, before, stage, {"probability": 100}, "opportunity.won")


async def lose(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    reason = (data.get("lost_reason") or "").strip()
    check = Checker({"lost_reason": reason})
    check.text("lost_reason", required=True, max_length=500)
    check.done()
    before = await _load(uow, data)
    stage = await _closing_stage(uow, before, STAGES.c.is_lost)
    return await _move(uow, before, stage, {"probability": 0, "lost_reason": reason}, "opportunity.lost")


archive_opportunity, restore_opportunity = writes.archive_use_cases(TABLE, "opportunity")
