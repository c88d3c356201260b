"""A webhook subscribes only to declared event types (the catalog), by name, by
family (`contact.*`) or all (`*`): a misspelt type is refused, naming the entry."""

from __future__ import annotations

import sqlalchemy as sa

from crm_graph.platform.webhooks.models import Webhook

WEBHOOKS = Webhook.__table__
CREATE_HOOK = """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) { webhook { id eventTypes } secret
  errors { __typename message path ... on ValidationError { code } } } }"""


async def test_webhooks_subscribe_only_to_declared_event_types(gql, allow_private, receiver, engine, tenant):
    out = await gql(
        CREATE_HOOK, {"i": {"url": receiver.url, "eventTypes": ["organization.created", "opportunity.stage_chnaged"]}}
    )
    out = out["webhookCreate"]
    assert out["webhook"] is None and out["secret"] is None
    [error] = out["errors"]
    assert error["__typename"] == "ValidationError" and error["code"] == "UNKNOWN_EVENT_TYPE"
    assert error["path"] == ["input", "eventTypes", "1"] and "opportunity.stage_chnaged" in error["message"]
    unknown_family = await gql(CREATE_HOOK, {"i": {"url": receiver.url, "eventTypes": ["organisation.*"]}})
    assert unknown_family["webhookCreate"]["errors"][0]["path"] == ["input", "eventTypes", "0"]
    async with engine.connect() as conn:
        assert (
            await conn.execute(
                sa.select(sa.func.count()).select_from(WEBHOOKS).where(WEBHOOKS.c.tenant_id == tenant.id)
            )
        ).scalar_one() == 0
    # Exact types, families and * still work.
    ok = await gql(
        CREATE_HOOK, {"i": {"url": receiver.url, "eventTypes": ["opportunity.stage_changed", "contact.*", "*"]}}
    )
    assert ok["webhookCreate"]["errors"] == []
    assert ok["webhookCreate"]["webhook"]["eventTypes"] == ["opportunity.stage_changed", "contact.*", "*"]
