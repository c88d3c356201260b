"""Webhooks end to end: a mutation's event reaches a real receiver once, signed so
the `standardwebhooks` library verifies it; failures retry on the documented
schedule (controlled clock, no waiting); 410 disables; per-record order holds;
secrets are shown once; only admins manage webhooks."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from standardwebhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from crm_graph.platform.webhooks import delivery
from crm_graph.platform.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery
from crm_graph.readside.ids import from_global_id

WEBHOOKS = Webhook.__table__
DELIVERIES = WebhookDelivery.__table__
ATTEMPTS = WebhookAttempt.__table__

CREATE = """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) {
  webhook { id url eventTypes disabledAt } secret errors { __typename message path ... on ValidationError { code } } } }"""
ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { __typename } } }"""
ORG_UPDATE = """mutation($i: OrganizationUpdateInput!) { organizationUpdate(input: $i) { organization { id } errors { __typename } } }"""
ROTATE = """mutation($i: WebhookIdInput!) { webhookRotateSecret(input: $i) { secret webhook { previousSecretExpiresAt } errors { __typename } } }"""
TEST = """mutation($i: WebhookIdInput!) { webhookTest(input: $i) { delivery { id status } errors { __typename } } }"""
REDELIVER = """mutation($i: WebhookRedeliverInput!) { webhookRedeliver(input: $i) { delivery { id status } errors { __typename } } }"""
DELIVERIES_Q = """query($w: ID, $s: String) { webhookDeliveries(webhookId: $w, status: $s, first: 10) {
  totalCount edges { node { id eventType status attempts lastStatusCode responseExcerpt webhook { id } } } } }"""


async def _create(gql: Any, url: str, types: list[str]) -> tuple[str, str]:
    out = (await gql(CREATE, {"i": {"url": url, "eventTypes": types, "description": "test"}}))["webhookCreate"]
    assert out["errors"] == [], out
    return out["webhook"]["id"], out["secret"]


async def _org(gql: Any, name: str = "Acme") -> str:
    return (await gql(ORG, {"i": {"name": name}}))["organizationCreate"]["organization"]["id"]


async def _run(ctx: dict[str, Any], tenant_id: Any) -> None:
    await delivery.webhook_fanout(ctx, tenant_id)
    await delivery.retry_due_deliveries(ctx, tenant_id)


async def _deliveries(engine: Any, tenant_id: Any) -> list[Any]:
    async with engine.connect() as conn:
        stmt = sa.select(DELIVERIES).where(DELIVERIES.c.tenant_id == tenant_id).order_by(DELIVERIES.c.event_seq)
        return [r._mapping for r in (await conn.execute(stmt)).all()]


def _verify(secret: str, request: Any) -> dict[str, Any]:
    return Verifier(secret).verify(request.body, request.headers)


async def test_the_secret_is_shown_once_and_never_listed(gql, allow_private, receiver):
    _, secret = await _create(gql, receiver.url, ["organization.*"])
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 24
    listed = await gql("{ webhooks(first: 10) { totalCount edges { node { id url eventTypes } } } }")
    assert listed["webhooks"]["totalCount"] == 1
    assert secret not in json.dumps(listed)
    fields = await gql('{ __type(name: "Webhook") { fields { name } } }')
    assert not [f for f in fields["__type"]["fields"] if "secret" in f["name"].lower() and "Expires" not in f["name"]]


async def test_a_mutation_reaches_the_receiver_once_signed(gql, tenant, ctx, receiver):
    webhook_id, secret = await _create(gql, receiver.url, ["organization.created"])
    org_id = await _org(gql)
    await _run(ctx, tenant.id)
    await _run(ctx, tenant.id)  # a second round sends nothing more
    assert len(receiver.requests) == 1
    event = _verify(secret, receiver.requests[0])
    assert event["type"] == "organization.created" and event["changes"]["name"] == [None, "Acme"]
    rows = await _deliveries(tenant.engine, tenant.id)
    assert len(rows) == 1 and receiver.requests[0].headers["webhook-id"] == str(rows[0]["id"])
    listed = (await gql(DELIVERIES_Q, {"w": webhook_id, "s": "succeeded"}))["webhookDeliveries"]
    node = listed["edges"][0]["node"]
    assert listed["totalCount"] == 1 and node["attempts"] == 1 and node["lastStatusCode"] == 200
    assert node["responseExcerpt"] == "answer 200" and node["webhook"]["id"] == webhook_id
    assert org_id


async def test_500_then_429_then_200_follows_the_schedule(gql, tenant, ctx, clock, receiver):
    receiver.answer(500, (429, {"Retry-After": "120"}), 200)
    _, secret = await _create(gql, receiver.url, ["organization.created"])
    await _org(gql)
    t0 = clock.now
    await _run(ctx, tenant.id)
    [d] = await _deliveries(tenant.engine, tenant.id)
    assert (d["status"], d["attempts"], d["next_attempt_at"]) == ("pending", 1, t0 + timedelta(seconds=5))
    clock.advance(seconds=4.9)
    assert await delivery.retry_due_deliveries(ctx, tenant.id) == 0  # not due yet
    clock.now = t0 + timedelta(seconds=5)
    await delivery.retry_due_deliveries(ctx, tenant.id)
    [d] = await _deliveries(tenant.engine, tenant.id)
    assert (d["attempts"], d["last_status_code"]) == (2, 429)
    assert d["next_attempt_at"] == t0 + timedelta(seconds=5 + 120)  # Retry-After, not the schedule's 30 s
    clock.advance(seconds=119)
    assert await delivery.retry_due_deliveries(ctx, tenant.id) == 0
    clock.advance(seconds=1)
    await delivery.retry_due_deliveries(ctx, tenant.id)
    [d] = await _deliveries(tenant.engine, tenant.id)
    assert (d["status"], d["attempts"], d["next_attempt_at"]) == ("succeeded", 3, None)
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 1  # receivers can deduplicate
    assert all(_verify(secret, r) for r in receiver.requests)
    async with tenant.engine.connect() as conn:
        log = (
            await conn.execute(
                sa.select(ATTEMPTS.c.attempt, ATTEMPTS.c.status_code, ATTEMPTS.c.at)
                .where(ATTEMPTS.c.delivery_id == d["id"])
                .order_by(ATTEMPTS.c.attempt)
            )
        ).all()
    assert [(a, c, at - t0) for a, c, at in log] == [
        (1, 500, timedelta(0)),
        (2, 429, timedelta(seconds=5)),
        (3, 200, timedelta(seconds=125)),
    ]


async def test_failures_end_dead_after_about_three_days(gql, tenant, ctx, clock, receiver):
    receiver.answer(*[503] * 20)
    await _create(gql, receiver.url, ["organization.created"])
    await _org(gql)
    t0 = clock.now
    await _run(ctx, tenant.id)
    for _ in range(len(delivery.SCHEDULE)):
        [d] = await _deliveries(tenant.engine, tenant.id)
        clock.now = d["next_attempt_at"]
        await delivery.retry_due_deliveries(ctx, tenant.id)
    [d] = await _deliveries(tenant.engine, tenant.id)
    assert (d["status"], d["attempts"]) == ("dead", len(delivery.SCHEDULE) + 1)
    assert timedelta(days=3) < clock.now - t0 < timedelta(days=3, hours=6)


async def test_410_disables_the_webhook(gql, tenant, ctx, receiver):
    receiver.answer(410)
    await _create(gql, receiver.url, ["organization.created"])
    await _org(gql)
    await _run(ctx, tenant.id)
    [d] = await _deliveries(tenant.engine, tenant.id)
    assert d["status"] == "failed"
    hooks = (await gql("{ webhooks(first: 5) { edges { node { disabledAt disabledReason } } } }"))["webhooks"]
    assert hooks["edges"][0]["node"]["disabledAt"] and "410" in hooks["edges"][0]["node"]["disabledReason"]
    await _org(gql, "Later")
    await _run(ctx, tenant.id)
    assert len(receiver.requests) == 1  # nothing more goes to a disabled endpoint


async def test_five_days_of_failures_disable_the_webhook(gql, tenant, ctx, clock, receiver):
    receiver.answer(*[500] * 30)
    await _create(gql, receiver.url, ["organization.*"])
    await _org(gql)
    await _run(ctx, tenant.id)
    async with tenant.engine.begin() as conn:  # as if it had been failing for 5 days
        await conn.execute(
            sa.update(WEBHOOKS)
            .where(WEBHOOKS.c.tenant_id == tenant.id)
            .values(failing_since=clock.now - timedelta(days=5))
        )
    clock.advance(seconds=5)
    await delivery.retry_due_deliveries(ctx, tenant.id)
    async with tenant.engine.connect() as conn:
        reason = (
            await conn.execute(sa.select(WEBHOOKS.c.disabled_reason).where(WEBHOOKS.c.tenant_id == tenant.id))
        ).scalar()
    assert reason and "5 days" in reason


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "https://10.1.2.3/x",
        "http://169.254.169.254/latest",
        "http://[::1]/x",
        "ftp://example.com/x",
    ],
)
async def test_private_and_odd_urls_are_refused_without_the_flag(gql, url):
    out = (await gql(CREATE, {"i": {"url": url, "eventTypes": ["*"]}}))["webhookCreate"]
    assert out["webhook"] is None and out["secret"] is None
    assert out["errors"][0]["__typename"] == "ValidationError" and out["errors"][0]["path"] == ["input", "url"]


async def test_event_types_are_checked(gql, allow_private, receiver):
    out = (await gql(CREATE, {"i": {"url": receiver.url, "eventTypes": ["Not A Type"]}}))["webhookCreate"]
    assert out["errors"][0]["path"] == ["input", "eventTypes", "0"]


async def test_the_old_secret_verifies_for_24_hours_after_rotation(gql, tenant, ctx, clock, receiver):
    webhook_id, old = await _create(gql, receiver.url, ["organization.created"])
    rotated = (await gql(ROTATE, {"i": {"id": webhook_id}}))["webhookRotateSecret"]
    new = rotated["secret"]
    assert new.startswith("whsec_") and new != old and rotated["webhook"]["previousSecretExpiresAt"]
    test = (await gql(TEST, {"i": {"id": webhook_id}}))["webhookTest"]["delivery"]
    clock.advance(seconds=1)  # the test delivery is due from the database's now()
    await delivery.retry_due_deliveries(ctx, tenant.id)
    first = receiver.requests[0]
    assert _verify(old, first)["type"] == "webhook.test" and _verify(new, first)
    assert first.headers["webhook-id"] == str(from_global_id(test["id"])[1])
    clock.advance(hours=24, seconds=1)
    again = (await gql(REDELIVER, {"i": {"deliveryId": test["id"]}}))["webhookRedeliver"]
    assert again["errors"] == [] and again["delivery"]["status"] == "pending"
    await delivery.retry_due_deliveries(ctx, tenant.id)
    second = receiver.requests[1]
    assert second.headers["webhook-id"] == first.headers["webhook-id"]
    assert _verify(new, second)
    with pytest.raises(WebhookVerificationError):
        _verify(old, second)


async def test_a_record_s_events_wait_for_the_earlier_one(gql, tenant, ctx, clock, receiver):
    receiver.answer(500)
    await _create(gql, receiver.url, ["organization.*"])
    org_id = await _org(gql)
    await gql(ORG_UPDATE, {"i": {"id": org_id, "name": "Acme 2"}})
    await _run(ctx, tenant.id)
    created, updated = await _deliveries(tenant.engine, tenant.id)
    assert (created["status"], created["attempts"]) == ("pending", 1)
    assert (updated["status"], updated["attempts"]) == ("pending", 0)  # held while `created` is pending
    await _org(gql, "Other")  # another record: not held back
    await _run(ctx, tenant.id)
    assert [json.loads(r.body)["changes"]["name"][1] for r in receiver.requests] == ["Acme", "Other"]
    clock.advance(seconds=5)
    await delivery.retry_due_deliveries(ctx, tenant.id)
    acme = [
        (json.loads(r.body)["type"], json.loads(r.body)["changes"]["name"])
        for r in receiver.requests
        if json.loads(r.body)["record_id"] == str(created["record_id"])
    ]
    assert acme == [
        ("organization.created", [None, "Acme"]),
        ("organization.created", [None, "Acme"]),
        ("organization.updated", ["Acme", "Acme 2"]),
    ]
    assert {d["status"] for d in await _deliveries(tenant.engine, tenant.id)} == {"succeeded"}


async def test_only_admins_manage_webhooks(tenant, allow_private, receiver):
    rep = tenant.client(await tenant.user("rep@example.test", ["sales_rep"]))
    for query, variables in (
        (CREATE, {"i": {"url": receiver.url, "eventTypes": ["*"]}}),
        ("{ webhooks(first: 5) { totalCount } }", None),
        ("{ webhookDeliveries(first: 5) { totalCount } }", None),
    ):
        body = (await rep.post(query, variables)).json()
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    assert receiver.requests == []


def test_retry_after_accepts_seconds_and_http_dates(clock):
    now = clock.now.replace(microsecond=0)
    assert delivery.retry_after("120", now) == 120
    http_date = (now + timedelta(minutes=3)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert delivery.retry_after(http_date, now) == 180
    assert delivery.retry_after("soon", now) is None
    assert delivery.retry_after("999999999", now) == delivery.MAX_RETRY_AFTER
