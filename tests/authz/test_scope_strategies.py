"""The row-scope strategies themselves, over a real PostgreSQL: `Assigned` with a team
(queue) column, which no table uses yet (service cases will); what each strategy
honours; and record types without a declaration failing closed, at start-up and at
call, never falling back to the whole tenant.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from crm_graph import provisioning
from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.enabled import default_rules
from crm_graph.domains.opportunities.models import Stage
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.platform.authz.rules import check_rules
from crm_graph.platform.identity.models import Team
from crm_graph.readside.scope import bound_actor, honoured, row_scope, scope_values
from crm_graph.readside.spec import Assigned, Entity, Inherits, Ref, UnknownRecordType, declared, register

CASES = sa.Table(
    "scope_cases",
    sa.MetaData(),
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("tenant_id", sa.Uuid, nullable=False),
    sa.Column("assignee_id", sa.Uuid),
    sa.Column("queue_id", sa.Uuid),
    prefixes=["TEMPORARY"],
)
CASE = Entity(
    name="ScopeCase",
    record_type="scope_case",
    table=CASES,
    tag=10_001,
    fields=[],
    scope=Assigned(user_column="assignee_id", team_column="queue_id", teams=Team.__table__),
)


@dataclass
class Fixed:
    """The permissions of a role with one rule on every type, at `granted`."""

    granted: str

    def scope(self, obj: str, action: str) -> str:
        return self.granted

    def generation(self) -> int:
        return 0


async def test_assigned_covers_the_assignee_the_queue_and_the_queues_below(engine):
    async with engine.connect() as conn, conn.begin():
        tenant = await provisioning.create_tenant(conn, f"cases-{uuid.uuid4().hex[:8]}", "Cases")
        service = await provisioning.create_team(conn, tenant, "Service", None)
        tier1 = await provisioning.create_team(conn, tenant, "Tier 1", service)
        tier2 = await provisioning.create_team(conn, tenant, "Tier 2", tier1)  # no members: found by the team tree
        sales = await provisioning.create_team(conn, tenant, "Sales", None)
        me = await provisioning.create_user(conn, tenant, "me@cases.example", "Me", ["service_manager"], service)
        mate = await provisioning.create_user(conn, tenant, "mate@cases.example", "Mate", ["service_agent"], tier1)
        other = await provisioning.create_user(conn, tenant, "other@cases.example", "Other", ["sales_rep"], sales)
        await conn.run_sync(lambda sync: CASES.create(sync))
        rows = {
            "mine": (me, None),
            "mate's": (mate, None),
            "other's": (other, None),
            "my queue": (None, service),
            "tier 2 queue": (None, tier2),
            "sales queue": (None, sales),
            "nobody's": (None, None),
            "other's, in my queue": (other, service),
        }
        await conn.execute(
            sa.insert(CASES),
            [{"id": k, "tenant_id": tenant, "assignee_id": u, "queue_id": q} for k, (u, q) in rows.items()],
        )
        await conn.execute(sa.insert(CASES).values(id="another tenant's", tenant_id=uuid.uuid4(), assignee_id=me))

        async def seen(scope: str, bound: bool = False) -> set[str]:
            actor = Actor(tenant, me, ("service_manager",), service, team_user_ids=(me, mate), permissions=Fixed(scope))
            where = row_scope(CASE, CASES, bound_actor(actor) if bound else actor)
            found = await conn.execute(sa.select(CASES.c.id).where(where), scope_values(actor) if bound else {})
            return set(found.scalars())

        own = {"mine", "my queue", "other's, in my queue"}
        team = own | {"mate's", "tier 2 queue"}
        assert await seen("own") == own
        assert await seen("team") == team
        assert await seen("tenant") == set(rows)
        # As the compiled path and the events build it: the actor's ids as parameters.
        assert (await seen("own", True), await seen("team", True)) == (own, team)
        await conn.rollback()


def test_what_each_strategy_honours():
    by_type = {
        t: honoured(declared(t))
        for t in (
            "opportunity",
            "interaction",
            "task",
            "user",
            "pipeline",
            "relationship",
            "opportunity_stage_change",
            "audit_entry",
        )
    }
    assert by_type == {
        "opportunity": ("own", "team", "tenant"),
        "interaction": ("own", "team", "tenant"),
        "task": ("own", "team", "tenant"),
        "user": ("tenant",),
        "pipeline": ("tenant",),
        "relationship": ("tenant",),  # both ends polymorphic
        "opportunity_stage_change": ("own", "team", "tenant"),  # as its opportunity
        "audit_entry": ("own", "team", "tenant"),
    }
    stage_table = Stage.__table__  # type: ignore[attr-defined]
    child_of_pipeline = Entity(
        name="X",
        record_type="x",
        table=stage_table,
        tag=10_002,
        fields=[],
        refs=[Ref("pipeline", "Pipeline", "pipeline_id")],
        scope=Inherits("pipeline"),
    )
    assert honoured(child_of_pipeline) == ("tenant",)  # a pipeline has no owner, nor has what it holds


def test_an_entity_without_a_row_scope_is_refused_at_declaration():
    with pytest.raises(ValueError, match="declares no row scope"):
        register(Entity(name="Unscoped", record_type="unscoped", table=CASES, tag=10_003, fields=[]))
    with pytest.raises(UnknownRecordType):
        declared("unscoped")


def test_default_rules_are_checked_at_start_up(monkeypatch):
    check_rules(default_rules())  # the shipped defaults pass
    bad = [*default_rules(), ("sales_rep", "user", "update", "own", "allow")]
    with pytest.raises(ValueError, match="'user', 'update', 'own'"):
        check_rules(bad)
    from crm_graph import app

    monkeypatch.setattr(app, "default_rules", lambda: bad)
    with pytest.raises(ValueError, match="cannot honour"):
        app.create_app()


async def test_a_misspelled_record_type_fails_instead_of_reaching_the_tenant(tenant, engine):
    orgs = Organization.__table__  # type: ignore[attr-defined]
    async with engine.connect() as conn, conn.begin():
        org = (
            await conn.execute(
                sa.insert(orgs).values(tenant_id=tenant.id, name="Acme", owner_id=tenant.admin_id).returning(orgs.c.id)
            )
        ).scalar_one()
        uow = UnitOfWork(conn, Actor(tenant.id, uuid.uuid4(), ("sales_rep",), permissions=Fixed("own")))
        with pytest.raises(UnknownRecordType):
            await writes.require_exists(uow, orgs, "organisation", org, ("organizationId",))
        with pytest.raises(UnknownRecordType):
            await writes.load(uow, orgs, "organisation", org)
        await conn.rollback()
