"""Task use cases. Each runs in the caller's unit of work.

A task may link to one organization, contact, opportunity or lead (`record_type`,
`record_id`); it is done only through complete_task, so `task.completed` fires once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.tasks.models import Task, TaskStatus
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.kernel.validation import Checker, as_utc
from crm_graph.platform.identity.models import User
from crm_graph.readside.spec import Entity

TABLE: sa.Table = Task.__table__
FIELDS = ("title", "description", "due_at", "status", "assignee_id")
RECORD_TYPES = ("organization", "contact", "opportunity", "lead")
DONE = TaskStatus.DONE.value


def _normalize(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in FIELDS}
    if out.get("title") is not None:
        out["title"] = out["title"].strip()
    if "due_at" in out:
        out["due_at"] = as_utc(out["due_at"])
    return out


async def _validate(uow: UnitOfWork, values: dict[str, Any], *, creating: bool) -> None:
    check = Checker(values)
    check.text("title", required=creating or "title" in values, max_length=300)
    check.text("description", max_length=10_000)
    if "status" in values and values["status"] is None:
        check.fail("status", "Cannot be null.", "REQUIRED")
    elif values.get("status") == DONE:
        check.fail("status", "Complete a task with taskComplete.", "USE_TASK_COMPLETE")
    check.done()
    await writes.require_exists(uow, User.__table__, "user", values.get("assignee_id"), ("assignee_id",))


async def _record(uow: UnitOfWork, given: tuple[Entity, uuid.UUID] | None) -> dict[str, Any]:
    """The linked record's columns; `given` is the decoded global ID of any record."""
    if given is None:
        return {"record_type": None, "record_id": None}
    entity, id_ = given
    if entity.record_type not in RECORD_TYPES:
        raise Invalid(
            [
                FieldProblem(
                    ("record_id",), "A task links to an organization, contact, opportunity or lead.", "INVALID_ID"
                )
            ]
        )
    await writes.require_exists(uow, entity.table, entity.record_type, id_, ("record_id",))
    return {"record_type": entity.record_type, "record_id": id_}


async def create_task(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    if values.get("assignee_id") is None:  # the input's default is an explicit null
        values["assignee_id"] = actor.user_id
    await _validate(uow, values, creating=True)
    values.update(await _record(uow, data.get("record_id")))
    return await writes.insert(uow, TABLE, "task", values)


async def update_task(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    await _validate(uow, values, creating=False)
    if "record_id" in data:
        values.update(await _record(uow, data["record_id"]))
    before = await writes.load(uow, TABLE, "task", data["id"])
    if before["status"] == DONE and values.get("status", DONE) != DONE:
        values["completed_at"] = None  # reopened
    return await writes.update(
        uow, TABLE, "task", before["id"], values, expected_version=data.get("expected_version"), before=before
    )


async def complete_task(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    before = await writes.load(uow, TABLE, "task", data["id"])
    if before["status"] == DONE:
        # Idempotent, even with a stale version: a second click or a retried request
        # wanted exactly this state, so it is not a conflict.
        return before
    return await writes.update(
        uow,
        TABLE,
        "task",
        before["id"],
        {"status": DONE, "completed_at": sa.func.now()},
        expected_version=data.get("expected_version"),
        event="task.completed",
        before=before,
    )


archive_task, restore_task = writes.archive_use_cases(TABLE, "task")
