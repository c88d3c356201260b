"""Record writes every use case shares: insert, versioned update, archive, restore.

Each write runs inside the caller's unit of work and emits its domain event with
the changed fields' before and after values.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, cast

import sqlalchemy as sa

from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import Conflict, FieldProblem, Forbidden, Invalid, NotFound
from crm_graph.kernel.lru import LRU
from crm_graph.readside.scope import honoured, row_scope, scope_columns
from crm_graph.readside.spec import Assigned, Entity, Owned, Participants, declared

RESERVED = {"id", "tenant_id", "created_at", "updated_at", "version", "archived_at"}


def _refuse_nulls(table: sa.Table, values: Mapping[str, Any]) -> None:
    problems = [
        FieldProblem((k,), "Cannot be null.", "REQUIRED")
        for k, v in values.items()
        if v is None and not table.c[k].nullable
    ]
    if problems:
        raise Invalid(problems)


def _check_scope(uow: UnitOfWork, entity: Entity, action: str, values: Mapping[str, Any]) -> bool:
    """A write may only leave a record within the actor's scope for `action`.

    Decided here when the strategy's column holds a user (Owned, Participants, an
    Assigned user); True when only SQL can tell (a team subtree, a parent's scope):
    the caller then checks the written row with `_still_within`."""
    permissions = uow.actor.permissions
    if permissions is None:
        return False
    scope = permissions.scope(entity.record_type, action)
    if scope is None:
        raise Forbidden(f"Not allowed to {action} {entity.record_type} records.")
    if scope == "tenant":
        return False
    if scope not in honoured(entity):
        # A rule the type cannot honour (granted before such rules were refused) allows nothing.
        raise Forbidden(
            f"Not allowed to {action} {entity.record_type} records: a rule at scope {scope} cannot apply to them."
        )
    strategy = entity.scope
    user_column = strategy.column if isinstance(strategy, (Owned, Participants)) else None
    if isinstance(strategy, Assigned) and strategy.team_column is None:
        user_column = strategy.user_column
    if user_column is None:
        return True
    allowed = (uow.actor.user_id,) if scope == "own" else uow.actor.team_user_ids
    if values.get(user_column) not in allowed:
        raise Forbidden(
            f"You may only {action} {entity.record_type} records owned by "
            + ("you." if scope == "own" else "your team."),
            (user_column,),
        )
    return False


async def _still_within(uow: UnitOfWork, entity: Entity, table: sa.Table, id_: Any, action: str) -> None:
    """After a write `_check_scope` could not decide: the row must lie within the scope."""
    found = await uow.execute(
        sa.select(table.c.id).where(table.c.id == id_, row_scope(entity, table, uow.actor, action))
    )
    if found.first() is None:
        raise Forbidden(
            f"The {entity.record_type} would lie outside what you may {action}.", (scope_columns(entity)[0],)
        )


async def insert(
    uow: UnitOfWork, table: sa.Table, record_type: str, values: Mapping[str, Any], *, event: str | None = None
) -> Mapping[str, Any]:
    entity = declared(record_type)
    check_after = _check_scope(uow, entity, "create", values)
    _refuse_nulls(table, values)
    stmt = sa.insert(table).values(**values, tenant_id=uow.tenant_id).returning(table)
    row = (await uow.execute(stmt)).one()._mapping
    if check_after:
        await _still_within(uow, entity, table, row["id"], "create")
    uow.emit(
        event or f"{record_type}.created", record_type, row["id"], row["version"], {k: (None, row[k]) for k in values}
    )
    return cast("Mapping[str, Any]", row)


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
    entity = declared(record_type)
    t = table
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
    if not mapping["_may"]:
        raise Forbidden(f"Not allowed to {action} this {record_type}.")
    return {k: v for k, v in mapping.items() if k != "_may"}


# load_with_reference's statements, built once per shape and actor: building one (a
# lateral subquery, its column proxies, two scopes) and computing its cache key took
# about a millisecond of a hot mutation's CPU, more than sending it. The record's and
# the reference's ids are bound parameters; everything row_scope reads of the actor
# (tenant, user, team, team members, and the rules through the policy version) is in
# the key, so a changed actor or policy builds a new one.
_LOAD_WITH_REFERENCE = LRU("write_statements", 1024, share=0.02)
_STATEMENT_WEIGHT = 8192  # a statement object with its column proxies, estimated
_ID, _REF_ID = sa.bindparam("_load_id", type_=sa.Uuid()), sa.bindparam("_load_ref_id", type_=sa.Uuid())


def _actor_key(actor: Actor) -> tuple[Any, ...]:
    p = actor.permissions
    rules = None if p is None else (p.subject, p.domain, p.version, id(p.enforcer))
    return (actor.tenant_id, actor.user_id, actor.team_id, actor.team_user_ids, rules)


def _load_with_reference_statement(
    actor: Actor, table: sa.Table, record_type: str, ref_table: sa.Table, ref_type: str, action: str
) -> tuple[Any, dict[str, str]]:
    key = (table.name, record_type, ref_table.name, ref_type, action, _actor_key(actor))
    found: tuple[Any, dict[str, str]] | None = _LOAD_WITH_REFERENCE.get(key)
    if found is not None:
        return found
    entity, ref_entity = declared(record_type), declared(ref_type)
    t = table
    ref = sa.select(ref_table).where(ref_table.c.id == _REF_ID, row_scope(ref_entity, ref_table, actor)).lateral("ref")
    labels = {f"_ref_{c.name}": c.name for c in ref.c}
    stmt = (
        sa.select(
            t,
            sa.case((row_scope(entity, t, actor, action), True), else_=False).label("_may"),
            *(ref.c[name].label(label) for label, name in labels.items()),
        )
        .select_from(t.outerjoin(ref, sa.true()))
        .where(t.c.id == _ID, row_scope(entity, t, actor, "read"))
        .with_for_update(of=t)
    )
    _LOAD_WITH_REFERENCE.put(key, (stmt, labels), _STATEMENT_WEIGHT)
    return stmt, labels


async def load_with_reference(
    uow: UnitOfWork,
    table: sa.Table,
    record_type: str,
    id_: uuid.UUID,
    ref_table: sa.Table,
    ref_type: str,
    ref_id: uuid.UUID,
    *,
    action: str = "update",
) -> tuple[Mapping[str, Any], Mapping[str, Any] | None]:
    """`load` (the row, locked, with its errors) and, in the same statement, the record
    `ref_id` names as `require_exists` reads it: None when the actor cannot read it.
    The caller reports the reference with `referenced` after its own checks, in the
    order two statements would have. One round trip instead of two on a hot write."""
    stmt, labels = _load_with_reference_statement(uow.actor, table, record_type, ref_table, ref_type, action)
    row = (await uow.execute(stmt, {"_load_id": id_, "_load_ref_id": ref_id})).first()
    if row is None:
        raise NotFound(record_type, ("id",))
    mapping = row._mapping
    if not mapping["_may"]:
        raise Forbidden(f"Not allowed to {action} this {record_type}.")
    found = {name: mapping[label] for label, name in labels.items()}
    return ({c.name: mapping[c] for c in table.c}, found if found["id"] is not None else None)


def referenced(
    uow: UnitOfWork, table: sa.Table, record_type: str, row: Mapping[str, Any] | None, path: tuple[str, ...]
) -> Mapping[str, Any]:
    """`require_exists`'s verdict on a row `load_with_reference` read."""
    if row is None or ("archived_at" in table.c and row["archived_at"] is not None):
        raise Invalid([FieldProblem(path, f"No active {record_type} with this ID.", "NOT_FOUND")])
    if declared(record_type).table is table:
        uow.referenced.setdefault(record_type, {})[row["id"]] = row
    return row


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
    alongside: sa.Insert | None = None,
) -> Mapping[str, Any]:
    """Apply `changes`; bump the version only if something really changed.

    `alongside`, an insert that needs no answer (a history row), is sent in the same
    statement as the update (a data-modifying CTE, which PostgreSQL always runs): one
    round trip fewer inside the transaction. Without an update it is sent alone."""
    if before is None:
        before = await load(uow, table, record_type, id_)
    check_version(record_type, before, expected_version)
    entity = declared(record_type)
    # Only a change of what places the row (its owner, its parent) needs a new check:
    # `before` was loaded within the scope of the action that loaded it.
    moves = any(c in changes for c in scope_columns(entity))
    check_after = moves and _check_scope(uow, entity, "update", changes)
    if not allow_archived and "archived_at" in table.c and before["archived_at"] is not None:
        raise Invalid([FieldProblem(("id",), f"The {record_type} is archived; restore it first.", "ARCHIVED")])
    _refuse_nulls(table, changes)
    # A SQL expression (archive's now()) cannot be compared in Python: it always counts as a change.
    changed = {k: v for k, v in changes.items() if isinstance(v, sa.ClauseElement) or before[k] != v}
    if not changed:
        if alongside is not None:
            await uow.execute(alongside)
        return before
    stmt = (
        sa.update(table)
        .where(table.c.id == id_)
        .values(**changed, version=table.c.version + 1, updated_at=sa.func.now())
        .returning(table)
    )
    if alongside is not None:
        stmt = stmt.add_cte(alongside.cte("alongside"))
    after = (await uow.execute(stmt)).one()._mapping
    if check_after:
        await _still_within(uow, entity, table, id_, "update")
    uow.emit(
        event or f"{record_type}.updated",
        record_type,
        id_,
        after["version"],
        {k: (before[k], after[k]) for k in changed},
    )
    return cast("Mapping[str, Any]", after)


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
    entity = declared(record_type)
    stmt = sa.select(table).where(table.c.id == id_, row_scope(entity, table, uow.actor))
    row = (await uow.execute(stmt)).first()
    if row is None or ("archived_at" in table.c and row._mapping["archived_at"] is not None):
        raise Invalid([FieldProblem(path, f"No active {record_type} with this ID.", "NOT_FOUND")])
    if entity.table is table:  # the very row a node loader would read: sa.select(table), read scope
        uow.referenced.setdefault(record_type, {})[id_] = row._mapping
    return cast("Mapping[str, Any]", row._mapping)
