"""Demo leads for `crm-graph seed --demo`: scoring rules, assignment rules (round-robin
among the "Sales Reps" team for EMEA, least loaded otherwise, the admin as fallback),
a web form, and leads in every status and source with scores the rules give.

Written with plain inserts in the seed's transaction (no actor, no events: demo data,
like the rest of the seed). Its own random stream, so other domains' data stay as they were."""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.leads import models, scoring

FIRST = ("Ava", "Noah", "Mila", "Liam", "Zoe", "Omar", "Ines", "Kenji", "Lena", "Ravi", "Sofia", "Tomas", "Yara")
LAST = ("Keller", "Moreau", "Sato", "Nowak", "Silva", "Haddad", "Larsen", "Okoro", "Rossi", "Byrne", "Iqbal", "Varga")
COMPANIES = (
    "Northwind",
    "Bluebird Labs",
    "Quanta Freight",
    "Helio Energy",
    "Fjord Analytics",
    "Cobalt Health",
    "Tessera",
)
SUFFIXES = ("GmbH", "Ltd", "Inc", "SA", "AB", "")
TITLES = ("CTO", "Head of Operations", "Procurement Manager", "Founder", "IT Director", "Analyst", "VP Sales")
PLACES = (
    ("DE", "EMEA", "Manufacturing"),
    ("FR", "EMEA", "Retail"),
    ("GB", "EMEA", "Finance"),
    ("US", "NA", "Software"),
    ("CA", "NA", "Healthcare"),
    ("JP", "APAC", "Logistics"),
    ("BR", "LATAM", "Energy"),
)
BLANK_RULE: dict[str, Any] = {
    "team_id": None,
    "owner_id": None,
    "countries": [],
    "regions": [],
    "industries": [],
    "sources": [],
}
SCORING_RULES = (
    ("Decision maker", "title", "contains", "CTO", 25, None),
    ("Director", "title", "contains", "Director", 15, None),
    ("Came through the website", "source", "equals", "web_form", 10, None),
    ("Referred", "source", "equals", "referral", 20, None),
    ("Has a phone number", "phone", "is_set", None, 5, None),
    ("Engaged (interactions)", "interactions", "equals", None, 5, 25),
    ("Came back to the forms", "form_posts", "equals", None, 10, 30),
)


async def seed_leads(
    conn: Any,
    tenant_id: uuid.UUID,
    *,
    users: Mapping[str, uuid.UUID],
    teams: Mapping[str, uuid.UUID],
    count: int,
    now: datetime,
    **_: Any,
) -> dict[str, int]:
    rng = random.Random(f"leads:{tenant_id}")
    t = models.LeadScoringRule.__table__
    rules = [
        {"tenant_id": tenant_id, "name": n, "field": f, "operator": o, "value": v, "points": p, "max_points": m}
        for n, f, o, v, p, m in SCORING_RULES
    ]
    await conn.execute(sa.insert(t), rules)
    admin = next((uid for email, uid in users.items() if email.startswith("admin@")), None)
    if admin is None:
        return {}
    assignment = []
    reps = teams.get("Sales Reps")
    if reps is not None:
        assignment += [
            {"name": "EMEA round-robin", "position": 10, "method": "round_robin", "team_id": reps, "regions": ["EMEA"]},
            {"name": "Everyone else: least loaded", "position": 20, "method": "least_loaded", "team_id": reps},
        ]
    assignment.append({"name": "Fallback owner", "position": 30, "method": "owner", "owner_id": admin})
    await conn.execute(
        sa.insert(models.LeadAssignmentRule.__table__),
        [{"tenant_id": tenant_id, **BLANK_RULE, **a} for a in assignment],
    )
    form_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    await conn.execute(
        sa.insert(models.LeadForm.__table__).values(
            id=form_id,
            tenant_id=tenant_id,
            name="Contact us",
            key=f"demo{rng.getrandbits(128):032x}",  # reproducible, like all demo data
            fields=["first_name", "last_name", "company", "email", "phone", "title", "country", "email_opt_in"],
            origins=["http://localhost:5173"],
            honeypot_field="website_url",
            created_by_id=admin,
        )
    )
    owners = [uid for email, uid in users.items() if email.startswith(("rep", "manager"))] or [admin]
    statuses = [s.value for s in models.LeadStatus if s is not models.LeadStatus.CONVERTED]
    leads = []
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = f"{rng.choice(COMPANIES)} {rng.choice(SUFFIXES)}".strip()
        country, region, industry = rng.choice(PLACES)
        source = rng.choice([s.value for s in models.LeadSource])
        status = rng.choice(statuses)
        lead: dict[str, Any] = {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "tenant_id": tenant_id,
            "first_name": first,
            "last_name": last,
            "company": company,
            "emails": [f"{first}.{last}{i}@{company.split()[0].lower()}.example".lower()],
            "phones": [f"+49 30 {rng.randint(1000000, 9999999)}"] if rng.random() < 0.6 else [],
            "title": rng.choice(TITLES),
            "source": source,
            "status": status,
            "disqualified_reason": "No budget this year" if status == "disqualified" else None,
            "owner_id": rng.choice(owners) if status != "new" or rng.random() < 0.7 else None,
            "country": country,
            "region": region,
            "industry": industry,
            "email_opt_in": rng.random() < 0.5,
            "sms_opt_in": False,
            "do_not_call": False,
            "attributes": {},
            "form_posts": rng.randint(1, 3) if source == "web_form" else 0,
            "form_id": form_id if source == "web_form" else None,
            "created_at": now - timedelta(days=rng.randint(0, 90), minutes=rng.randint(0, 1440)),
        }
        lead["updated_at"] = lead["created_at"]
        lead["score"] = scoring.score(lead, rules, 0)
        leads.append(lead)
    if leads:
        await conn.execute(sa.insert(models.Lead.__table__), leads)
    return {"leads": len(leads)}
