"""Lead use cases: create (with duplicate candidates and assignment), update, assign,
merge, archive and restore. Each runs in the caller's unit of work, which checks the
caller's permission and writes the audit entries and change events; conversion is in
conversion.py, web forms in forms.py, the rules' own records in rules.py."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.leads import assignment, duplicates, models, scoring
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Forbidden, Invalid
from crm_graph.kernel.validation import Checker
from crm_graph.platform.identity.models import User
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import declared

TABLE: sa.Table = models.Lead.__table__
FIELDS = (
    "first_name",
    "last_name",
    "company",
    "emails",
    "phones",
    "title",
    "source",
    "status",
    "disqualified_reason",
    "owner_id",
    "campaign_id",
    "country",
    "region",
    "industry",
    "attributes",
    "email_opt_in",
    "sms_opt_in",
    "do_not_call",
)
LISTS = ("emails", "phones")
MAX_LIST = 20
S = models.LeadStatus


def normalize(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in FIELDS}
    for key in ("first_name", "last_name", "company", "title", "region", "industry", "campaign_id"):
        if isinstance(out.get(key), str):
            out[key] = out[key].strip() or None
    if isinstance(out.get("disqualified_reason"), str):
        out["disqualified_reason"] = out["disqualified_reason"].strip() or None
    if isinstance(out.get("country"), str):
        out["country"] = out["country"].strip().upper() or None
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
            values[key] = list(dict.fromkeys(values[key]))
    return values


def check(values: Mapping[str, Any], stored: Mapping[str, Any]) -> None:
    """Every bad field at once. `stored` is the lead as it will be after the write."""
    c = Checker(values)
    for key in ("first_name", "last_name"):
        c.text(key, max_length=100)
    c.text("company", max_length=200)
    c.text("title", max_length=200)
    c.text("region", max_length=100)
    c.text("industry", max_length=100)
    c.text("campaign_id", max_length=100)
    c.text("disqualified_reason", max_length=500)
    c.code("country", 2, "ISO 3166-1 alpha-2 country")
    c.emails("emails")
    c.phones("phones")
    for key in LISTS:
        if len(values.get(key) or []) > MAX_LIST:
            c.fail(key, f"At most {MAX_LIST} entries.", "TOO_LONG")
    c.json_object("attributes")
    for key in ("source", "status", "email_opt_in", "sms_opt_in", "do_not_call"):
        if key in values and values[key] is None:
            c.fail(key, "Cannot be null.", "REQUIRED")
    if not (stored.get("last_name") or stored.get("company") or stored.get("emails")):
        c.fail("last_name", "Give at least a last name, a company or an email address.", "REQUIRED")
    if values.get("status") == S.CONVERTED.value:
        c.fail("status", "Convert a lead with leadConvert.", "USE_LEAD_CONVERT")
    elif stored.get("status") == S.DISQUALIFIED.value and not stored.get("disqualified_reason"):
        c.fail("disqualified_reason", "Say why the lead is disqualified.", "REQUIRED")
    c.done()


def _settle_reason(values: dict[str, Any], stored: Mapping[str, Any]) -> None:
    """The reason goes with the DISQUALIFIED status: leaving it clears the reason."""
    if stored.get("status") != S.DISQUALIFIED.value and stored.get("disqualified_reason") is not None:
        values["disqualified_reason"] = None


async def create_lead(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> tuple[Mapping[str, Any], Any]:
    """The lead and its duplicate candidates. Without an owner the assignment rules
    choose one (the creator when none matches)."""
    row, _ = await insert_lead(uow, actor, normalize(data))
    found = await duplicates.candidates(uow, actor, row, exclude=row["id"])
    return row, found


async def insert_lead(
    uow: UnitOfWork, actor: Actor, values: dict[str, Any], *, extra: Mapping[str, Any] | None = None
) -> tuple[Mapping[str, Any], uuid.UUID | None]:
    """Insert normalized `values` (plus system columns `extra`), score and assign it:
    (row, the assignment rule that chose the owner)."""
    values.setdefault("source", models.LeadSource.MANUAL.value)
    values.setdefault("status", S.NEW.value)
    chosen_by_rules = values.get("owner_id") is None
    stored = {**values, **(extra or {})}
    check(values, stored)
    _settle_reason(values, stored)
    if not chosen_by_rules:
        await writes.require_exists(uow, User.__table__, "user", values["owner_id"], ("owner_id",))
    else:
        values["owner_id"] = actor.user_id  # within the creator's scope until the rules move it
    values.update(extra or {})
    values["score"] = await scoring.score_of(uow, values)
    row = await writes.insert(uow, TABLE, "lead", _dedupe(values))
    if not chosen_by_rules:
        return row, None
    owner, rule = await assignment.choose_owner(uow, row)
    if owner is None:
        return row, None
    return await assignment.assign(uow, row, owner, rule), rule


async def update_lead(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = normalize(data)
    before = await writes.load(uow, TABLE, "lead", data["id"])
    writes.check_version("lead", before, data.get("expected_version"))
    _refuse_converted(before)
    stored = {**before, **values}
    check(values, stored)
    _settle_reason(values, stored)
    await writes.require_exists(uow, User.__table__, "user", values.get("owner_id"), ("owner_id",))
    values["score"] = await scoring.score_of(uow, {**before, **values}, before["id"])
    return await writes.update(uow, TABLE, "lead", data["id"], _dedupe(values), before=before)


def _refuse_converted(row: Mapping[str, Any], path: tuple[str, ...] = ("id",)) -> None:
    if row["status"] == S.CONVERTED.value:
        raise Invalid([FieldProblem(path, "The lead is converted and can no longer change.", "CONVERTED")])


async def assign_lead(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """To the given owner (within the actor's scope), or by the tenant's rules."""
    before = await writes.load(uow, TABLE, "lead", data["id"])
    writes.check_version("lead", before, data.get("expected_version"))
    _refuse_converted(before)
    if before["archived_at"] is not None:
        raise Invalid([FieldProblem(("id",), "The lead is archived; restore it first.", "ARCHIVED")])
    owner_id = data.get("owner_id")
    if owner_id is not None:
        await writes.require_exists(uow, User.__table__, "user", owner_id, ("owner_id",))
        return await writes.update(
            uow, TABLE, "lead", before["id"], {"owner_id": owner_id}, event="lead.assigned", before=before
        )
    owner, rule = await assignment.choose_owner(uow, before)
    if owner is None:
        raise Invalid([FieldProblem(("owner_id",), "No assignment rule matches this lead; name an owner.", "NO_RULE")])
    return await assignment.assign(uow, before, owner, rule)


archive_lead, restore_lead = writes.archive_use_cases(TABLE, "lead")


# --- merge ------------------------------------------------------------------------


def _interactions() -> sa.Table:
    from crm_graph.domains.interactions.models import Interaction

    return Interaction.__table__


def _tasks() -> sa.Table:
    from crm_graph.domains.tasks.models import Task

    return Task.__table__


async def require_activity_writable(uow: UnitOfWork, lead_id: uuid.UUID, path: tuple[str, ...] = ("id",)) -> None:
    """Merging or converting a lead changes its interactions and tasks; that stays
    within what the actor may update, or is refused before anything changes (as a
    contact merge is)."""
    for record_type, table, points in (
        ("interaction", _interactions(), lambda t: t.c.lead_id == lead_id),
        ("task", _tasks(), lambda t: sa.and_(t.c.record_type == "lead", t.c.record_id == lead_id)),
    ):
        may = row_scope(declared(record_type), table, uow.actor, "update")
        stmt = (
            sa.select(table.c.id)
            .where(table.c.tenant_id == uow.tenant_id, points(table), sa.not_(sa.case((may, True), else_=False)))
            .limit(1)
        )
        if (await uow.execute(stmt)).first() is not None:
            raise Forbidden(f"This would change {record_type} records you may not update.", path)


async def repoint_activity(
    uow: UnitOfWork, lead_id: uuid.UUID, *, to_lead: uuid.UUID | None = None, values: Mapping[str, Any] | None = None
) -> None:
    """Move what points at a lead: its interactions (`lead_id`) and tasks (`record_id`),
    to another lead, or (conversion) give them `values`; each moved record gets a new
    version and its `.updated` event, as any other edit."""
    for record_type, table, where, change in (
        ("interaction", _interactions(), lambda t: t.c.lead_id == lead_id, {"lead_id": to_lead}),
        (
            "task",
            _tasks(),
            lambda t: sa.and_(t.c.record_type == "lead", t.c.record_id == lead_id),
            {"record_id": to_lead},
        ),
    ):
        new = dict(change) if to_lead is not None else dict((values or {}).get(record_type, {}))
        if not new:
            continue
        stmt = (
            sa.update(table)
            .where(table.c.tenant_id == uow.tenant_id, where(table))
            .values({**new, "version": table.c.version + 1, "updated_at": sa.func.now()})
            .returning(table.c.id, table.c.version)
        )
        for row in (await uow.execute(stmt)).all():
            uow.emit(f"{record_type}.updated", record_type, row.id, row.version, {k: (None, v) for k, v in new.items()})


async def merge_leads(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    """Fold `merged_id` into `survivor_id`: empty fields filled, addresses joined, form
    posts added up, interactions and tasks moved; the merged lead is archived."""
    survivor_id, merged_id = data["survivor_id"], data["merged_id"]
    if survivor_id == merged_id:
        raise Invalid([FieldProblem(("merged_id",), "A lead cannot be merged into itself.", "SELF_MERGE")])
    rows: dict[uuid.UUID, Mapping[str, Any]] = {}
    paths = {survivor_id: (("survivor_id",), "update"), merged_id: (("merged_id",), "archive")}
    for id_ in sorted(paths):  # locked in id order: overlapping merges queue instead of deadlocking
        path, action = paths[id_]
        rows[id_] = await writes.load(uow, TABLE, "lead", id_, path=path, action=action)
    survivor, merged = rows[survivor_id], rows[merged_id]
    writes.check_version("lead", survivor, data.get("expected_version"))
    c = Checker({})
    for row, field in ((survivor, "survivor_id"), (merged, "merged_id")):
        if row["status"] == S.CONVERTED.value:
            c.fail(field, "A converted lead cannot be merged.", "CONVERTED")
        if row["archived_at"] is not None:
            c.fail(field, "The lead is archived; restore it first.", "ARCHIVED")
    c.done()
    changes: dict[str, Any] = {
        k: merged[k]
        for k in ("first_name", "last_name", "company", "title", "country", "region", "industry", "campaign_id")
        if survivor[k] is None and merged[k] is not None
    }
    for key in LISTS:
        union = list(dict.fromkeys([*survivor[key], *merged[key]]))
        if len(union) > MAX_LIST:
            raise Invalid(
                [FieldProblem(("merged_id",), f"Together these leads have more than {MAX_LIST} {key}.", "TOO_LONG")]
            )
        if union != survivor[key]:
            changes[key] = union
    if merged["attributes"]:
        changes["attributes"] = {**merged["attributes"], **survivor["attributes"]}
    changes["form_posts"] = survivor["form_posts"] + merged["form_posts"]
    # Consent is never widened by a merge; a do-not-call request is kept.
    changes["do_not_call"] = survivor["do_not_call"] or merged["do_not_call"]
    await require_activity_writable(uow, merged_id, ("merged_id",))
    await repoint_activity(uow, merged_id, to_lead=survivor_id)
    changes["score"] = await scoring.score_of(uow, {**survivor, **changes}, survivor_id)
    after = await writes.update(uow, TABLE, "lead", survivor_id, changes, before=survivor)
    pointed = await writes.update(uow, TABLE, "lead", merged_id, {"merged_into_id": survivor_id}, before=merged)
    await writes.update(
        uow, TABLE, "lead", merged_id, {"archived_at": sa.func.now()}, event="lead.archived", before=pointed
    )
    uow.emit("lead.merged", "lead", survivor_id, after["version"], {"merged_ids": (None, [merged_id])})
    return after
