"""Every event type is declared: the unit of work refuses others and the API lists
them (webhooks subscribe only to declared ones: tests/webhooks/test_event_types.py)."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from crm_graph.kernel.actor import Actor
from crm_graph.kernel.catalog import CATALOG, Catalog, EventType, UndeclaredEvent
from crm_graph.kernel.db import RequestDB
from crm_graph.platform.events.models import OutboxEvent

OUTBOX = OutboxEvent.__table__
EVENT_TYPES = "{ eventTypes { name recordType description payloadFields } }"


@pytest.mark.parametrize(
    ("type_", "record_type"), [("organization.exploded", "organization"), ("organization.created", "contact")]
)
async def test_an_undeclared_event_type_is_refused_and_nothing_is_written(tenant, engine, type_, record_type):
    db = RequestDB(engine, tenant.id)
    try:
        with pytest.raises(UndeclaredEvent, match=type_):
            async with db.unit_of_work(Actor(tenant.id, tenant.admin_id)) as uow:
                uow.emit(type_, record_type, uuid.uuid4(), 1, {"name": (None, "x")})
    finally:
        await db.close()
    async with engine.connect() as conn:
        count = (
            await conn.execute(sa.select(sa.func.count()).select_from(OUTBOX).where(OUTBOX.c.tenant_id == tenant.id))
        ).scalar_one()
    assert count == 0


async def test_the_api_lists_every_event_type_with_its_record_type_and_payload(tenant, gql):
    listed = {t["name"]: t for t in (await gql(EVENT_TYPES))["eventTypes"]}
    assert listed.keys() == {t.name for t in CATALOG}
    move = listed["opportunity.stage_changed"]
    assert move["recordType"] == "opportunity" and "stage_id" in move["payloadFields"] and move["description"]
    for record_type in ("organization", "contact", "opportunity", "task"):
        for action in ("created", "updated", "archived", "restored"):
            assert listed[f"{record_type}.{action}"]["recordType"] == record_type
    assert "name" in listed["organization.created"]["payloadFields"]
    assert not any("secret" in f for f in listed["webhook.created"]["payloadFields"])
    # Anyone signed in may read the catalog (what they see of events is per record).
    rep = tenant.client(await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
    assert len((await rep(EVENT_TYPES))["eventTypes"]) == len(listed)


def test_a_type_declared_twice_fails_composition():
    twice = EventType("deal.signed", "deal", "A deal was signed.")
    with pytest.raises(ValueError, match=r"deal\.signed"):
        Catalog([twice, twice])
