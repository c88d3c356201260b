"""Edge and edge-kind use cases. Each runs in the caller's unit of work.

An edge's kind and endpoints are its identity: they are fixed at creation, and an edge
that should join other records is deleted and created again. Only a merge re-points
endpoints (`move_endpoints`), because there the records themselves become one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.relationships import models
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.kernel.records import row_fields
from crm_graph.kernel.validation import Checker
from crm_graph.readside.spec import Entity

EDGES = models.Relationship.__table__
KINDS = models.RelationshipKind.__table__
EDGE_FIELDS = ("strength", "since", "until", "note")
KEY = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
Endpoint = tuple[Entity, uuid.UUID]  # a decoded global ID (mutations.ANY_NODE)


async def _lock(uow: UnitOfWork, *parts: object) -> None:
    """A transaction-scoped advisory lock on a name. The duplicate checks below read
    before they write; without the lock two concurrent requests could both pass the
    check (for symmetric kinds the unique constraint cannot catch the reversed pair)."""
    name = ":".join(str(p) for p in (uow.tenant_id, *parts))
    await uow.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtextextended(name, 0))))


def _check_edge_fields(check: Checker, values: Mapping[str, Any]) -> None:
    check.number("strength", low=0, high=1)
    check.text("note", max_length=2000)
    since, until = values.get("since"), values.get("until")
    if since is not None and until is not None and since > until:
        check.fail("until" if check.given("until") else "since", "`until` must not be before `since`.", "OUT_OF_RANGE")


def _types(allowed: Sequence[str]) -> str:
    return " or ".join(allowed)


async def _kind(uow: UnitOfWork, key: str) -> Mapping[str, Any] | None:
    stmt = sa.select(KINDS).where(KINDS.c.tenant_id == uow.tenant_id, KINDS.c.key == key, KINDS.c.archived_at.is_(None))
    row = (await uow.execute(stmt)).first()
    return None if row is None else row_fields(row)


async def _require_endpoints(uow: UnitOfWork, source: Endpoint, target: Endpoint) -> None:
    problems: list[FieldProblem] = []
    for field, (entity, id_) in (("source_id", source), ("target_id", target)):
        try:
            await writes.require_exists(uow, entity.table, entity.record_type, id_, (field,))
        except Invalid as exc:
            problems.extend(exc.problems)
    if problems:
        raise Invalid(problems)


async def _refuse_duplicate(uow: UnitOfWork, kind: Mapping[str, Any], source: uuid.UUID, target: uuid.UUID) -> None:
    ends = sorted((source, target), key=str) if kind["symmetric"] else [source, target]
    await _lock(uow, "relationship", kind["key"], *ends)
    pair = sa.and_(EDGES.c.source_id == source, EDGES.c.target_id == target)
    if kind["symmetric"]:
        pair = sa.or_(pair, sa.and_(EDGES.c.source_id == target, EDGES.c.target_id == source))
    stmt = sa.select(EDGES.c.id).where(EDGES.c.tenant_id == uow.tenant_id, EDGES.c.kind == kind["key"], pair)
    if (await uow.execute(stmt)).first() is not None:
        raise Invalid(
            [FieldProblem(("target_id",), f"These records are already joined by a {kind['key']} edge.", "DUPLICATE")]
        )


async def create_relationship(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    source: Endpoint = data["source_id"]
    target: Endpoint = data["target_id"]
    values = {k: data.get(k) for k in EDGE_FIELDS}
    if isinstance(values["note"], str):
        values["note"] = values["note"].strip() or None
    key = (data.get("kind") or "").strip()
    kind = await _kind(uow, key)
    check = Checker(values)
    if kind is None:
        check.fail("kind", f"No relationship kind `{key}` here; see relationshipKinds.", "NOT_FOUND")
    else:
        for field, (entity, _), allowed, verb in (
            ("source_id", source, kind["source_types"], "starts at"),
            ("target_id", target, kind["target_types"], "ends at"),
        ):
            if entity.record_type not in allowed:
                message = f"A {key} edge {verb} {_types(allowed)} records, not {entity.record_type} records."
                check.fail(field, message, "WRONG_TYPE")
    if source[1] == target[1]:
        check.fail("target_id", "An edge cannot join a record to itself.", "SELF_EDGE")
    _check_edge_fields(check, values)
    check.done()
    assert kind is not None
    await _require_endpoints(uow, source, target)
    await _refuse_duplicate(uow, kind, source[1], target[1])
    values |= {
        "kind": key,
        "source_type": source[0].record_type,
        "source_id": source[1],
        "target_type": target[0].record_type,
        "target_id": target[1],
    }
    return await writes.insert(uow, EDGES, "relationship", values)


async def update_relationship(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    before = await writes.load(uow, EDGES, "relationship", data["id"])
    changes = {k: data[k] for k in EDGE_FIELDS if k in data}
    if isinstance(changes.get("note"), str):
        changes["note"] = changes["note"].strip() or None
    check = Checker(changes)
    # The date order is checked against the edge as it will be, not just the input.
    _check_edge_fields(check, {"since": before["since"], "until": before["until"], **changes})
    check.done()
    return await writes.update(
        uow, EDGES, "relationship", data["id"], changes, expected_version=data.get("expected_version"), before=before
    )


def _emit_deleted(uow: UnitOfWork, row: Mapping[str, Any]) -> None:
    ends = ("kind", "source_type", "source_id", "target_type", "target_id")
    uow.emit("relationship.deleted", "relationship", row["id"], row["version"], {k: (row[k], None) for k in ends})


async def delete_relationship(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """A hard delete: an edge has no history worth keeping once its endpoints part."""
    row = await writes.load(uow, EDGES, "relationship", data["id"], action="delete")
    writes.check_version("relationship", row, data.get("expected_version"))
    await uow.execute(sa.delete(EDGES).where(EDGES.c.id == row["id"]))
    _emit_deleted(uow, row)
    return row


async def move_endpoints(uow: UnitOfWork, old_ids: Sequence[uuid.UUID], new_id: uuid.UUID) -> None:
    """Re-point every edge touching `old_ids` at `new_id` (records of the same type,
    being merged). Edges that would join `new_id` to itself, or repeat an edge of the
    same kind between the same records, are deleted: `new_id`'s own edges win, then
    the oldest."""
    old = set(old_ids)
    touching = [new_id, *old_ids]
    stmt = (
        sa.select(EDGES)
        .where(
            EDGES.c.tenant_id == uow.tenant_id, sa.or_(EDGES.c.source_id.in_(touching), EDGES.c.target_id.in_(touching))
        )
        .order_by(EDGES.c.created_at, EDGES.c.id)
        .with_for_update()
    )
    rows = [row_fields(r) for r in (await uow.execute(stmt)).all()]
    kinds = {r["kind"] for r in rows}
    symmetric_stmt = sa.select(KINDS.c.key).where(
        KINDS.c.tenant_id == uow.tenant_id, KINDS.c.key.in_(kinds), KINDS.c.symmetric
    )
    symmetric = set((await uow.execute(symmetric_stmt)).scalars()) if kinds else set()

    def identity(kind: str, source: uuid.UUID, target: uuid.UUID) -> tuple[Any, ...]:
        return (kind, *sorted((source, target), key=str)) if kind in symmetric else (kind, source, target)

    moving = [r for r in rows if r["source_id"] in old or r["target_id"] in old]
    moving_ids = {r["id"] for r in moving}
    seen = {identity(r["kind"], r["source_id"], r["target_id"]) for r in rows if r["id"] not in moving_ids}
    keep: list[Mapping[str, Any]] = []
    drop: list[Mapping[str, Any]] = []
    for r in moving:
        source = new_id if r["source_id"] in old else r["source_id"]
        target = new_id if r["target_id"] in old else r["target_id"]
        key = identity(r["kind"], source, target)
        if source == target or key in seen:
            drop.append(r)
        else:
            seen.add(key)
            keep.append(r)
    if drop:
        await uow.execute(sa.delete(EDGES).where(EDGES.c.id.in_([r["id"] for r in drop])))
        for r in drop:
            _emit_deleted(uow, r)
    if not keep:
        return
    # Deleted first, so no intermediate row of this UPDATE can collide with the unique key.
    update = (
        sa.update(EDGES)
        .where(EDGES.c.id.in_([r["id"] for r in keep]))
        .values(
            source_id=sa.case((EDGES.c.source_id.in_(old_ids), new_id), else_=EDGES.c.source_id),
            target_id=sa.case((EDGES.c.target_id.in_(old_ids), new_id), else_=EDGES.c.target_id),
            version=EDGES.c.version + 1,
            updated_at=sa.func.now(),
        )
        .returning(EDGES.c.id, EDGES.c.version, EDGES.c.source_id, EDGES.c.target_id)
    )
    before = {r["id"]: r for r in keep}
    for row in (await uow.execute(update)).all():
        b = before[row.id]
        changes = {k: (b[k], row._mapping[k]) for k in ("source_id", "target_id") if b[k] != row._mapping[k]}
        uow.emit("relationship.updated", "relationship", row.id, row.version, changes)


async def create_relationship_kind(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    label = (data.get("label") or "").strip()
    values: dict[str, Any] = {
        "key": (data.get("key") or "").strip(),
        "label": label,
        # Symmetric kinds read the same both ways, so the label is the usual inverse.
        "inverse_label": (data.get("inverse_label") or "").strip() or label,
        "source_types": list(dict.fromkeys(data.get("source_types") or [])),
        "target_types": list(dict.fromkeys(data.get("target_types") or [])),
        "symmetric": bool(data.get("symmetric")),
        "built_in": False,
    }
    check = Checker(values)
    check.text("key", required=True, max_length=64)
    if values["key"] and not KEY.fullmatch(values["key"]):
        check.fail("key", "Use lower snake case, e.g. `mentor_of`.", "INVALID")
    check.text("label", required=True, max_length=100)
    check.text("inverse_label", max_length=100)
    for field in ("source_types", "target_types"):
        if not values[field]:
            check.fail(field, "Name at least one record type.", "REQUIRED")
    if values["symmetric"] and set(values["source_types"]) != set(values["target_types"]):
        check.fail("target_types", "A symmetric kind joins the same record types at both ends.", "INVALID")
    check.done()
    await _lock(uow, "relationship_kind", values["key"])
    # Archived kinds keep their key (edges still name it), so they count as taken.
    taken = sa.select(KINDS.c.id).where(KINDS.c.tenant_id == uow.tenant_id, KINDS.c.key == values["key"])
    if (await uow.execute(taken)).first() is not None:
        raise Invalid([FieldProblem(("key",), f"A kind `{values['key']}` already exists.", "DUPLICATE")])
    return await writes.insert(uow, KINDS, "relationship_kind", values)
