"""Web-to-lead forms: an admin creates a form (its public key, the fields it takes,
the origins whose pages may post it, a honeypot field, a rate limit); a post to
/forms/<key> (crm_graph.domains.leads.web) becomes a lead, as the form's creator.

A post from an address the tenant already has as an open lead is counted on that
lead (its form posts, which scoring rules may reward) instead of making a duplicate."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from crm_graph.domains.leads import models, scoring, service
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import FieldProblem, Invalid
from crm_graph.kernel.validation import Checker

TABLE: sa.Table = models.LeadForm.__table__
LEADS: sa.Table = models.Lead.__table__
# What a form may take: the posted name -> the lead's field.
ACCEPTED = {
    "first_name": "first_name",
    "last_name": "last_name",
    "company": "company",
    "email": "emails",
    "phone": "phones",
    "title": "title",
    "country": "country",
    "region": "region",
    "industry": "industry",
    "email_opt_in": "email_opt_in",
    "sms_opt_in": "sms_opt_in",
}
FLAGS = ("email_opt_in", "sms_opt_in")
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MAX_ORIGINS = 20
FORM_FIELDS = ("name", "fields", "origins", "honeypot_field", "rate_limit_per_minute", "campaign_id")


def origin_of(value: str) -> str | None:
    """`scheme://host[:port]` in lower case, or None if `value` is not an origin."""
    if value == "*":
        return value
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
        return None
    if parts.query or parts.fragment or parts.username or parts.password:
        return None
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{parts.hostname.lower()}{port}"


def _normalize(data: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in FORM_FIELDS}
    if isinstance(out.get("name"), str):
        out["name"] = out["name"].strip()
    if "fields" in out:
        out["fields"] = list(dict.fromkeys(f.strip() for f in out["fields"] or []))
    if isinstance(out.get("honeypot_field"), str):
        out["honeypot_field"] = out["honeypot_field"].strip()
    return out


def _check(values: dict[str, Any], stored: Mapping[str, Any], creating: bool) -> None:
    c = Checker(values)
    c.text("name", required=creating or "name" in values, max_length=200)
    c.text("campaign_id", max_length=100)
    c.number("rate_limit_per_minute", low=1, high=10_000)
    for key in ("fields", "origins", "honeypot_field", "rate_limit_per_minute"):
        if key in values and values[key] is None:
            c.fail(key, "Cannot be null.", "REQUIRED")
    for i, name in enumerate(values.get("fields") or []):
        if name not in ACCEPTED:
            c.fail(("fields", str(i)), f"Not a field a form can set; one of {', '.join(ACCEPTED)}.", "INVALID")
    if "fields" in values and not any(f in ("last_name", "company", "email") for f in values["fields"] or []):
        c.fail("fields", "A form needs last_name, company or email: a lead must have one of them.", "REQUIRED")
    normalized = []
    for i, origin in enumerate(values.get("origins") or []):
        found = origin_of(origin)
        if found is None:
            c.fail(("origins", str(i)), "An origin: scheme://host[:port], or *.", "INVALID")
        normalized.append(found)
    if len(values.get("origins") or []) > MAX_ORIGINS:
        c.fail("origins", f"At most {MAX_ORIGINS} origins.", "TOO_LONG")
    honeypot = stored.get("honeypot_field")
    if "honeypot_field" in values and honeypot is not None and not FIELD_NAME.match(honeypot):
        c.fail("honeypot_field", "Lower-case letters, digits and underscores.", "INVALID")
    if honeypot in (stored.get("fields") or []) or honeypot in ACCEPTED:
        c.fail("honeypot_field", "The honeypot cannot be a field the form takes.", "INVALID")
    c.done()
    if "origins" in values:
        values["origins"] = list(dict.fromkeys(o for o in normalized if o))


async def create_form(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    values.setdefault("honeypot_field", "website_url")
    _check(values, values, creating=True)
    values.update(key=secrets.token_urlsafe(24), created_by_id=actor.user_id)
    if actor.user_id is None:
        raise Invalid(
            [FieldProblem(("name",), "A form acts as the user who creates it: create it as a user.", "USER_REQUIRED")]
        )
    return await writes.insert(uow, TABLE, "lead_form", values)


async def update_form(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    before = await writes.load(uow, TABLE, "lead_form", data["id"])
    writes.check_version("lead_form", before, data.get("expected_version"))
    _check(values, {**before, **values}, creating=False)
    return await writes.update(uow, TABLE, "lead_form", data["id"], values, before=before)


archive_form, restore_form = writes.archive_use_cases(TABLE, "lead_form")


def _flag(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("1", "true", "on", "yes")


def lead_values(form: Mapping[str, Any], posted: Mapping[str, Any]) -> dict[str, Any]:
    """The lead fields a post sets: only the form's own fields, as text; the rest ignored."""
    values: dict[str, Any] = {}
    for name in form["fields"]:
        if name not in posted:
            continue
        raw = posted[name]
        target = ACCEPTED[name]
        if name in FLAGS:
            values[target] = _flag(raw)
        elif not isinstance(raw, (str, int, float)) or isinstance(raw, bool):
            raise Invalid([FieldProblem((name,), "Must be text.", "INVALID")])
        elif target in ("emails", "phones"):
            values[target] = [str(raw)] if str(raw).strip() else []
        else:
            values[target] = str(raw)
    return values


async def post_form(
    uow: UnitOfWork, actor: Actor, form: Mapping[str, Any], posted: Mapping[str, Any]
) -> Mapping[str, Any]:
    """The lead the post made or counted on."""
    values = service.normalize(lead_values(form, posted))
    emails = values.get("emails") or []
    if emails:
        same = (
            sa.select(LEADS)
            .where(
                LEADS.c.tenant_id == uow.tenant_id,
                LEADS.c.archived_at.is_(None),
                LEADS.c.status.in_(models.OPEN_STATUSES),
                LEADS.c.emails.overlap(sa.cast(emails, LEADS.c.emails.type)),
            )
            .order_by(LEADS.c.created_at, LEADS.c.id)
            .limit(1)
            .with_for_update()
        )
        found = (await uow.execute(same)).first()
        if found is not None:
            return await _count_post(uow, dict(found._mapping), values)
    extra = {"source": models.LeadSource.WEB_FORM.value, "form_id": form["id"], "form_posts": 1}
    if form["campaign_id"]:
        extra["campaign_id"] = form["campaign_id"]
    values.pop("source", None)
    row, _ = await service.insert_lead(uow, actor, values, extra=extra)
    return row


async def _count_post(uow: UnitOfWork, lead: Mapping[str, Any], values: Mapping[str, Any]) -> Mapping[str, Any]:
    """Another post from a known lead: fill what it lacked, count the post, rescore."""
    changes: dict[str, Any] = {
        k: v for k, v in values.items() if k not in ("emails",) and lead.get(k) in (None, [], "")
    }
    changes.pop("email_opt_in", None)  # consent follows the latest post: an opt-in given now is kept
    for flag in FLAGS:
        if values.get(flag):
            changes[flag] = True
    if values.get("phones"):
        changes["phones"] = list(dict.fromkeys([*lead["phones"], *values["phones"]]))
    service.check(changes, {**lead, **changes})
    changes["form_posts"] = lead["form_posts"] + 1
    changes["score"] = await scoring.score_of(uow, {**lead, **changes}, lead["id"])
    after = await writes.update(uow, LEADS, "lead", lead["id"], changes, event="lead.form_posted", before=lead)
    return after
