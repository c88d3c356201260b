"""Interaction (activity) use cases. Each runs in the caller's unit of work; tasks are in tasks.py."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.contacts.models import Contact
from crm_graph.domains.interactions.models import Interaction, InteractionParticipant
from crm_graph.domains.leads import scoring as lead_scoring
from crm_graph.domains.leads.models import Lead
from crm_graph.domains.opportunities.models import Opportunity
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.kernel.records import row_fields
from crm_graph.kernel.validation import Checker, as_utc
from crm_graph.platform.identity.models import User
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import declared

TABLE: sa.Table = Interaction.__table__
PARTICIPANTS: sa.Table = InteractionParticipant.__table__
OPPORTUNITIES: sa.Table = Opportunity.__table__
LEADS: sa.Table = Lead.__table__
FIELDS = (
    "kind",
    "direction",
    "occurred_at",
    "subject",
    "body",
    "duration_minutes",
    "organization_id",
    "opportunity_id",
    "lead_id",
)
# participant column -> (input field, table, record type)
PARTIES = {
    "contact_id": ("contact_ids", Contact.__table__, "contact"),
    "user_id": ("user_ids", User.__table__, "user"),
}


def _normalize(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in FIELDS}
    if out.get("subject") is not None:
        out["subject"] = out["subject"].strip()
    if "occurred_at" in out:
        out["occurred_at"] = as_utc(out["occurred_at"])
    return out


async def _require_all(uow: UnitOfWork, column: str, ids: list[uuid.UUID]) -> None:
    """Every listed contact or user exists, is active and is in the tenant; one query per list."""
    field, table, record_type = PARTIES[column]
    if not ids:
        return
    # The same visibility as writes.require_exists: what the actor cannot read does not exist.
    visible = row_scope(declared(record_type), table, uow.actor)
    stmt = sa.select(table.c.id).where(table.c.id.in_(ids), visible, table.c.archived_at.is_(None))
    found = set((await uow.execute(stmt)).scalars())
    problems = [
        FieldProblem((field, str(i)), f"No active {record_type} with this ID.", "NOT_FOUND")
        for i, id_ in enumerate(ids)
        if id_ not in found
    ]
    if problems:
        raise Invalid(problems)


async def _validate(
    uow: UnitOfWork,
    values: dict[str, Any],
    parties: dict[str, list[uuid.UUID]],
    *,
    creating: bool,
    current: Mapping[str, Any] | None = None,
) -> None:
    check = Checker(values)
    check.text("subject", required=creating or "subject" in values, max_length=300)
    check.text("body", max_length=20_000)
    check.number("duration_minutes", low=0, high=7 * 24 * 60)
    for key in ("kind", "direction", "occurred_at"):
        if key in values and values[key] is None:
            check.fail(key, "Cannot be null.", "REQUIRED")
    check.done()
    await writes.require_exists(
        uow, Organization.__table__, "organization", values.get("organization_id"), ("organization_id",)
    )
    opportunity = await writes.require_exists(
        uow, OPPORTUNITIES, "opportunity", values.get("opportunity_id"), ("opportunity_id",)
    )
    await writes.require_exists(uow, LEADS, "lead", values.get("lead_id"), ("lead_id",))
    for column, ids in parties.items():
        await _require_all(uow, column, ids)
    # Judge the pair as it will be stored: an update may give only one of the two.
    organization_id = (
        values["organization_id"] if "organization_id" in values else (current or {}).get("organization_id")
    )
    if opportunity is not None:
        deal_organization = opportunity["organization_id"]
    elif "opportunity_id" not in values and (current or {}).get("opportunity_id") is not None:
        deal_organization = await _organization_of(uow, (current or {})["opportunity_id"])
    else:
        deal_organization = None
    if None not in (deal_organization, organization_id) and deal_organization != organization_id:
        path = "opportunity_id" if "opportunity_id" in values else "organization_id"
        raise Invalid([FieldProblem((path,), "The opportunity belongs to another organization.", "MISMATCH")])


def _parties(data: dict[str, Any]) -> dict[str, list[uuid.UUID]]:
    """The participant lists the input gives (null means none), without duplicates."""
    return {
        column: list(dict.fromkeys(data[field] or [])) for column, (field, _, _) in PARTIES.items() if field in data
    }


async def _participants(uow: UnitOfWork, interaction_id: uuid.UUID) -> dict[str, list[uuid.UUID]]:
    stmt = sa.select(PARTICIPANTS.c.contact_id, PARTICIPANTS.c.user_id).where(
        PARTICIPANTS.c.interaction_id == interaction_id
    )
    out: dict[str, list[uuid.UUID]] = {column: [] for column in PARTIES}
    for contact_id, user_id in (await uow.execute(stmt)).all():
        out["contact_id" if contact_id is not None else "user_id"].append(contact_id or user_id)
    return out


async def _replace_participants(
    uow: UnitOfWork, interaction_id: uuid.UUID, parties: dict[str, list[uuid.UUID]]
) -> None:
    for column, ids in parties.items():
        await uow.execute(
            sa.delete(PARTICIPANTS).where(
                PARTICIPANTS.c.interaction_id == interaction_id, PARTICIPANTS.c[column].is_not(None)
            )
        )
        if ids:
            await uow.execute(
                sa.insert(PARTICIPANTS),
                [{"tenant_id": uow.tenant_id, "interaction_id": interaction_id, column: id_} for id_ in ids],
            )


async def _organization_of(uow: UnitOfWork, opportunity_id: uuid.UUID) -> uuid.UUID | None:
    stmt = sa.select(OPPORTUNITIES.c.organization_id).where(OPPORTUNITIES.c.id == opportunity_id)
    found: uuid.UUID | None = (await uow.execute(stmt)).scalar()
    return found


async def log_interaction(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    if values.get("occurred_at") is None:
        values["occurred_at"] = sa.func.now()
    parties = _parties(data)
    parties.setdefault("contact_id", [])
    if "user_id" not in parties and actor.user_id is not None:
        parties["user_id"] = [actor.user_id]
    await _validate(uow, values, parties, creating=True)
    if values.get("opportunity_id") is not None and values.get("organization_id") is None:
        # An interaction about a deal shows on the deal's organization too.
        values["organization_id"] = await _organization_of(uow, values["opportunity_id"])
    values["owner_id"] = actor.user_id
    row = await writes.insert(uow, TABLE, "interaction", values, event="interaction.logged")
    await _replace_participants(uow, row["id"], parties)
    # The domain's name for this is `interaction.logged`, and it carries the
    # participants: it replaces the event the insert emitted.
    created = uow.events.pop()
    changes = {**created.changes, **{PARTIES[c][0]: (None, ids) for c, ids in parties.items()}}
    uow.emit("interaction.logged", "interaction", row["id"], row["version"], changes)
    if row["lead_id"] is not None:  # activity scores the lead, in this transaction
        await lead_scoring.rescore(uow, [row["lead_id"]])
    return row


async def update_interaction(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    parties = _parties(data)
    before = await writes.load(uow, TABLE, "interaction", data["id"])
    await _validate(uow, values, parties, creating=False, current=before)
    old = await _participants(uow, before["id"])
    moved = {c: ids for c, ids in parties.items() if set(ids) != set(old[c])}
    if not moved:
        after = await writes.update(
            uow,
            TABLE,
            "interaction",
            before["id"],
            values,
            expected_version=data.get("expected_version"),
            before=before,
        )
        await _rescore_leads(uow, before, after)
        return after
    # Participants are part of the interaction: changing them alone still bumps its
    # version, in the one `interaction.updated` event.
    writes.check_version("interaction", before, data.get("expected_version"))
    if before["archived_at"] is not None:
        raise Invalid([FieldProblem(("id",), "The interaction is archived; restore it first.", "ARCHIVED")])
    await _replace_participants(uow, before["id"], moved)
    changed = {k: v for k, v in values.items() if before[k] != v}
    stmt = (
        sa.update(TABLE)
        .where(TABLE.c.id == before["id"])
        .values(**changed, version=TABLE.c.version + 1, updated_at=sa.func.now())
        .returning(TABLE)
    )
    after = row_fields((await uow.execute(stmt)).one())
    changes: dict[str, tuple[Any, Any]] = {k: (before[k], after[k]) for k in changed}
    changes.update({PARTIES[c][0]: (old[c], ids) for c, ids in moved.items()})
    uow.emit("interaction.updated", "interaction", before["id"], after["version"], changes)
    await _rescore_leads(uow, before, after)
    return after


async def _rescore_leads(uow: UnitOfWork, before: Mapping[str, Any], after: Mapping[str, Any]) -> None:
    """An interaction moved to or from a lead, or was archived or restored: both leads' activity changed."""
    if before["lead_id"] != after["lead_id"] or before["archived_at"] != after["archived_at"]:
        await lead_scoring.rescore(uow, [i for i in (before["lead_id"], after["lead_id"]) if i is not None])


_archive, _restore = writes.archive_use_cases(TABLE, "interaction")


async def archive_interaction(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    row: Mapping[str, Any] = await _archive(uow, actor, data)
    if row["lead_id"] is not None:
        await lead_scoring.rescore(uow, [row["lead_id"]])
    return row


async def restore_interaction(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    row: Mapping[str, Any] = await _restore(uow, actor, data)
    if row["lead_id"] is not None:
        await lead_scoring.rescore(uow, [row["lead_id"]])
    return row
