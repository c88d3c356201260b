"""Lead scoring: the tenant's rules give points for field values and for activity
(interactions logged about the lead, web form posts). A lead's `score` is stored, so
that it filters and sorts like any column; it is recomputed in the transaction of
every change that can move it (a lead's write, a form post, an interaction logged
about it), never later."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.leads import models
from crm_graph.kernel.db import UnitOfWork

LEADS: sa.Table = models.Lead.__table__
RULES: sa.Table = models.LeadScoringRule.__table__
F = models.ScoringField
ACTIVITY = (F.INTERACTIONS.value, F.FORM_POSTS.value)


def _interactions() -> sa.Table:
    from crm_graph.domains.interactions.models import Interaction  # the interactions domain points at leads

    return Interaction.__table__


def _values(lead: Mapping[str, Any], rule: Mapping[str, Any]) -> list[str]:
    field = rule["field"]
    if field == F.EMAIL.value:
        return list(lead.get("emails") or [])
    if field == F.PHONE.value:
        return list(lead.get("phones") or [])
    if field == F.ATTRIBUTE.value:
        value = (lead.get("attributes") or {}).get(rule["attribute"] or "")
    else:
        value = lead.get(field)
    if value is None or value == "":
        return []
    return [value if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)]


def _matches(values: Sequence[str], operator: str, wanted: str | None) -> bool:
    if operator == models.ScoringOperator.IS_SET.value:
        return bool(values)
    target = (wanted or "").casefold()
    if operator == models.ScoringOperator.CONTAINS.value:
        return any(target in v.casefold() for v in values)
    return any(v.casefold() == target for v in values)


def score(lead: Mapping[str, Any], rules: Sequence[Mapping[str, Any]], interactions: int) -> int:
    """The lead's points under `rules`, given how many interactions are about it."""
    total = 0
    for rule in rules:
        if rule["field"] in ACTIVITY:
            count = interactions if rule["field"] == F.INTERACTIONS.value else int(lead.get("form_posts") or 0)
            points = count * rule["points"]
            if rule["max_points"] is not None:
                points = min(points, rule["max_points"]) if rule["points"] >= 0 else max(points, -rule["max_points"])
            total += points
        elif _matches(_values(lead, rule), rule["operator"], rule["value"]):
            total += rule["points"]
    return total


async def active_rules(uow: UnitOfWork) -> list[Mapping[str, Any]]:
    stmt = sa.select(RULES).where(RULES.c.tenant_id == uow.tenant_id, RULES.c.archived_at.is_(None))
    return [dict(r._mapping) for r in (await uow.execute(stmt)).all()]


async def interaction_count(uow: UnitOfWork, lead_id: uuid.UUID | None) -> int:
    if lead_id is None:
        return 0
    t = _interactions()
    stmt = sa.select(sa.func.count()).where(
        t.c.tenant_id == uow.tenant_id, t.c.lead_id == lead_id, t.c.archived_at.is_(None)
    )
    return int((await uow.execute(stmt)).scalar_one())


async def score_of(uow: UnitOfWork, lead: Mapping[str, Any], lead_id: uuid.UUID | None = None) -> int:
    """The score `lead` (its values as they will be stored) should have."""
    return score(lead, await active_rules(uow), await interaction_count(uow, lead_id))


async def rescore(uow: UnitOfWork, lead_ids: Sequence[uuid.UUID]) -> None:
    """Recompute stored scores after activity changed (no change of the lead's own
    fields): each lead whose score moves gets a new version and `lead.score_changed`."""
    if not lead_ids:
        return
    rules = await active_rules(uow)
    rows = (
        await uow.execute(
            sa.select(LEADS).where(LEADS.c.id.in_(sorted(set(lead_ids))), LEADS.c.tenant_id == uow.tenant_id)
        )
    ).all()
    for row in rows:
        lead = dict(row._mapping)
        new = score(lead, rules, await interaction_count(uow, lead["id"]))
        if new == lead["score"]:
            continue
        after = (
            await uow.execute(
                sa.update(LEADS)
                .where(LEADS.c.id == lead["id"])
                .values(score=new, version=LEADS.c.version + 1, updated_at=sa.func.now())
                .returning(LEADS.c.version)
            )
        ).scalar_one()
        uow.emit("lead.score_changed", "lead", lead["id"], after, {"score": (lead["score"], new)})


async def rescore_all(uow: UnitOfWork) -> None:
    """After the rules changed: every open lead of the tenant, in one pass."""
    ids = (
        await uow.execute(
            sa.select(LEADS.c.id).where(
                LEADS.c.tenant_id == uow.tenant_id,
                LEADS.c.archived_at.is_(None),
                LEADS.c.status.in_(models.OPEN_STATUSES),
            )
        )
    ).scalars()
    await rescore(uow, list(ids))
