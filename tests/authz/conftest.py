"""A world to test authorization in: a fresh tenant with the default roles, a team
tree, two users of every role (three sales people), one record of every type owned
by each user, and a second tenant whose records must never show.

Each test module builds its own world (`world`), so list counts are exact. Who can
see what is written down here and in the tests by hand, never asked of the enforcer.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from crm_graph import provisioning
from crm_graph.app import create_app
from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.contacts.models import Contact
from crm_graph.domains.interactions.models import Interaction, InteractionParticipant
from crm_graph.domains.opportunities.models import Opportunity, Pipeline, Stage
from crm_graph.domains.relationships.models import Relationship
from crm_graph.domains.tasks.models import Task
from crm_graph.kernel.db import make_engine
from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity.auth import issue_token
from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import entity_by_record_type

SECRET = "authz-test-secret-of-at-least-thirty-two-bytes"
T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)

TYPES = ("organization", "contact", "opportunity", "interaction", "task", "relationship")
TABLES: dict[str, sa.Table] = {
    "organization": Organization.__table__,  # type: ignore[attr-defined]
    "contact": Contact.__table__,  # type: ignore[attr-defined]
    "opportunity": Opportunity.__table__,  # type: ignore[attr-defined]
    "interaction": Interaction.__table__,  # type: ignore[attr-defined]
    "task": Task.__table__,  # type: ignore[attr-defined]
    "relationship": Relationship.__table__,  # type: ignore[attr-defined]
}
OWNER_COLUMN = {"task": "assignee_id", "relationship": None}
PARTICIPANTS: sa.Table = InteractionParticipant.__table__  # type: ignore[attr-defined]

# Team tree: name -> parent.
TEAMS: dict[str, str | None] = {
    "Ops": None,
    "Sales": None,
    "Sales Reps": "Sales",
    "Marketing": None,
    "Service": None,
    "Insights": None,
}
# User key -> (role, team). The key is also the local part of the user's email.
PEOPLE: dict[str, tuple[str, str]] = {
    "admin": ("admin", "Ops"),
    "admin2": ("admin", "Ops"),
    "manager": ("sales_manager", "Sales"),
    "rep1": ("sales_rep", "Sales Reps"),
    "rep2": ("sales_rep", "Sales Reps"),
    "marketing": ("marketing_manager", "Marketing"),
    "marketing2": ("marketing_manager", "Marketing"),
    "service": ("service_manager", "Service"),
    "agent": ("service_agent", "Service"),
    "analyst": ("analyst", "Insights"),
    "analyst2": ("analyst", "Insights"),
}
# Role -> (the user acting in it, a user of its team, a user outside its team).
# A rep's "outside" is the manager: the team scope looks down the tree, not up.
# An API key (integration) has no user, so nothing is its own or its team's.
ACTORS: dict[str, tuple[str | None, str | None, str]] = {
    "admin": ("admin", "admin2", "rep1"),
    "sales_manager": ("manager", "rep1", "agent"),
    "sales_rep": ("rep1", "rep2", "manager"),
    "marketing_manager": ("marketing", "marketing2", "rep1"),
    "service_manager": ("service", "agent", "rep1"),
    "service_agent": ("agent", "service", "rep1"),
    "analyst": ("analyst", "analyst2", "rep1"),
    "integration": (None, None, "rep1"),
}
ROLES = tuple(ACTORS)
HUB_OWNER = "admin"  # owns the organization every other record hangs off


def team_of(key: str) -> set[str]:
    """The users whose records the `team` scope gives `key`: its team and sub-teams."""
    teams = {PEOPLE[key][1]}
    while True:
        more = {t for t, parent in TEAMS.items() if parent in teams} - teams
        if not more:
            break
        teams |= more
    return {k for k, (_, team) in PEOPLE.items() if team in teams}


def gid(record_type: str, id_: uuid.UUID) -> str:
    entity = entity_by_record_type(record_type)
    assert entity is not None, record_type
    return to_global_id(entity, id_)


def random_gid(record_type: str) -> str:
    """A well-formed ID of the type that names nothing."""
    return gid(record_type, uuid.uuid4())


# --- the HTTP side -------------------------------------------------------------


@dataclass
class Client:
    http: httpx.AsyncClient
    token: str

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response body (data and errors), for a 200 response."""
        response = await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    async def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """`data` of an operation that must succeed without errors."""
        body = await self.post(query, variables)
        assert not body.get("errors"), body["errors"]
        data: dict[str, Any] = body["data"]
        return data


def forbidden_at(body: dict[str, Any], path: list[Any]) -> bool:
    """Did the response refuse exactly the field at `path` with code FORBIDDEN?"""
    return [(e.get("path"), (e.get("extensions") or {}).get("code")) for e in body.get("errors") or []] == [
        (path, "FORBIDDEN")
    ]


@pytest.fixture(scope="session")
async def owner_engine(database_url: str) -> AsyncIterator[Any]:
    """Connects as the tables' owner: builds fixtures and reads back what happened."""
    engine = make_engine(database_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
async def authz_http(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, default_tenant="no-such-tenant"
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        yield client


# --- the world -----------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    id: uuid.UUID
    owner: str | None  # user key; for an edge, the owner of its opportunity; None in the other tenant
    participants: frozenset[str] = frozenset()


@dataclass
class Side:
    """One tenant's ids: users by key, its hub organization, its default pipeline and stage."""

    id: uuid.UUID
    slug: str
    users: dict[str, uuid.UUID]
    teams: dict[str, uuid.UUID]
    hub: uuid.UUID
    pipeline: uuid.UUID
    stage: uuid.UUID


@dataclass
class World:
    engine: Any
    http: httpx.AsyncClient
    a: Side
    b: Side  # the other tenant: one admin, "b-admin"
    mutations: set[str]
    rows: dict[str, list[Row]] = field(default_factory=dict)  # tenant A's records by type
    mine: dict[str, dict[str, uuid.UUID]] = field(default_factory=dict)  # type -> owner key -> id
    foreign: dict[str, uuid.UUID] = field(default_factory=dict)  # type -> tenant B's record
    # Owner key (None: tenant B) -> the opportunity its edge joins to its hub.
    edge_targets: dict[str | None, uuid.UUID] = field(default_factory=dict)
    shared_interaction: uuid.UUID | None = None  # the manager's, rep1 took part
    api_key: str | None = None

    def client(self, who: str) -> Client:
        """A client acting as a user (by key) or, for "integration", as an API key."""
        if who == "integration":
            assert self.api_key is not None, "the integration actor's API key was not created"
            return Client(self.http, self.api_key)
        return Client(self.http, issue_token(SECRET, self.a.id, self.a.users[who]))

    def as_role(self, role: str) -> Client:
        actor = ACTORS[role][0]
        return self.client(actor if actor is not None else "integration")

    def b_client(self) -> Client:
        return Client(self.http, issue_token(SECRET, self.b.id, self.b.users["b-admin"]))

    async def insert(self, record_type: str, owner: str | None, /, *, tenant: str = "a", **values: Any) -> uuid.UUID:
        """A fresh record of tenant "a" owned by the user `owner`, or of tenant "b"
        (owned by its admin). An edge joins the hub to a fresh opportunity of `owner`."""
        side = self.a if tenant == "a" else self.b
        owner_id = side.users[owner] if owner is not None else side.users["b-admin"]
        async with self.engine.begin() as conn:
            return await _insert(conn, side, record_type, owner_id, values)

    async def row(self, record_type: str, id_: uuid.UUID) -> Any:
        t = TABLES[record_type]
        async with self.engine.connect() as conn:
            return (await conn.execute(sa.select(t).where(t.c.id == id_))).first()

    async def count(self, record_type: str, tenant: str = "a") -> int:
        t = TABLES[record_type]
        side = self.a if tenant == "a" else self.b
        async with self.engine.connect() as conn:
            return int((await conn.execute(sa.select(sa.func.count()).where(t.c.tenant_id == side.id))).scalar_one())


async def _insert(conn: Any, side: Side, record_type: str, owner_id: uuid.UUID, values: dict[str, Any]) -> uuid.UUID:
    id_ = uuid.uuid4()
    base: dict[str, Any] = {"id": id_, "tenant_id": side.id}
    if record_type == "organization":
        row = {"name": f"Org {id_.hex[:6]}", "owner_id": owner_id}
    elif record_type == "contact":
        row = {
            "first_name": "Cora",
            "last_name": f"C{id_.hex[:6]}",
            "emails": [f"{id_.hex[:8]}@mail.example"],
            "phones": ["+1 555 0100"],
            "organization_id": side.hub,
            "owner_id": owner_id,
        }
    elif record_type == "opportunity":
        row = {
            "name": f"Deal {id_.hex[:6]}",
            "pipeline_id": side.pipeline,
            "stage_id": side.stage,
            "organization_id": side.hub,
            "amount": Decimal("5000.00"),
            "owner_id": owner_id,
        }
    elif record_type == "interaction":
        row = {
            "kind": "call",
            "subject": f"Call {id_.hex[:6]}",
            "occurred_at": T0,
            "organization_id": side.hub,
            "owner_id": owner_id,
        }
    elif record_type == "task":
        row = {
            "title": f"Task {id_.hex[:6]}",
            "assignee_id": owner_id,
            "record_type": "organization",
            "record_id": side.hub,
        }
    elif record_type == "relationship":
        opportunity = await _insert(conn, side, "opportunity", owner_id, {})
        row = {
            "kind": "competing_on",
            "source_type": "organization",
            "source_id": side.hub,
            "target_type": "opportunity",
            "target_id": opportunity,
        }
    else:
        raise AssertionError(record_type)
    await conn.execute(sa.insert(TABLES[record_type]).values({**base, **row, **values}))
    if record_type == "interaction":
        await conn.execute(sa.insert(PARTICIPANTS).values(tenant_id=side.id, interaction_id=id_, user_id=owner_id))
    return id_


async def _side(conn: Any, slug: str, people: dict[str, tuple[str, str | None]]) -> Side:
    tenant_id = await provisioning.create_tenant(conn, slug, f"Authz {slug}")
    teams: dict[str, uuid.UUID] = {}
    for name, parent in TEAMS.items():
        teams[name] = await provisioning.create_team(conn, tenant_id, name, teams[parent] if parent else None)
    users = {
        key: await provisioning.create_user(
            conn, tenant_id, f"{key}@{slug}.example", key, [role], teams[team] if team else None
        )
        for key, (role, team) in people.items()
    }
    p, s = Pipeline.__table__, Stage.__table__  # type: ignore[attr-defined]
    pipeline = (await conn.execute(sa.select(p.c.id).where(p.c.tenant_id == tenant_id, p.c.is_default))).scalar_one()
    stage = (
        await conn.execute(sa.select(s.c.id).where(s.c.pipeline_id == pipeline).order_by(s.c.position).limit(1))
    ).scalar_one()
    side = Side(tenant_id, slug, users, teams, uuid.uuid4(), pipeline, stage)
    await conn.execute(
        sa.insert(TABLES["organization"]).values(
            id=side.hub, tenant_id=tenant_id, name=f"Hub of {slug}", owner_id=users[next(iter(people))]
        )
    )
    return side


MUTATION_NAMES = "{ __schema { mutationType { fields { name } } } }"
API_KEY_CREATE = """mutation { apiKeyCreate(input: {name: "authz matrix", role: "integration"}) {
  secret errors { message } } }"""


async def build_world(engine: Any, http: httpx.AsyncClient) -> World:
    tag = uuid.uuid4().hex[:8]
    async with engine.begin() as conn:
        a = await _side(conn, f"authz-{tag}", dict(PEOPLE))
        b = await _side(conn, f"other-{tag}", {"b-admin": ("admin", None)})
        world = World(engine, http, a, b, set())
        for record_type in TYPES:
            world.mine[record_type] = {}
            world.rows[record_type] = []
            for key in PEOPLE:
                id_ = await _insert(conn, a, record_type, a.users[key], {})
                world.mine[record_type][key] = id_
                world.rows[record_type].append(
                    Row(id_, key, frozenset({key}) if record_type == "interaction" else frozenset())
                )
            world.foreign[record_type] = await _insert(conn, b, record_type, b.users["b-admin"], {})
        # Each edge brought an opportunity of the edge's owner along.
        edges = TABLES["relationship"]
        for key, edge in [*world.mine["relationship"].items(), (None, world.foreign["relationship"])]:
            target = (await conn.execute(sa.select(edges.c.target_id).where(edges.c.id == edge))).scalar_one()
            world.edge_targets[key] = target
            if key is not None:
                world.rows["opportunity"].append(Row(target, key))
        world.rows["organization"].append(Row(a.hub, HUB_OWNER))
        # An interaction the manager logged with rep1 taking part: rep1's own too.
        shared = await _insert(conn, a, "interaction", a.users["manager"], {"subject": "Pipeline review"})
        await conn.execute(
            sa.insert(PARTICIPANTS).values(tenant_id=a.id, interaction_id=shared, user_id=a.users["rep1"])
        )
        world.shared_interaction = shared
        world.rows["interaction"].append(Row(shared, "manager", frozenset({"manager", "rep1"})))
    body = await world.client("admin").post(MUTATION_NAMES)
    world.mutations = {f["name"] for f in body["data"]["__schema"]["mutationType"]["fields"]}
    if "apiKeyCreate" in world.mutations:
        data = await world.client("admin")(API_KEY_CREATE)
        assert data["apiKeyCreate"]["errors"] == [], data
        world.api_key = data["apiKeyCreate"]["secret"]
    return world


@pytest.fixture(scope="module")
async def world(owner_engine: Any, authz_http: httpx.AsyncClient) -> World:
    """A fresh world for the module; tests that write build their own records in it."""
    return await build_world(owner_engine, authz_http)
