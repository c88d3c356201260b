"""Insert rows for one tenant straight into the tables, to read them back through GraphQL.

Only for building test data of types whose mutations are not the subject of the test:
every row gets the tenant's id and an explicit UUID (returned), other columns come
from the keyword arguments or the table defaults.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from crm_graph import provisioning
from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.contacts.models import Contact
from crm_graph.domains.interactions.models import Interaction, InteractionParticipant
from crm_graph.domains.opportunities.models import Opportunity, OpportunityStageChange, Pipeline, Stage
from crm_graph.domains.relationships.models import Relationship, RelationshipKind
from crm_graph.domains.tasks.models import Task
from crm_graph.platform.identity.models import Team, User
from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import entity as entity_named

T0 = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)

TABLES = {
    "Organization": Organization.__table__,
    "Contact": Contact.__table__,
    "Opportunity": Opportunity.__table__,
    "Interaction": Interaction.__table__,
    "InteractionParticipant": InteractionParticipant.__table__,
    "Task": Task.__table__,
    "Pipeline": Pipeline.__table__,
    "Stage": Stage.__table__,
    "OpportunityStageChange": OpportunityStageChange.__table__,
    "Relationship": Relationship.__table__,
    "RelationshipKind": RelationshipKind.__table__,
    "User": User.__table__,
    "Team": Team.__table__,
}


def gid(type_name: str, id_: uuid.UUID) -> str:
    """The global ID the API gives the record `id_` of GraphQL type `type_name`."""
    return to_global_id(entity_named(type_name), id_)


def at(days: float = 0, **delta: float) -> datetime:
    """A fixed instant: T0 plus some days (and hours, minutes, ...)."""
    return T0 + timedelta(days=days, **delta)


def day(n: int) -> date:
    return (T0 + timedelta(days=n)).date()


@dataclass
class OtherTenant:
    """A second tenant with an admin, for isolation checks (build rows with Builder(it))."""

    id: uuid.UUID
    admin_id: uuid.UUID
    engine: Any


async def other_tenant(engine: Any) -> OtherTenant:
    slug = f"other-{uuid.uuid4().hex[:10]}"
    async with engine.begin() as conn:
        tid = await provisioning.create_tenant(conn, slug, f"Other {slug}")
        admin = await provisioning.create_user(conn, tid, f"admin@{slug}.example", "Other Admin", ["admin"])
    return OtherTenant(tid, admin, engine)


class Builder:
    """Rows for one tenant. `await b.add("Organization", name=...)` returns the new id."""

    def __init__(self, tenant: Any) -> None:
        self.tenant = tenant
        self.engine = tenant.engine

    async def add_many(self, type_name: str, rows: list[dict[str, Any]]) -> list[uuid.UUID]:
        """Insert rows in one transaction (so they share the default created_at)."""
        if not rows:
            return []
        full = [{"id": uuid.uuid4(), "tenant_id": self.tenant.id, **row} for row in rows]
        async with self.engine.begin() as conn:
            await conn.execute(TABLES[type_name].insert(), full)
        return [r["id"] for r in full]

    async def add(self, type_name: str, **values: Any) -> uuid.UUID:
        (id_,) = await self.add_many(type_name, [values])
        return id_

    async def org(self, name: str, **values: Any) -> uuid.UUID:
        return await self.add("Organization", name=name, **values)

    async def contact(self, first_name: str, last_name: str, **values: Any) -> uuid.UUID:
        return await self.add("Contact", first_name=first_name, last_name=last_name, **values)

    async def edge(
        self, kind: str, source: tuple[str, uuid.UUID], target: tuple[str, uuid.UUID], **values: Any
    ) -> uuid.UUID:
        """An edge `source kind target`; ends are (record type, id), e.g. ("organization", a)."""
        return await self.add(
            "Relationship",
            kind=kind,
            source_type=source[0],
            source_id=source[1],
            target_type=target[0],
            target_id=target[1],
            **values,
        )

    async def pipeline(self) -> tuple[uuid.UUID, dict[str, uuid.UUID]]:
        """The tenant's default pipeline and its stages by name (provisioning creates them)."""
        p, s = Pipeline.__table__, Stage.__table__
        async with self.engine.connect() as conn:
            pid = (
                await conn.execute(sa.select(p.c.id).where(p.c.tenant_id == self.tenant.id, p.c.is_default))
            ).scalar_one()
            stages = (await conn.execute(sa.select(s.c.name, s.c.id).where(s.c.pipeline_id == pid))).all()
        return pid, {name: sid for name, sid in stages}

    async def opportunity(self, name: str, **values: Any) -> uuid.UUID:
        if "pipeline_id" not in values or "stage_id" not in values:
            pid, stages = await self.pipeline()
            values.setdefault("pipeline_id", pid)
            values.setdefault("stage_id", stages["Qualification"])
        return await self.add("Opportunity", name=name, **values)

    async def archive(self, type_name: str, id_: uuid.UUID) -> None:
        t = TABLES[type_name]
        async with self.engine.begin() as conn:
            await conn.execute(sa.update(t).where(t.c.id == id_).values(archived_at=sa.func.now()))
