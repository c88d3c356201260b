"""Contact use cases, merge included. Each runs in the caller's unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.contacts import models
from crm_graph.domains.interactions import models as interactions
from crm_graph.domains.opportunities import models as opportunities
from crm_graph.domains.relationships import service as relationships
from crm_graph.domains.tasks import models as tasks
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Forbidden, Invalid, NotFound
from crm_graph.kernel.validation import Checker
from crm_graph.platform.identity.models import User
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import declared

TABLE = models.Contact.__table__
FIELDS = (
    "first_name",
    "last_name",
    "emails",
    "phones",
    "title",
    "organization_id",
    "lifecycle_stage",
    "tags",
    "owner_id",
    "email_opt_in",
    "sms_opt_in",
    "do_not_call",
    "attributes",
)
LISTS = ("emails", "phones", "tags")
MAX_LIST = 50  # addresses or tags on one contact: more is a data-entry accident
MAX_EMAIL = 254  # RFC 5321 path limit
MAX_MERGE = 20


def _normalize(data: dict[str, Any]) -> dict[str, Any]:
    """Trimmed and lower-cased in place; lists keep their positions so that a problem's
    path (["input", "emails", "2"]) names the client's own element. `_dedupe` runs after."""
    out = {k: v for k, v in data.items() if k in FIELDS}
    for key in ("first_name", "last_name"):
        if isinstance(out.get(key), str):
            out[key] = out[key].strip()
    if "title" in out and out["title"] is not None:
        out["title"] = out["title"].strip() or None
    for key in LISTS:
        if key in out:
            out[key] = [v.strip() for v in out[key] or []]
    if "emails" in out:
        out["emails"] = [v.lower() for v in out["emails"]]
    if "attributes" in out and out["attributes"] is None:
        out["attributes"] = {}
    return out


def _dedupe(values: dict[str, Any]) -> dict[str, Any]:
    for key in LISTS:
        if key in values:
            values[key] = list(dict.fromkeys(values[key]))  # keep the first occurrence's order
    return values


def _check(data: dict[str, Any], *, creating: bool) -> None:
    check = Checker(data)
    check.text("first_name", required=creating or "first_name" in data, max_length=100)
    check.text("last_name", required=creating or "last_name" in data, max_length=100)
    check.text("title", max_length=200)
    check.emails("emails")
    for i, email in enumerate(data.get("emails") or []):
        if len(email) > MAX_EMAIL:
            check.fail(("emails", str(i)), f"At most {MAX_EMAIL} characters.", "TOO_LONG")
    check.phones("phones")
    check.tags("tags")
    for key in LISTS:
        if len(data.get(key) or []) > MAX_LIST:
            check.fail(key, f"At most {MAX_LIST} entries.", "TOO_LONG")
    check.json_object("attributes")
    check.done()


async def _check_references(uow: UnitOfWork, data: dict[str, Any]) -> None:
    """Both references at once, so a client fixes every bad ID in one round trip."""
    problems: list[FieldProblem] = []
    for field, table, record_type in (
        ("organization_id", Organization.__table__, "organization"),
        ("owner_id", User.__table__, "user"),
    ):
        try:
            await writes.require_exists(uow, table, record_type, data.get(field), (field,))
        except Invalid as exc:
            problems.extend(exc.problems)
    if problems:
        raise Invalid(problems)


async def create_contact(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    if values.get("owner_id") is None:  # the input's default is null, not absent
        values["owner_id"] = actor.user_id
    _check(values, creating=True)
    await _check_references(uow, values)
    return await writes.insert(uow, TABLE, "contact", _dedupe(values))


async def update_contact(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    _check(values, creating=False)
    await _check_references(uow, values)
    return await writes.update(
        uow, TABLE, "contact", data["id"], _dedupe(values), expected_version=data.get("expected_version")
    )


archive_contact, restore_contact = writes.archive_use_cases(TABLE, "contact")


# --- merge ------------------------------------------------------------------------


def _merge_targets(survivor_id: uuid.UUID, merged_ids: Sequence[uuid.UUID]) -> list[tuple[int, uuid.UUID]]:
    """(input position, id) of each distinct merged contact; positions are kept for error paths."""
    check = Checker({})
    if not merged_ids:
        check.fail("merged_ids", "Name at least one contact to merge.", "REQUIRED")
    if len(merged_ids) > MAX_MERGE:
        check.fail("merged_ids", f"At most {MAX_MERGE} contacts at once.", "TOO_LONG")
    for i, id_ in enumerate(merged_ids):
        if id_ == survivor_id:
            check.fail(("merged_ids", str(i)), "The survivor cannot be merged into itself.", "SELF_MERGE")
    check.done()
    seen: dict[uuid.UUID, int] = {}
    for i, id_ in enumerate(merged_ids):
        seen.setdefault(id_, i)
    return [(i, id_) for id_, i in seen.items()]


async def _load_all(
    uow: UnitOfWork, survivor_id: uuid.UUID, targets: list[tuple[int, uuid.UUID]]
) -> dict[uuid.UUID, Mapping[str, Any]]:
    """Every contact of the merge, locked. The survivor must be one the actor may
    update, the merged ones ones it may archive (that is what happens to them)."""
    # (input position, id, error path, action); the survivor comes first.
    wanted: list[tuple[int, uuid.UUID, tuple[str, ...], str]] = [(-1, survivor_id, ("survivor_id",), "update")]
    wanted += [(i, id_, ("merged_ids", str(i)), "archive") for i, id_ in targets]
    rows: dict[uuid.UUID, Mapping[str, Any]] = {}
    missing: list[tuple[int, NotFound]] = []
    # Locked in id order: two merges over overlapping contacts queue instead of deadlocking.
    for position, id_, path, action in sorted(wanted, key=lambda w: w[1]):
        try:
            rows[id_] = await writes.load(uow, TABLE, "contact", id_, path=path, action=action)
        except NotFound as exc:
            missing.append((position, exc))
    if missing:  # the first bad ID in input order, not in lock order
        raise min(missing, key=lambda m: m[0])[1]
    return rows


async def _move_participations(uow: UnitOfWork, merged: list[uuid.UUID], survivor: uuid.UUID) -> None:
    p = interactions.InteractionParticipant.__table__
    q = p.alias("q")
    # The unique constraint does not catch these (user_id is NULL on contact rows, and
    # NULLs are distinct), so drop the rows that would make the survivor appear twice
    # in one interaction: those where it already takes part, or where an earlier
    # merged contact's row will become its row.
    duplicate = sa.exists().where(
        q.c.interaction_id == p.c.interaction_id,
        sa.or_(q.c.contact_id == survivor, sa.and_(q.c.contact_id.in_(merged), q.c.id < p.c.id)),
    )
    where = (p.c.tenant_id == uow.tenant_id, p.c.contact_id.in_(merged))
    touched = set((await uow.execute(sa.delete(p).where(*where, duplicate).returning(p.c.interaction_id))).scalars())
    touched |= set(
        (
            await uow.execute(sa.update(p).where(*where).values(contact_id=survivor).returning(p.c.interaction_id))
        ).scalars()
    )
    if not touched:
        return
    # A change of participants is a change of the interaction, as in interactionUpdate.
    t = interactions.Interaction.__table__
    bumped = await uow.execute(
        sa.update(t)
        .where(t.c.id.in_(sorted(touched)))
        .values(version=t.c.version + 1, updated_at=sa.func.now())
        .returning(t.c.id, t.c.version)
    )
    for row in bumped.all():
        uow.emit("interaction.updated", "interaction", row.id, row.version, {"contact_ids": (merged, [survivor])})


async def _repoint(
    uow: UnitOfWork, table: sa.Table, record_type: str, column: str, merged: list[uuid.UUID], survivor: uuid.UUID
) -> None:
    """Point `column` of every row holding a merged id at the survivor, bumping each
    row's version and emitting `<record_type>.updated`, as any other edit would."""
    for old in merged:
        stmt = (
            sa.update(table)
            .where(table.c.tenant_id == uow.tenant_id, table.c[column] == old)
            .values({column: survivor, "version": table.c.version + 1, "updated_at": sa.func.now()})
            .returning(table.c.id, table.c.version)
        )
        for row in (await uow.execute(stmt)).all():
            uow.emit(f"{record_type}.updated", record_type, row.id, row.version, {column: (old, survivor)})


async def _require_writable(uow: UnitOfWork, merged: list[uuid.UUID]) -> None:
    """A merge changes every record that points at a merged contact; it stays within
    what the actor may update, or is refused before anything changes. (That a record
    the actor cannot update points at a contact it can is all the refusal tells.)"""
    p = interactions.InteractionParticipant.__table__
    edges = relationships.EDGES
    pointing: list[tuple[str, sa.Table, Callable[[sa.Table], Any]]] = [
        ("opportunity", opportunities.Opportunity.__table__, lambda t: t.c.primary_contact_id.in_(merged)),
        ("task", tasks.Task.__table__, lambda t: t.c.record_id.in_(merged)),
        (
            "interaction",
            interactions.Interaction.__table__,
            lambda t: t.c.id.in_(sa.select(p.c.interaction_id).where(p.c.contact_id.in_(merged))),
        ),
        ("relationship", edges, lambda t: sa.or_(t.c.source_id.in_(merged), t.c.target_id.in_(merged))),
    ]
    for record_type, table, points in pointing:
        may = row_scope(declared(record_type), table, uow.actor, "update")
        stmt = (
            sa.select(table.c.id)
            .where(table.c.tenant_id == uow.tenant_id, points(table), sa.not_(sa.case((may, True), else_=False)))
            .limit(1)
        )
        if (await uow.execute(stmt)).first() is not None:
            raise Forbidden(f"Merging would change {record_type} records you may not update.", ("merged_ids",))


async def merge_contacts(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Fold duplicates into one contact: their interactions, edges, opportunities and
    tasks move to the survivor, their addresses and tags join its own, and they are
    archived. All or nothing: any refusal rolls the whole merge back."""
    survivor_id: uuid.UUID = data["survivor_id"]
    targets = _merge_targets(survivor_id, data["merged_ids"])
    rows = await _load_all(uow, survivor_id, targets)
    survivor = rows[survivor_id]
    writes.check_version("contact", survivor, data.get("expected_version"))
    check = Checker({})
    if survivor["archived_at"] is not None:
        check.fail("survivor_id", "The survivor is archived; restore it first.", "ARCHIVED")
    for i, id_ in targets:
        if rows[id_]["archived_at"] is not None:
            check.fail(("merged_ids", str(i)), "This contact is archived; restore it first.", "ARCHIVED")
    check.done()

    merged = [id_ for _, id_ in targets]
    await _require_writable(uow, merged)
    await _move_participations(uow, merged, survivor_id)
    await relationships.move_endpoints(uow, merged, survivor_id)
    await _repoint(uow, opportunities.Opportunity.__table__, "opportunity", "primary_contact_id", merged, survivor_id)
    await _repoint(uow, tasks.Task.__table__, "task", "record_id", merged, survivor_id)

    union = {
        key: list(dict.fromkeys([*survivor[key], *(v for id_ in merged for v in rows[id_][key])])) for key in LISTS
    }
    check = Checker(union)
    for key, values in union.items():
        if values == survivor[key]:
            continue
        permissions = actor.permissions
        # Merging must not write a field the actor may not write by hand.
        if permissions is not None and not permissions.field_allowed("contact", key, "update"):
            raise Forbidden(f"Merging would change contact.{key}, which you may not update.", ("merged_ids",))
        if len(values) > MAX_LIST:
            check.fail(("merged_ids",), f"Together these contacts have more than {MAX_LIST} {key}.", "TOO_LONG")
    check.done()
    after = await writes.update(uow, TABLE, "contact", survivor_id, union, before=survivor)
    for id_ in merged:
        await writes.update(
            uow, TABLE, "contact", id_, {"archived_at": sa.func.now()}, event="contact.archived", before=rows[id_]
        )
    uow.emit("contact.merged", "contact", survivor_id, after["version"], {"merged_ids": (None, merged)})
    return after
