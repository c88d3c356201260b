"""The tenant's lead assignment and scoring rules, as records: create, update, archive.
Changing the scoring rules rescores the open leads in the same transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.leads import models, scoring
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.validation import Checker
from crm_graph.platform.identity.models import Team, User

ASSIGNMENT: sa.Table = models.LeadAssignmentRule.__table__
SCORING: sa.Table = models.LeadScoringRule.__table__
M = models.AssignmentMethod
F = models.ScoringField
SOURCES = {s.value for s in models.LeadSource}
ASSIGNMENT_FIELDS = (
    "name",
    "position",
    "method",
    "team_id",
    "owner_id",
    "countries",
    "regions",
    "industries",
    "sources",
)
SCORING_FIELDS = ("name", "field", "operator", "value", "attribute", "points", "max_points")


def _pick(data: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in fields}
    if isinstance(out.get("name"), str):
        out["name"] = out["name"].strip()
    for key in ("countries", "regions", "industries", "sources"):
        if key in out:
            out[key] = list(dict.fromkeys(v.strip() for v in out[key] or [] if v.strip()))
    if "countries" in out:
        out["countries"] = [v.upper() for v in out["countries"]]
    return out


async def _check_assignment(uow: UnitOfWork, values: dict[str, Any], stored: Mapping[str, Any], creating: bool) -> None:
    c = Checker(values)
    c.text("name", required=creating or "name" in values, max_length=200)
    c.number("position", low=0, high=1_000_000)
    for key in ("position", "method"):
        if key in values and values[key] is None:
            c.fail(key, "Cannot be null.", "REQUIRED")
    for i, code in enumerate(values.get("countries") or []):
        if len(code) != 2 or not code.isalpha():
            c.fail(("countries", str(i)), "An ISO 3166-1 alpha-2 country code.", "INVALID")
    for i, source in enumerate(values.get("sources") or []):
        if source not in SOURCES:
            c.fail(("sources", str(i)), f"One of {', '.join(sorted(SOURCES))}.", "INVALID")
    method = stored.get("method")
    if method in (M.ROUND_ROBIN.value, M.LEAST_LOADED.value) and stored.get("team_id") is None:
        c.fail(
            "team_id",
            "Round-robin and least-loaded rules share leads among a team's members: give the team.",
            "REQUIRED",
        )
    if method == M.OWNER.value and stored.get("owner_id") is None:
        c.fail("owner_id", "An OWNER rule gives its leads to one user: give them.", "REQUIRED")
    c.done()
    await writes.require_exists(uow, Team.__table__, "team", values.get("team_id"), ("team_id",))
    await writes.require_exists(uow, User.__table__, "user", values.get("owner_id"), ("owner_id",))


async def create_assignment_rule(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _pick(data, ASSIGNMENT_FIELDS)
    if values.get("position") is None:  # after the last rule
        last = (
            await uow.execute(
                sa.select(sa.func.max(ASSIGNMENT.c.position)).where(ASSIGNMENT.c.tenant_id == uow.tenant_id)
            )
        ).scalar_one()
        values["position"] = 0 if last is None else last + 10
    await _check_assignment(uow, values, values, creating=True)
    return await writes.insert(uow, ASSIGNMENT, "lead_assignment_rule", values)


async def update_assignment_rule(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _pick(data, ASSIGNMENT_FIELDS)
    before = await writes.load(uow, ASSIGNMENT, "lead_assignment_rule", data["id"])
    writes.check_version("lead_assignment_rule", before, data.get("expected_version"))
    await _check_assignment(uow, values, {**before, **values}, creating=False)
    return await writes.update(uow, ASSIGNMENT, "lead_assignment_rule", data["id"], values, before=before)


def _check_scoring(values: dict[str, Any], stored: Mapping[str, Any], creating: bool) -> None:
    c = Checker(values)
    c.text("name", required=creating or "name" in values, max_length=200)
    c.text("value", max_length=200)
    c.text("attribute", max_length=100)
    c.number("points", low=-1000, high=1000)
    c.number("max_points", low=0, high=100_000)
    for key in ("field", "operator", "points"):
        if key in values and values[key] is None:
            c.fail(key, "Cannot be null.", "REQUIRED")
    field, operator = stored.get("field"), stored.get("operator")
    activity = field in scoring.ACTIVITY
    if not activity and operator != models.ScoringOperator.IS_SET.value and not stored.get("value"):
        c.fail("value", "Give the value the field is compared with.", "REQUIRED")
    if field == F.ATTRIBUTE.value and not stored.get("attribute"):
        c.fail("attribute", "Name the custom attribute.", "REQUIRED")
    if not activity and stored.get("max_points") is not None:
        c.fail("max_points", "Only activity rules have a maximum.", "INVALID")
    c.done()


async def create_scoring_rule(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _pick(data, SCORING_FIELDS)
    values.setdefault("operator", models.ScoringOperator.EQUALS.value)
    _check_scoring(values, values, creating=True)
    row = await writes.insert(uow, SCORING, "lead_scoring_rule", values)
    await scoring.rescore_all(uow)
    return row


async def update_scoring_rule(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _pick(data, SCORING_FIELDS)
    before = await writes.load(uow, SCORING, "lead_scoring_rule", data["id"])
    writes.check_version("lead_scoring_rule", before, data.get("expected_version"))
    _check_scoring(values, {**before, **values}, creating=False)
    row = await writes.update(uow, SCORING, "lead_scoring_rule", data["id"], values, before=before)
    await scoring.rescore_all(uow)
    return row


archive_assignment_rule, restore_assignment_rule = writes.archive_use_cases(ASSIGNMENT, "lead_assignment_rule")
_archive_scoring, _restore_scoring = writes.archive_use_cases(SCORING, "lead_scoring_rule")


async def archive_scoring_rule(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    row: Mapping[str, Any] = await _archive_scoring(uow, actor, data)
    await scoring.rescore_all(uow)
    return row


async def restore_scoring_rule(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    row: Mapping[str, Any] = await _restore_scoring(uow, actor, data)
    await scoring.rescore_all(uow)
    return row
