"""leadConvert: a qualified lead becomes (or is linked to) an organization and a
contact, optionally with an opportunity; its interactions and tasks move to them; the
lead is marked converted with links to what it became. One transaction: the unit of
work of the caller, so a failure at any step leaves nothing behind.

The new records are written through their own domains' use cases, so the same
validation, scopes, audit and events apply as when a user creates them by hand."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.accounts import service as organizations
from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.contacts import service as contacts
from crm_graph.domains.contacts.models import Contact
from crm_graph.domains.interactions.models import Interaction, InteractionParticipant
from crm_graph.domains.leads import models
from crm_graph.domains.leads.service import TABLE, repoint_activity, require_activity_writable
from crm_graph.domains.opportunities import service as opportunities
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid

S = models.LeadStatus
INTERACTIONS: sa.Table = Interaction.__table__
PARTICIPANTS: sa.Table = InteractionParticipant.__table__
OPPORTUNITY_FIELDS = ("pipeline_id", "stage_id", "amount", "currency", "expected_close_date")


async def _as(
    paths: Mapping[str, str], default: str, step: Callable[[], Awaitable[Mapping[str, Any]]]
) -> Mapping[str, Any]:
    """Run a nested use case; its field problems are reported on the input field of
    leadConvert that stands for them (`name` of the organization: organizationName;
    the opportunity's pipelineId, stageId, amount... as themselves)."""
    try:
        return await step()
    except Invalid as exc:
        raise Invalid([FieldProblem(_path(p.path, paths, default), p.message, p.code) for p in exc.problems]) from exc


def _path(path: tuple[str, ...], paths: Mapping[str, str], default: str) -> tuple[str, ...]:
    if path and path[0] in OPPORTUNITY_FIELDS:
        return path
    return (paths.get(path[0], default) if path else default,)


async def _organization(
    uow: UnitOfWork, actor: Actor, lead: Mapping[str, Any], data: dict[str, Any]
) -> Mapping[str, Any]:
    if data.get("organization_id") is not None:
        found = await writes.require_exists(
            uow, Organization.__table__, "organization", data["organization_id"], ("organization_id",)
        )
        assert found is not None
        return found
    name = (data.get("organization_name") or lead["company"] or "").strip()
    if not name:
        raise Invalid(
            [
                FieldProblem(
                    ("organization_name",),
                    "The lead has no company: give organizationId or organizationName.",
                    "REQUIRED",
                )
            ]
        )
    values = {
        "name": name,
        "industry": lead["industry"],
        "region": lead["region"],
        "country": lead["country"],
        "owner_id": lead["owner_id"],
    }
    return await _as(
        {"name": "organization_name"}, "organization_id", lambda: organizations.create_organization(uow, actor, values)
    )


async def _contact(
    uow: UnitOfWork, actor: Actor, lead: Mapping[str, Any], organization: Mapping[str, Any], data: dict[str, Any]
) -> Mapping[str, Any]:
    if data.get("contact_id") is not None:
        found = await writes.require_exists(uow, Contact.__table__, "contact", data["contact_id"], ("contact_id",))
        assert found is not None
        if found["organization_id"] not in (None, organization["id"]):
            raise Invalid([FieldProblem(("contact_id",), "The contact works at another organization.", "MISMATCH")])
        return found
    if not (lead["first_name"] and lead["last_name"]):
        raise Invalid(
            [
                FieldProblem(
                    ("contact_id",),
                    "The lead needs a first and last name to become a contact: set them, or give contactId.",
                    "REQUIRED",
                )
            ]
        )
    values = {
        "first_name": lead["first_name"],
        "last_name": lead["last_name"],
        "emails": list(lead["emails"]),
        "phones": list(lead["phones"]),
        "title": lead["title"],
        "organization_id": organization["id"],
        "owner_id": lead["owner_id"],
        "email_opt_in": lead["email_opt_in"],
        "sms_opt_in": lead["sms_opt_in"],
        "do_not_call": lead["do_not_call"],
        "attributes": dict(lead["attributes"]),
        "lifecycle_stage": "prospect",
    }
    return await _as({}, "contact_id", lambda: contacts.create_contact(uow, actor, values))


async def _opportunity(
    uow: UnitOfWork,
    actor: Actor,
    lead: Mapping[str, Any],
    organization: Mapping[str, Any],
    contact: Mapping[str, Any],
    data: dict[str, Any],
) -> Mapping[str, Any]:
    values = {
        "name": data.get("opportunity_name") or f"{organization['name']}: new business",
        "organization_id": organization["id"],
        "primary_contact_id": contact["id"],
        "owner_id": lead["owner_id"],
        "source": f"lead:{lead['source']}",
        **{k: data[k] for k in OPPORTUNITY_FIELDS if data.get(k) is not None},
    }
    return await _as(
        {"name": "opportunity_name"}, "opportunity_name", lambda: opportunities.create_opportunity(uow, actor, values)
    )


async def _move_interactions(
    uow: UnitOfWork, lead_id: uuid.UUID, organization_id: uuid.UUID, contact_id: uuid.UUID
) -> None:
    """The lead's interactions become the organization's, with the contact taking part."""
    ids = list(
        (
            await uow.execute(
                sa.select(INTERACTIONS.c.id).where(
                    INTERACTIONS.c.tenant_id == uow.tenant_id, INTERACTIONS.c.lead_id == lead_id
                )
            )
        ).scalars()
    )
    if not ids:
        return
    taking_part = sa.select(PARTICIPANTS.c.interaction_id).where(
        PARTICIPANTS.c.interaction_id.in_(ids), PARTICIPANTS.c.contact_id == contact_id
    )
    already = set((await uow.execute(taking_part)).scalars())
    missing = [
        {"tenant_id": uow.tenant_id, "interaction_id": i, "contact_id": contact_id} for i in ids if i not in already
    ]
    if missing:
        await uow.execute(sa.insert(PARTICIPANTS), missing)
    stmt = (
        sa.update(INTERACTIONS)
        .where(INTERACTIONS.c.id.in_(ids))
        .values(
            organization_id=sa.func.coalesce(INTERACTIONS.c.organization_id, organization_id),
            version=INTERACTIONS.c.version + 1,
            updated_at=sa.func.now(),
        )
        .returning(INTERACTIONS.c.id, INTERACTIONS.c.version)
    )
    for row in (await uow.execute(stmt)).all():
        uow.emit(
            "interaction.updated",
            "interaction",
            row.id,
            row.version,
            {"organization_id": (None, organization_id), "contact_ids": (None, [contact_id])},
        )


async def convert_lead(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    before = await writes.load(uow, TABLE, "lead", data["id"])
    writes.check_version("lead", before, data.get("expected_version"))
    problem = {
        S.CONVERTED.value: ("The lead is already converted.", "CONVERTED"),
        S.DISQUALIFIED.value: ("A disqualified lead cannot be converted; requalify it first.", "DISQUALIFIED"),
    }.get(before["status"])
    if before["archived_at"] is not None:
        problem = ("The lead is archived; restore it first.", "ARCHIVED")
    if problem is not None:
        raise Invalid([FieldProblem(("id",), *problem)])
    await require_activity_writable(uow, before["id"])
    organization = await _organization(uow, actor, before, data)
    contact = await _contact(uow, actor, before, organization, data)
    opportunity = (
        await _opportunity(uow, actor, before, organization, contact, data) if data.get("create_opportunity") else None
    )
    await _move_interactions(uow, before["id"], organization["id"], contact["id"])
    await repoint_activity(uow, before["id"], values={"task": {"record_type": "contact", "record_id": contact["id"]}})
    return await writes.update(
        uow,
        TABLE,
        "lead",
        before["id"],
        {
            "status": S.CONVERTED.value,
            "converted_at": sa.func.now(),
            "converted_organization_id": organization["id"],
            "converted_contact_id": contact["id"],
            "converted_opportunity_id": opportunity["id"] if opportunity else None,
        },
        event="lead.converted",
        before=before,
    )
