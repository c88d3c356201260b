"""Duplicate candidates of a lead among the tenant's leads and contacts: the same
email, the same phone, or a similar company and person name (pg_trgm similarity,
both at least SIMILAR). Only records the actor may read are offered."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.contacts.models import Contact
from crm_graph.domains.leads import models
from crm_graph.kernel.actor import Actor
from crm_graph.readside.scope import row_scope
from crm_graph.readside.spec import declared

LEADS: sa.Table = models.Lead.__table__
CONTACTS: sa.Table = Contact.__table__
ORGANIZATIONS: sa.Table = Organization.__table__
SIMILAR = 0.5  # pg_trgm similarity, 0..1, of the company and of the person's name
LIMIT = 10


@dataclass(frozen=True)
class Candidate:
    record_type: str  # lead | contact
    id: uuid.UUID
    reasons: tuple[str, ...]  # email, phone, name
    similarity: float  # of the names (0 when compared by address only)


def _full_name(t: Any) -> Any:
    return sa.func.concat_ws(" ", t.c.first_name, t.c.last_name)


def _name(lead: Mapping[str, Any]) -> str:
    return " ".join(p for p in (lead.get("first_name"), lead.get("last_name")) if p)


def _conditions(t: Any, company: Any, lead: Mapping[str, Any]) -> tuple[Any, Any, Any, Any]:
    emails, phones, name = list(lead.get("emails") or []), list(lead.get("phones") or []), _name(lead)
    email = t.c.emails.overlap(sa.cast(emails, pg.ARRAY(sa.Text()))) if emails else sa.false()
    phone = t.c.phones.overlap(sa.cast(phones, pg.ARRAY(sa.Text()))) if phones else sa.false()
    if lead.get("company") and name:
        similarity = sa.func.least(
            sa.func.similarity(company, lead["company"]), sa.func.similarity(_full_name(t), name)
        )
        named = sa.and_(company.op("%")(lead["company"]), similarity >= SIMILAR)
    else:
        similarity, named = sa.literal(0.0), sa.false()  # type: ignore[assignment]  # both are SQL expressions
    return email, phone, named, similarity


async def _find(
    db: Any, actor: Actor, record_type: str, t: sa.Table, company: Any, lead: Mapping[str, Any], exclude: Any, join: Any
) -> list[Candidate]:
    email, phone, named, similarity = _conditions(t, company, lead)
    stmt = (
        sa.select(t.c.id, email.label("email"), phone.label("phone"), named.label("named"), similarity.label("sim"))
        .select_from(join)
        .where(
            t.c.tenant_id == actor.tenant_id,
            t.c.archived_at.is_(None),
            row_scope(declared(record_type), t, actor),
            sa.or_(email, phone, named),
            exclude,
        )
        # By the output columns: when the lead has no email, `email` is a constant, which ORDER BY refuses.
        .order_by(sa.text("email DESC, phone DESC, sim DESC"), t.c.id)
        .limit(LIMIT)
    )
    out = []
    for row in (await db.execute(stmt)).all():
        reasons = tuple(r for r, hit in (("email", row.email), ("phone", row.phone), ("name", row.named)) if hit)
        out.append(Candidate(record_type, row.id, reasons, round(float(row.sim or 0), 3)))
    return out


async def candidates(
    db: Any, actor: Actor, lead: Mapping[str, Any], *, exclude: uuid.UUID | None = None
) -> list[Candidate]:
    """Leads (not converted, not `exclude`) and contacts that may be the same person;
    `db` is a unit of work or a request's connection (anything with `execute`)."""
    if not (lead.get("emails") or lead.get("phones") or (lead.get("company") and _name(lead))):
        return []
    leads = await _find(
        db,
        actor,
        "lead",
        LEADS,
        LEADS.c.company,
        lead,
        sa.and_(LEADS.c.id != exclude if exclude else sa.true(), LEADS.c.status != models.LeadStatus.CONVERTED.value),
        LEADS,
    )
    contacts = await _find(
        db,
        actor,
        "contact",
        CONTACTS,
        ORGANIZATIONS.c.name,
        lead,
        sa.true(),
        CONTACTS.outerjoin(ORGANIZATIONS, ORGANIZATIONS.c.id == CONTACTS.c.organization_id),
    )
    return leads + contacts


async def rows_of(db: Any, found: list[Candidate]) -> dict[uuid.UUID, Mapping[str, Any]]:
    """The candidates' rows (to show them), by id."""
    rows: dict[uuid.UUID, Mapping[str, Any]] = {}
    for record_type, table in (("lead", LEADS), ("contact", CONTACTS)):
        ids = [c.id for c in found if c.record_type == record_type]
        if ids:
            for row in (await db.execute(sa.select(table).where(table.c.id.in_(ids)))).all():
                rows[row.id] = row._mapping
    return rows
