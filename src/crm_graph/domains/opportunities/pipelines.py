"""Pipeline use cases: a pipeline and its ordered stages are written together.

Stage rules (so opportunityWin/opportunityLose always have one target, and every
pipeline has somewhere for new deals to start): at least one open stage, exactly one
won stage (probability 100) and exactly one lost stage (probability 0).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.opportunities.models import Opportunity, Pipeline, Stage
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.kernel.records import row_fields
from crm_graph.kernel.validation import Checker

PIPELINES: sa.Table = Pipeline.__table__
STAGES: sa.Table = Stage.__table__
OPPORTUNITIES: sa.Table = Opportunity.__table__
FIELDS = ("name", "is_default", "stale_after_days")
STAGE_FIELDS = ("name", "probability", "is_won", "is_lost")
MAX_STAGES = 30


def _normalize(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in FIELDS}
    if out.get("name") is not None:
        out["name"] = out["name"].strip()
    return out


def _normalize_stages(stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for given in stages:
        stage = {k: given.get(k) for k in ("id", *STAGE_FIELDS)}
        stage["name"] = (stage["name"] or "").strip()
        stage["is_won"], stage["is_lost"] = bool(stage["is_won"]), bool(stage["is_lost"])
        if stage["probability"] is None:
            stage["probability"] = 100 if stage["is_won"] else 0
        out.append(stage)
    return out


def _check_stages(check: Checker, stages: list[dict[str, Any]]) -> None:
    if not stages:
        check.fail("stages", "A pipeline needs at least one open, one won and one lost stage.", "REQUIRED")
        return
    if len(stages) > MAX_STAGES:
        check.fail("stages", f"At most {MAX_STAGES} stages.", "TOO_MANY")
    names: set[str] = set()
    ids: set[uuid.UUID] = set()
    for i, stage in enumerate(stages):
        at = ("stages", str(i))
        if stage["id"] is not None:
            if stage["id"] in ids:
                check.fail((*at, "id"), "This stage is listed twice.", "DUPLICATE")
            ids.add(stage["id"])
        if not stage["name"]:
            check.fail((*at, "name"), "Must not be blank.", "BLANK")
        elif len(stage["name"]) > 100:
            check.fail((*at, "name"), "At most 100 characters.", "TOO_LONG")
        elif stage["name"].lower() in names:
            check.fail((*at, "name"), "Another stage of this pipeline has this name.", "DUPLICATE")
        names.add(stage["name"].lower())
        if not 0 <= stage["probability"] <= 100:
            check.fail((*at, "probability"), "Must be between 0 and 100.", "OUT_OF_RANGE")
        if stage["is_won"] and stage["is_lost"]:
            check.fail((*at, "is_lost"), "A stage cannot be both won and lost.")
        elif stage["is_won"] and stage["probability"] != 100:
            check.fail((*at, "probability"), "The won stage has probability 100.", "OUT_OF_RANGE")
        elif stage["is_lost"] and stage["probability"] != 0:
            check.fail((*at, "probability"), "The lost stage has probability 0.", "OUT_OF_RANGE")
    if sum(s["is_won"] for s in stages) != 1:
        check.fail("stages", "Exactly one stage must be the won stage.", "WON_STAGE")
    if sum(s["is_lost"] for s in stages) != 1:
        check.fail("stages", "Exactly one stage must be the lost stage.", "LOST_STAGE")
    if all(s["is_won"] or s["is_lost"] for s in stages):
        check.fail("stages", "At least one stage must be open.", "OPEN_STAGE")


async def _validate(
    uow: UnitOfWork,
    values: dict[str, Any],
    stages: list[dict[str, Any]] | None,
    *,
    creating: bool,
    pipeline_id: uuid.UUID | None = None,
) -> None:
    check = Checker(values)
    check.text("name", required=creating or "name" in values, max_length=200)
    check.number("stale_after_days", low=1, high=3650)
    for key in ("is_default", "stale_after_days"):
        if key in values and values[key] is None:
            check.fail(key, "Cannot be null.", "REQUIRED")
    if stages is not None:
        _check_stages(check, stages)
    if check.given("name") and values["name"].strip():
        # The table's unique constraint would fail the transaction with a server error.
        taken = sa.select(PIPELINES.c.id).where(
            PIPELINES.c.tenant_id == uow.tenant_id,
            sa.func.lower(PIPELINES.c.name) == values["name"].lower(),
            PIPELINES.c.id != (pipeline_id or uuid.UUID(int=0)),
        )
        if (await uow.execute(taken)).first() is not None:
            check.fail("name", "Another pipeline has this name.", "DUPLICATE")
    check.done()


async def _lock_pipelines(uow: UnitOfWork) -> None:
    # Changing which pipeline is the default touches several rows: lock them all in
    # id order first, so two such changes cannot interleave or deadlock.
    stmt = sa.select(PIPELINES.c.id).where(PIPELINES.c.tenant_id == uow.tenant_id).order_by(PIPELINES.c.id)
    await uow.execute(stmt.with_for_update())


async def _undefault_others(uow: UnitOfWork, pipeline_id: uuid.UUID) -> None:
    stmt = sa.select(PIPELINES.c.id).where(
        PIPELINES.c.tenant_id == uow.tenant_id, PIPELINES.c.is_default, PIPELINES.c.id != pipeline_id
    )
    for (other_id,) in (await uow.execute(stmt)).all():
        await writes.update(uow, PIPELINES, "pipeline", other_id, {"is_default": False})


async def create_pipeline(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    stages = _normalize_stages(data.get("stages") or [])
    for i, stage in enumerate(stages):
        if stage["id"] is not None:
            raise Invalid([FieldProblem(("stages", str(i), "id"), "New pipelines have only new stages.")])
    await _validate(uow, values, stages, creating=True)
    if values.get("is_default"):
        await _lock_pipelines(uow)
    row = await writes.insert(uow, PIPELINES, "pipeline", values)
    if row["is_default"]:
        await _undefault_others(uow, row["id"])
    for position, stage in enumerate(stages, start=1):
        await writes.insert(uow, STAGES, "stage", _stage_values(stage, position) | {"pipeline_id": row["id"]})
    return row


def _stage_values(stage: Mapping[str, Any], position: int) -> dict[str, Any]:
    return {**{k: stage[k] for k in STAGE_FIELDS}, "position": position}


async def _current_stages(uow: UnitOfWork, pipeline_id: uuid.UUID) -> list[Mapping[str, Any]]:
    stmt = (
        sa.select(STAGES)
        .where(STAGES.c.pipeline_id == pipeline_id, STAGES.c.archived_at.is_(None))
        .order_by(STAGES.c.position)
    )
    return [row_fields(r) for r in (await uow.execute(stmt)).all()]


async def _opportunity_counts(uow: UnitOfWork, pipeline_id: uuid.UUID) -> dict[uuid.UUID, int]:
    # Archived opportunities count too: restoring one must not land it in a removed stage.
    stmt = (
        sa.select(OPPORTUNITIES.c.stage_id, sa.func.count())
        .where(OPPORTUNITIES.c.pipeline_id == pipeline_id)
        .group_by(OPPORTUNITIES.c.stage_id)
    )
    return {stage_id: n for stage_id, n in (await uow.execute(stmt)).all()}


def _kind(stage: Mapping[str, Any]) -> tuple[bool, bool]:
    return stage["is_won"], stage["is_lost"]


async def _check_stage_changes(
    uow: UnitOfWork, pipeline_id: uuid.UUID, current: list[Mapping[str, Any]], stages: list[dict[str, Any]]
) -> None:
    by_id = {s["id"]: s for s in current}
    counts = await _opportunity_counts(uow, pipeline_id)
    problems = []
    for i, stage in enumerate(stages):
        old = by_id.get(stage["id"]) if stage["id"] is not None else None
        if stage["id"] is not None and old is None:
            problems.append(
                FieldProblem(("stages", str(i), "id"), "No stage of this pipeline with this ID.", "NOT_FOUND")
            )
        elif old is not None and counts.get(old["id"]) and _kind(old) != _kind(stage):
            # Its opportunities' status would no longer match their stage.
            message = f"“{old['name']}” holds opportunities; it cannot change between open, won and lost."
            problems.append(FieldProblem(("stages", str(i), "is_won"), message, "STAGE_IN_USE"))
    kept = {s["id"] for s in stages}
    for old in current:
        if old["id"] not in kept and counts.get(old["id"]):
            message = f"“{old['name']}” holds {counts[old['id']]} opportunities; move them before removing it."
            problems.append(FieldProblem(("stages",), message, "STAGE_IN_USE"))
    if problems:
        raise Invalid(problems)


async def _apply_stages(
    uow: UnitOfWork, pipeline_id: uuid.UUID, current: list[Mapping[str, Any]], stages: list[dict[str, Any]]
) -> None:
    kept = {s["id"] for s in stages}
    for old in current:
        if old["id"] not in kept:
            # Archived, not deleted: stage history rows still point at it. Done as an
            # update, because removing a stage is part of updating its pipeline.
            await writes.update(uow, STAGES, "stage", old["id"], {"archived_at": sa.func.now()}, event="stage.archived")
    for position, stage in enumerate(stages, start=1):
        if stage["id"] is None:
            await writes.insert(uow, STAGES, "stage", _stage_values(stage, position) | {"pipeline_id": pipeline_id})
        else:
            await writes.update(uow, STAGES, "stage", stage["id"], _stage_values(stage, position))


def _summary(stages: list[Mapping[str, Any]]) -> list[str]:
    return [s["name"] for s in stages]


async def update_pipeline(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    stages = _normalize_stages(data["stages"]) if data.get("stages") is not None else None
    if values.get("is_default"):
        await _lock_pipelines(uow)
    before = await writes.load(uow, PIPELINES, "pipeline", data["id"])
    writes.check_version("pipeline", before, data.get("expected_version"))
    if before["archived_at"] is not None:
        raise Invalid([FieldProblem(("id",), "The pipeline is archived; restore it first.", "ARCHIVED")])
    await _validate(uow, values, stages, creating=False, pipeline_id=before["id"])
    if before["is_default"] and values.get("is_default") is False:
        raise Invalid([FieldProblem(("is_default",), "Make another pipeline the default instead.", "DEFAULT_REQUIRED")])
    stage_change = None
    if stages is not None:
        current = await _current_stages(uow, before["id"])
        await _check_stage_changes(uow, before["id"], current, stages)
        await _apply_stages(uow, before["id"], current, stages)
        after_stages = await _current_stages(uow, before["id"])
        if [dict(s) for s in after_stages] != [dict(s) for s in current]:
            stage_change = (_summary(current), _summary(after_stages))
    if values.get("is_default") and not before["is_default"]:
        await _undefault_others(uow, before["id"])
    return await _save(uow, before, values, stage_change)


async def _save(
    uow: UnitOfWork, before: Mapping[str, Any], values: dict[str, Any], stage_change: tuple[list[str], list[str]] | None
) -> Mapping[str, Any]:
    """One version bump and one `pipeline.updated` event for field and stage changes together."""
    if stage_change is None:
        return await writes.update(uow, PIPELINES, "pipeline", before["id"], values, before=before)
    changed = {k: v for k, v in values.items() if before[k] != v}
    stmt = (
        sa.update(PIPELINES)
        .where(PIPELINES.c.id == before["id"])
        .values(**changed, version=PIPELINES.c.version + 1, updated_at=sa.func.now())
        .returning(PIPELINES)
    )
    after = row_fields((await uow.execute(stmt)).one())
    changes: dict[str, tuple[Any, Any]] = {k: (before[k], after[k]) for k in changed}
    changes["stages"] = stage_change
    uow.emit("pipeline.updated", "pipeline", before["id"], after["version"], changes)
    return after
