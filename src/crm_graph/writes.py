"""Record writes every use case shares: insert, versioned update, archive, restore.

Each write runs inside the caller's unit of work and emits its domain event with
the changed fields' before and after values.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.db import UnitOfWork
from crm_graph.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import Entity, entity_by_record_type

RESERVED = {"id", "tenant_id", "created_at", "updated_at", "version", "archived_at"}


def _refuse_nulls(table: sa.Table, values: Mapping[str, Any]) -> None:
    problems = [
        FieldProblem((k,), "Cannot be null.", "REQUIRED")
        for k, v in values.items()
        if v is None and not table.c[k].nullable
    ]
    if problems:
        raise Invalid(problems)


def _check_owner(uow: UnitOfWork, entity: Entity | None, action: str, owner: Any) -> None:
    """A write may only give a record an owner the actor's scope for `action` covers."""
    permissions = uow.actor.permissions
    if permissions is None or entity is None:
        return
    scope = permissions.scope(entity.record_type, action)
    if scope is None:
        raise Forbidden(f"Not allowed to {action} {entity.record_type} records.")
    if scope == "tenant" or entity.owner_column is None:
        return
    allowed = (uow.actor.user_id,) if scope == "own" else uow.actor.team_user_ids
    if owner not in allowed:
        raise Forbidden(f"You may only {action} {entity.record_type} records owned by "
                        + ("you." if scope == "own" else "your team."), (entity.owner_column,))


async def insert(
    uow: UnitOfWork, table: sa.Table, record_type: str, values: Mapping[str, Any], *, event: str | None = None
) -> Mapping[str, Any]:
    entity = entity_by_record_type(record_type)
    _check_owner(uow, entity, "create", values.get(entity.owner_column) if entity and entity.owner_column else None)
    _refuse_nulls(table, values)
    stmt = sa.insert(table).values(**values, tenant_id=uow.tenant_id).returning(table)
    row = (await uow.execute(stmt)).one()._mapping
    uow.emit(event or f"{record_type}.created", record_type, row["id"], row["version"],
             {k: (None, row[k]) for k in values})
    return row


async def load(
    uow: UnitOfWork,
    table: sa.Table,
    record_type: str,
    id_: uuid.UUID,
    *,
    path: tuple[str, ...] = ("id",),
    lock: bool = True,
    action: str = "update",
) -> Mapping[str, Any]:
    """The row, locked for update.

    NotFound if the actor cannot see it (exactly as if it did not exist);
    Forbidden if it can see it but its scope for `action` does not cover it.
    """
    entity = entity_by_record_type(record_type)
    t = table
    if entity is None:
        stmt = sa.select(t).where(t.c.id == id_, t.c.tenant_id == uow.tenant_id)
    else:
        may = row_scope(entity, t, uow.actor, action)
        stmt = sa.select(t, sa.case((may, True), else_=False).label("_may")).where(
            t.c.id == id_, row_scope(entity, t, uow.actor, "read")
        )
    if lock:
        stmt = stmt.with_for_update(of=t)
    row = (await uow.execute(stmt)).first()
    if row is None:
        raise NotFound(record_type, path)
    mapping = row._mapping
    if entity is not None:
        if not mapping["_may"]:
            raise Forbidden(f"Not allowed to {action} this {record_type}.")
        mapping = {k: v for k, v in mapping.items() if k != "_may"}
    return mapping


def check_version(record_type: str, row: Mapping[str, Any], expected: int | None) -> None:
    """Conflict when the client's expectedVersion is stale (no expectation: no check)."""
    if expected is not None and row["version"] != expected:
        raise Conflict(record_type, row["version"])


async def update(
    uow: UnitOfWork,
    table: sa.Table,
    record_type: str,
    id_: uuid.UUID,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    event: str | None = None,
    before: Mapping[str, Any] | None = None,
    allow_archived: bool = False,
) -> Mapping[str, Any]:
    """Apply `changes`; bump the version only if something really changed."""
    if before is None:
        before = await load(uow, table, record_type, id_)
    check_version(record_type, before, expected_version)
    entity = entity_by_record_type(record_type)
    if entity is not None and entity.owner_column and entity.owner_column in changes:
        _check_owner(uow, entity, "update", changes[entity.owner_column])
    if not allow_archived and "archived_at" in table.c and before["archived_at"] is not None:
        raise Invalid([FieldProblem(("id",), f"The {record_type} is archived; restore it first.", "ARCHIVED")])
    _refuse_nulls(table, changes)
    # A SQL expression (archive's now()) cannot be compared in Python: it always counts as a change.
    changed = {k: v for k, v in changes.items() if isinstance(v, sa.ClauseElement) or before[k] != v}
    if not changed:
        return before
    stmt = (
        sa.update(table)
        .where(table.c.id == id_)
        .values(**changed, version=table.c.version + 1, updated_at=sa.func.now())
        .returning(table)
    )
    after = (await uow.execute(stmt)).one()._mapping
    uow.emit(
        event or f"{record_type}.updated",
        record_type,
        id_,
        after["version"],
        {k: (before[k], after[k]) for k in changed},
    )
    return after


async def archive(
    uow: UnitOfWork, table: sa.Table, record_type: str, id_: uuid.UUID, expected_version: int | None
) -> Mapping[str, Any]:
    before = await load(uow, table, record_type, id_, action="archive")
    check_version(record_type, before, expected_version)
    if before["archived_at"] is not None:
        return before
    return await update(
        uow, table, record_type, id_, {"archived_at": sa.func.now()}, event=f"{record_type}.archived", before=before
    )


async def restore(
    uow: UnitOfWork, table: sa.Table, record_type: str, id_: uuid.UUID, expected_version: int | None
) -> Mapping[str, Any]:
    before = await load(uow, table, record_type, id_, action="archive")
    check_version(record_type, before, expected_version)
    if before["archived_at"] is None:
        return before
    return await update(
        uow,
        table,
        record_type,
        id_,
        {"archived_at": None},
        event=f"{record_type}.restored",
        before=before,
        allow_archived=True,
    )


def archive_use_cases(table: sa.Table, record_type: str) -> tuple[Any, Any]:
    """(archive, restore) use cases `(uow, actor, data) -> row` for a record type."""

    async def archive_(uow: UnitOfWork, actor: Any, data: dict[str, Any]) -> Mapping[str, Any]:
        return await archive(uow, table, record_type, data["id"], data.get("expected_version"))

    async def restore_(uow: UnitOfWork, actor: Any, data: dict[str, Any]) -> Mapping[str, Any]:
        return await restore(uow, table, record_type, data["id"], data.get("expected_version"))

    return archive_, restore_


async def require_exists(
    uow: UnitOfWork, table: sa.Table, record_type: str, id_: uuid.UUID | None, path: tuple[str, ...]
) -> Mapping[str, Any] | None:
    """A referenced record (e.g. `organizationId`) must exist, be active, and be in the tenant."""
    if id_ is None:
        return None
    entity = entity_by_record_type(record_type)
    visible = row_scope(entity, table, uow.actor) if entity else table.c.tenant_id == uow.tenant_id
    stmt = sa.select(table).where(table.c.id == id_, visible)
    row = (await uow.execute(stmt)).first()
    if row is None or ("archived_at" in table.c and row._mapping["archived_at"] is not None):
        raise Invalid([FieldProblem(path, f"No active {record_type} with this ID.", "NOT_FOUND")])
    return row._mapping
