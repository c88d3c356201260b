"""Demo data: tenants `demo` and `other`, generated deterministically and bulk-loaded.

Every id and value comes from `random.Random(seed)`, so a seed value always yields the
same records; only timestamps follow the wall clock (they are offsets from "now"), so
the demo looks recent whenever it is loaded. Rows are built as tuples and loaded with
COPY in one transaction, because 10,000 organizations mean about a million rows; they
are built and loaded CHUNK organizations at a time, so a million organizations (a
hundred million rows) take the memory of ten thousand and load at the same rate.
"""

from __future__ import annotations

import contextlib
import random
import unicodedata
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson
import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from crm_graph import seed_vocabulary as vocab
from crm_graph.domains.enabled import DOMAINS
from crm_graph.domains.opportunities import models as opportunities
from crm_graph.platform.identity import models as identity
from crm_graph.provisioning import create_team, create_tenant, create_user
from crm_graph.seed_indexes import constraints_set_aside, indexes_set_aside

log = structlog.get_logger(__name__)

HISTORY = timedelta(days=730)
OTHER_ORGANIZATIONS = 10
# Organizations generated and copied at a time. Relationships, referrals and rivals
# point within a chunk, so up to CHUNK organizations a seed yields what it always did.
CHUNK = 10_000
# Draws of an unused base name before the last draw is numbered instead ("Nordwind
# Logistics 2"): the vocabulary makes about 99,000 bases, and drawing unique ones
# from it never ends beyond that and slows long before.
NAME_DRAWS = 8
# From this many organizations on, the bulk tables' secondary indexes are dropped for
# the load and built again after it (seed_indexes.py): below it, rebuilding indexes
# over a database's existing rows would cost more than maintaining them.
REBUILD_INDEXES_FROM = 50_000

# Column order of the tuples each table's generator yields; version and archived_at
# are left to their server defaults.
COLUMNS: dict[str, list[str]] = {
    "organizations": [
        "id",
        "tenant_id",
        "created_at",
        "updated_at",
        "name",
        "kinds",
        "industry",
        "region",
        "country",
        "website",
        "size",
        "lifecycle_stage",
        "tags",
        "owner_id",
        "attributes",
    ],
    "contacts": [
        "id",
        "tenant_id",
        "created_at",
        "updated_at",
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
    ],
    "opportunities": [
        "id",
        "tenant_id",
        "created_at",
        "updated_at",
        "name",
        "organization_id",
        "primary_contact_id",
        "owner_id",
        "pipeline_id",
        "stage_id",
        "amount",
        "currency",
        "probability",
        "expected_close_date",
        "status",
        "lost_reason",
        "source",
        "closed_at",
    ],
    "opportunity_stage_changes": [
        "id",
        "tenant_id",
        "created_at",
        "updated_at",
        "opportunity_id",
        "from_stage_id",
        "to_stage_id",
        "changed_by_id",
        "changed_at",
    ],
    "interactions": [
        "id",
        "tenant_id",
        "created_at",
        "updated_at",
        "kind",
        "direction",
        "occurred_at",
        "subject",
        "body",
        "duration_minutes",
        "organization_id",
        "opportunity_id",
        "owner_id",
    ],
    "interaction_participants": ["id", "tenant_id", "interaction_id", "contact_id", "user_id"],
    "relationships": [
        "id",
        "tenant_id",
        "created_at",
        "updated_at",
        "kind",
        "source_type",
        "source_id",
        "target_type",
        "target_id",
        "strength",
        "since",
        "until",
        "note",
    ],
    "tasks": [
        "id",
        "tenant_id",
        "created_at",
        "updated_at",
        "title",
        "description",
        "due_at",
        "status",
        "assignee_id",
        "record_type",
        "record_id",
        "completed_at",
    ],
}


@dataclass(slots=True)
class Org:
    id: uuid.UUID
    name: str
    created_at: datetime
    owner_id: uuid.UUID | None
    kinds: list[str]
    lifecycle: str
    region: str
    domain: str
    dial: str  # telephone country code
    contacts: list[tuple[uuid.UUID, str, uuid.UUID | None]] = field(default_factory=list)  # id, name, owner
    # id, name, owner, created_at, end of activity (closed_at or now)
    opportunities: list[tuple[uuid.UUID, str, uuid.UUID, datetime, datetime]] = field(default_factory=list)


def _weighted(pairs: tuple[tuple[str, int], ...]) -> tuple[str, ...]:
    """Expand (value, weight) pairs so that rng.choice draws by weight, cheaply."""
    return tuple(value for value, weight in pairs for _ in range(weight))


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum())


ORG_KINDS = _weighted(vocab.ORGANIZATION_KINDS)
REGIONS = _weighted(tuple((region, weight) for region, weight, _ in vocab.REGIONS))
COUNTRIES = {region: countries for region, _, countries in vocab.REGIONS}
CURRENCIES = {region: _weighted(pairs) for region, pairs in vocab.CURRENCIES.items()}
INTERACTION_KINDS = tuple(k for k, weight, _ in vocab.INTERACTION_KINDS for _ in range(weight))
DIRECTIONS = {kind: directions for kind, _, directions in vocab.INTERACTION_KINDS}
ORG_EDGE_KINDS = _weighted(vocab.ORGANIZATION_EDGE_KINDS)
# Stage positions drawn for new opportunities (provisioning.DEFAULT_STAGES): 1-4 open, 5 won, 6 lost.
STAGE_DRAW = (1,) * 20 + (2,) * 18 + (3,) * 14 + (4,) * 10 + (5,) * 20 + (6,) * 18
ASCII_NAMES = {name: _ascii(name) for name in vocab.FIRST_NAMES + vocab.LAST_NAMES}


class Generator:
    """Builds one tenant's rows from an rng; holds the cross-references between them."""

    def __init__(
        self,
        rng: random.Random,
        tenant_id: uuid.UUID,
        now: datetime,
        users: dict[str, uuid.UUID],
        spec: vocab.TenantSpec,
        stages: list[Any],
        name_parts: tuple[tuple[str, ...], tuple[str, ...]] = (vocab.NAME_PREFIXES, vocab.NAME_ROOTS),
    ) -> None:
        self.rng, self.tenant_id, self.now = rng, tenant_id, now
        self.name_parts = name_parts  # prefixes and roots of organization names
        self.names: dict[str, int] = {}  # base name -> organizations named after it so far
        self.owners = [users[email] for email in spec.owners]
        self.sellers = [users[email] for email in spec.sellers]
        self.staff = sorted(set(self.owners) | set(self.sellers), key=str)
        self.pipeline_id = stages[0].pipeline_id
        self.stages = {stage.position: stage for stage in stages}
        self.rows: dict[str, list[tuple[Any, ...]]] = {table: [] for table in COLUMNS}
        self.orgs: list[Org] = []
        self.edges: set[tuple[str, uuid.UUID, uuid.UUID]] = set()

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def between(self, start: datetime, end: datetime) -> datetime:
        return start + (end - start) * self.rng.random()

    def generate(self, organizations: int, chunk: int = CHUNK) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
        """The rows of `chunk` organizations at a time (the last chunk may be smaller)."""
        for start in range(0, organizations, chunk):
            self.rows = {table: [] for table in COLUMNS}
            self.orgs, self.edges = [], set()
            for _ in range(min(chunk, organizations - start)):
                org = self.organization()
                self.contacts(org)
                self.opportunities(org)
                self.orgs.append(org)
            # Edges and activity come second: they may point at any earlier organization.
            for index, org in enumerate(self.orgs):
                self.interactions(org)
                self.relationships(index, org)
                self.tasks(org)
            yield self.rows

    def organization(self) -> Org:
        rng, names, (prefixes, roots) = self.rng, self.names, self.name_parts
        industry = rng.choice(tuple(vocab.INDUSTRIES))
        # Names are unique because the base name is also the domain: a few draws for
        # an unused base, then the last one numbered, unique by construction (no
        # vocabulary word is a number).
        for _ in range(NAME_DRAWS):
            stem = f"{rng.choice(prefixes)}{rng.choice(roots)}"
            base = f"{stem} {rng.choice(vocab.INDUSTRIES[industry])}"
            if base not in names:
                names[base] = 1
                break
        else:
            names[base] += 1
            base = f"{base} {names[base]}"
        region = rng.choice(REGIONS)
        country, tld, dial = rng.choice(COUNTRIES[region])
        name = f"{base} {rng.choice(vocab.LEGAL_FORMS[country])}" if rng.random() < 0.15 else base
        kinds = [rng.choice(ORG_KINDS)]
        if rng.random() < 0.1:
            second = rng.choice(ORG_KINDS)
            if second not in kinds and {second, kinds[0]} != {"customer", "prospect"}:
                kinds.append(second)
        if "customer" in kinds:
            lifecycle = rng.choice(("new", "active", "active", "active", "loyal", "loyal", "churned"))
        elif "prospect" in kinds:
            lifecycle = rng.choice(("lead", "prospect"))
        else:
            lifecycle = "active"
        created = self.now - HISTORY * rng.random()
        owner = rng.choice(self.owners) if rng.random() < 0.9 else None
        attributes: dict[str, Any] = {"source": rng.choice(vocab.LEAD_SOURCES), "tier": rng.choice(vocab.TIERS)}
        if rng.random() < 0.3:
            attributes["nps"] = rng.randint(-20, 80)
        domain = f"{_ascii(base)}.{tld}"
        org = Org(self.new_id(), name, created, owner, kinds, lifecycle, region, domain, dial)
        self.rows["organizations"].append(
            (
                org.id,
                self.tenant_id,
                created,
                created,
                name,
                kinds,
                industry,
                region,
                country,
                f"https://www.{domain}",
                rng.choice(vocab.COMPANY_SIZES),
                lifecycle,
                rng.sample(vocab.ORGANIZATION_TAGS, rng.randint(0, 3)),
                owner,
                orjson.dumps(attributes).decode(),
            )
        )
        return org

    def contacts(self, org: Org) -> None:
        rng = self.rng
        emails: set[str] = set()
        for _ in range(rng.randint(3, 7)):
            first, last = rng.choice(vocab.FIRST_NAMES), rng.choice(vocab.LAST_NAMES)
            email = f"{ASCII_NAMES[first]}.{ASCII_NAMES[last]}"
            if email in emails:  # two people with the same name at one company
                email = f"{email}{len(emails)}"
            emails.add(email)
            phones = [
                f"{org.dial} {rng.randint(200, 999)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                for _ in range(1 if rng.random() < 0.7 else 2)
            ]
            owner = org.owner_id if rng.random() < 0.85 else rng.choice(self.owners)
            created = self.between(org.created_at, self.now)
            contact_id = self.new_id()
            org.contacts.append((contact_id, f"{first} {last}", owner))
            self.rows["contacts"].append(
                (
                    contact_id,
                    self.tenant_id,
                    created,
                    created,
                    first,
                    last,
                    [f"{email}@{org.domain}"],
                    phones,
                    rng.choice(vocab.TITLES),
                    org.id,
                    org.lifecycle,
                    rng.sample(vocab.CONTACT_TAGS, rng.randint(0, 2)),
                    owner,
                    rng.random() < 0.6,
                    rng.random() < 0.2,
                    rng.random() < 0.05,
                    "{}" if rng.random() < 0.7 else f'{{"preferred_language": "{rng.choice(vocab.LANGUAGES)}"}}',
                )
            )

    def opportunities(self, org: Org) -> None:
        rng, now = self.rng, self.now
        for _ in range(rng.randint(1, 5)):
            stage = self.stages[rng.choice(STAGE_DRAW)]
            moment = self.between(max(org.created_at, now - timedelta(days=540)), now - timedelta(hours=1))
            owner = org.owner_id if org.owner_id in self.sellers else rng.choice(self.sellers)
            if stage.is_won or stage.is_lost:
                # The close is drawn first and the start before it, so few deals close "just now".
                end, created = moment, max(org.created_at, moment - timedelta(days=rng.randint(14, 180)))
                reached = 4 if stage.is_won else rng.randint(1, 4)
                path = [*range(1, reached + 1), stage.position]
                status, closed_at, close_date = ("won" if stage.is_won else "lost"), end, end.date()
            else:
                created, end = moment, now
                path = list(range(1, stage.position + 1))
                status, closed_at = "open", None
                close_date = (now + timedelta(days=rng.randint(-20, 180))).date()
            opportunity_id = self.new_id()
            # The history walks the pipeline up to the current stage, timestamps ascending.
            moments = sorted([created] + [self.between(created, end) for _ in path[1:]])
            if closed_at is not None:
                moments[-1] = closed_at
            previous = None
            for position, at in zip(path, moments, strict=True):
                to_stage = self.stages[position].id
                self.rows["opportunity_stage_changes"].append(
                    (self.new_id(), self.tenant_id, at, at, opportunity_id, previous, to_stage, owner, at)
                )
                previous = to_stage
            name = f"{org.name}: {rng.choice(vocab.OPPORTUNITY_PRODUCTS)}"
            contact = rng.choice(org.contacts)[0]
            amount = Decimal(max(500, round(rng.lognormvariate(10, 0.9), -2)))
            org.opportunities.append((opportunity_id, name, owner, created, end))
            self.rows["opportunities"].append(
                (
                    opportunity_id,
                    self.tenant_id,
                    created,
                    moments[-1],
                    name,
                    org.id,
                    contact,
                    owner,
                    self.pipeline_id,
                    stage.id,
                    amount,
                    rng.choice(CURRENCIES[org.region]),
                    stage.probability,
                    close_date,
                    status,
                    rng.choice(vocab.LOST_REASONS) if stage.is_lost else None,
                    rng.choice(vocab.LEAD_SOURCES),
                    closed_at,
                )
            )

    def interactions(self, org: Org) -> None:
        rng, tenant_id = self.rng, self.tenant_id
        interactions, participants = self.rows["interactions"], self.rows["interaction_participants"]
        contacts = [contact[0] for contact in org.contacts]
        for _ in range(rng.randint(20, 40)):
            kind = rng.choice(INTERACTION_KINDS)
            opportunity_id = None
            if org.opportunities and rng.random() < 0.3:
                opportunity_id, _, _, start, end = rng.choice(org.opportunities)
                occurred = self.between(start, end)
            else:
                occurred = self.between(org.created_at, self.now)
            owner = org.owner_id if org.owner_id and rng.random() < 0.85 else rng.choice(self.staff)
            duration = rng.randint(*vocab.DURATIONS[kind]) if kind in vocab.DURATIONS else None
            body = " ".join(rng.sample(vocab.BODY_SENTENCES, rng.randint(1, 3)))
            interaction_id = self.new_id()
            interactions.append(
                (
                    interaction_id,
                    tenant_id,
                    occurred,
                    occurred,
                    kind,
                    rng.choice(DIRECTIONS[kind]),
                    occurred,
                    rng.choice(vocab.SUBJECTS[kind]).format(org=org.name),
                    body,
                    duration,
                    org.id,
                    opportunity_id,
                    owner,
                )
            )
            participants.append((self.new_id(), tenant_id, interaction_id, None, owner))
            if kind != "note":
                for contact_id in rng.sample(contacts, 1 if rng.random() < 0.7 else 2):
                    participants.append((self.new_id(), tenant_id, interaction_id, contact_id, None))

    def edge(
        self,
        kind: str,
        source: tuple[str, uuid.UUID],
        target: tuple[str, uuid.UUID],
        created: datetime,
        until: date | None = None,
    ) -> None:
        key, reverse = (kind, source[1], target[1]), (kind, target[1], source[1])
        # No self-edges, no duplicates, and no A->B plus B->A of one kind.
        if source[1] == target[1] or key in self.edges or reverse in self.edges:
            return
        self.edges.add(key)
        since = (created - timedelta(days=self.rng.randint(0, 1500))).date()
        self.rows["relationships"].append(
            (
                self.new_id(),
                self.tenant_id,
                created,
                created,
                kind,
                source[0],
                source[1],
                target[0],
                target[1],
                round(self.rng.random(), 2),
                since,
                until,
                None,
            )
        )

    def relationships(self, index: int, org: Org) -> None:
        rng, orgs = self.rng, self.orgs
        created = self.between(org.created_at, self.now)
        contacts = [("contact", contact[0]) for contact in org.contacts]
        # Organization edges point at an earlier organization, which keeps subsidiary_of acyclic.
        if index and rng.random() < 0.5:
            other = orgs[rng.randrange(index)]
            self.edge(rng.choice(ORG_EDGE_KINDS), ("organization", org.id), ("organization", other.id), created)
        if "competitor" in org.kinds:
            for _ in range(rng.randint(1, 3)):
                rival = orgs[rng.randrange(len(orgs))]
                if rival.opportunities and rival is not org:
                    deal = rng.choice(rival.opportunities)[0]
                    self.edge("competing_on", ("organization", org.id), ("opportunity", deal), created)
        for position, contact in enumerate(contacts):
            if rng.random() < 0.12:
                self.edge("works_at", contact, ("organization", org.id), created)
            if position and rng.random() < 0.1:  # report to someone listed earlier: no cycles
                self.edge("reports_to", contact, contacts[rng.randrange(position)], created)
        if rng.random() < 0.3:
            first, second = rng.sample(contacts, 2)
            self.edge("knows", first, second, created)
        if index and rng.random() < 0.1:
            referrer = rng.choice(orgs[rng.randrange(index)].contacts)[0]
            self.edge("referred_by", rng.choice(contacts), ("contact", referrer), created)
        if index and rng.random() < 0.04:
            self.edge("advisor_of", rng.choice(contacts), ("organization", orgs[rng.randrange(index)].id), created)
        if index and rng.random() < 0.04:
            left = (created - timedelta(days=rng.randint(30, 900))).date()
            target = ("organization", orgs[rng.randrange(index)].id)
            self.edge("former_employee_of", rng.choice(contacts), target, created, until=left)

    def tasks(self, org: Org) -> None:
        rng, now = self.rng, self.now
        for _ in range(rng.randint(1, 4)):
            draw = rng.random()
            if draw < 0.3 or not org.opportunities:
                record_type, record_id, name, owner = "organization", org.id, org.name, org.owner_id
            elif draw < 0.65:
                record_type, (record_id, name, owner) = "contact", rng.choice(org.contacts)
            else:
                record_type, (record_id, name, owner, _, _) = "opportunity", rng.choice(org.opportunities)
            due = self.between(max(org.created_at, now - timedelta(days=60)), now + timedelta(days=45))
            if due < now:
                status = rng.choice(("done",) * 6 + ("open",) * 2 + ("in_progress", "cancelled"))
            else:
                status = rng.choice(("open",) * 7 + ("in_progress",) * 3)
            created = max(org.created_at, min(now, due - timedelta(days=rng.randint(1, 30))))
            completed = self.between(created, due) if status == "done" else None
            self.rows["tasks"].append(
                (
                    self.new_id(),
                    self.tenant_id,
                    created,
                    completed or created,
                    rng.choice(vocab.TASK_TITLES[record_type]).format(name=name),
                    None,
                    due,
                    status,
                    owner or rng.choice(self.staff),
                    record_type,
                    record_id,
                    completed,
                )
            )


async def _tenant_exists(conn: AsyncConnection, slug: str) -> bool:
    tenants: sa.Table = identity.Tenant.__table__
    return (await conn.execute(sa.select(tenants.c.id).where(tenants.c.slug == slug))).first() is not None


async def _default_stages(conn: AsyncConnection, tenant_id: uuid.UUID) -> list[Any]:
    stages: sa.Table = opportunities.Stage.__table__
    pipelines: sa.Table = opportunities.Pipeline.__table__
    result = await conn.execute(
        sa.select(
            stages.c.pipeline_id,
            stages.c.id,
            stages.c.position,
            stages.c.probability,
            stages.c.is_won,
            stages.c.is_lost,
        )
        .join(pipelines, pipelines.c.id == stages.c.pipeline_id)
        .where(pipelines.c.tenant_id == tenant_id, pipelines.c.is_default)
        .order_by(stages.c.position)
    )
    return list(result.all())


async def _seed_tenant(
    conn: AsyncConnection, spec: vocab.TenantSpec, organizations: int, rng: random.Random, now: datetime
) -> dict[str, int]:
    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    tenant_id = await create_tenant(conn, spec.slug, spec.name, new_id=new_id)
    teams: dict[str, uuid.UUID] = {}
    for team, parent in spec.teams:
        teams[team] = await create_team(conn, tenant_id, team, teams[parent] if parent else None, new_id=new_id)
    users = {
        user.email: await create_user(
            conn, tenant_id, user.email, user.name, user.roles, teams[user.team] if user.team else None, new_id=new_id
        )
        for user in spec.users
    }
    stages = await _default_stages(conn, tenant_id)
    raw = (await conn.get_raw_connection()).driver_connection
    assert raw is not None
    counts = dict.fromkeys(COLUMNS, 0)
    for rows in Generator(rng, tenant_id, now, users, spec, stages).generate(organizations):
        for table, records in rows.items():  # COLUMNS lists tables parents first
            if records:
                await raw.copy_records_to_table(table, records=records, columns=COLUMNS[table])
            counts[table] += len(records)
    # Each domain's own demo data (crm_graph.kernel.domain.Domain.seed), in DOMAINS order.
    # Called with keyword arguments; a domain takes what it needs and returns its rows
    # per table.
    for domain in DOMAINS:
        if domain.seed is not None:
            counts.update(
                await domain.seed(
                    conn,
                    tenant_id,
                    users=users,
                    teams=teams,
                    count=max(20, organizations // 4),
                    new_id=new_id,
                    rng=rng,
                    now=now,
                )
            )
    return counts


async def seed_demo(
    database_url: str, organizations: int = 200, seed: int = 42, *, rebuild_indexes_from: int = REBUILD_INDEXES_FROM
) -> dict[str, int]:
    """Load the demo tenants unless they exist; a tenant already there is left untouched.
    Returns the rows loaded per table (both tenants; empty when both existed)."""
    now = datetime.now(UTC)
    loaded: dict[str, int] = {}
    engine = create_async_engine(database_url)
    try:
        created = False
        async with engine.begin() as conn, contextlib.AsyncExitStack() as bulk:
            if organizations >= rebuild_indexes_from and not await _tenant_exists(conn, vocab.DEMO.slug):
                # Indexes are built again after the constraints (a foreign key's check
                # may use them), so constraints are entered second: left first.
                await bulk.enter_async_context(indexes_set_aside(conn, list(COLUMNS)))
                await bulk.enter_async_context(constraints_set_aside(conn, list(COLUMNS)))
            for spec, count, rng in (
                (vocab.DEMO, organizations, random.Random(seed)),
                (vocab.OTHER, OTHER_ORGANIZATIONS, random.Random(f"other:{seed}")),
            ):
                if await _tenant_exists(conn, spec.slug):
                    log.info("seed.tenant_exists", tenant=spec.slug)
                    continue
                counts = await _seed_tenant(conn, spec, count, rng, now)
                for table, n in counts.items():
                    loaded[table] = loaded.get(table, 0) + n
                log.info("seed.tenant_created", tenant=spec.slug, **counts)
                created = True
        if created:  # after the commit, so the planner knows the new sizes before the first query
            async with engine.connect() as conn:
                await conn.execute(sa.text(f"ANALYZE {', '.join(COLUMNS)}"))
                await conn.commit()
    finally:
        await engine.dispose()
    return loaded
