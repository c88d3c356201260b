"""A webhook's payloadQuery shapes its payload: run as the creator, for each event."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest
import sqlalchemy as sa

from crm_graph.api.transport import payloads
from crm_graph.kernel.db import APP_ROLE, make_engine
from crm_graph.platform.webhooks import delivery

CREATE = """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) {
  webhook { id } secret errors { __typename message path ... on ValidationError { code } } } }"""
ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { __typename } } }"""
QUERY = """query($recordId: ID!) {
  node(id: $recordId) { __typename ... on Organization { name owner { email } } } }"""


@pytest.fixture
async def shaping_ctx(ctx: dict[str, Any], database_url: str) -> Any:
    app_engine = make_engine(database_url, 1, role=APP_ROLE)
    ctx["shape_payload"] = functools.partial(payloads.shape, app_engine)
    yield ctx
    await app_engine.dispose()


async def test_the_payload_is_the_querys_result(gql, tenant, shaping_ctx, receiver):
    created = await gql(
        CREATE, {"i": {"url": receiver.url, "eventTypes": ["organization.created"], "payloadQuery": QUERY}}
    )
    assert created["webhookCreate"]["errors"] == []
    org = (await gql(ORG, {"i": {"name": "Acme"}}))["organizationCreate"]["organization"]["id"]
    await delivery.webhook_fanout(shaping_ctx, tenant.id)
    await delivery.retry_due_deliveries(shaping_ctx, tenant.id)
    assert len(receiver.requests) == 1
    body = json.loads(receiver.requests[0].body)
    assert body["event"]["type"] == "organization.created" and body["event"]["record_id"] == org
    assert body["data"] == {
        "node": {"__typename": "Organization", "name": "Acme", "owner": {"email": f"admin@{tenant.slug}.example"}}
    }
    assert "errors" not in body


async def test_the_query_sees_what_its_creator_may_see(tenant, shaping_ctx, receiver, allow_private):
    """A rep's payload query cannot read what the rep cannot: field rules apply."""
    marketing_id = await tenant.user(f"mkt@{tenant.slug}.example", ["marketing_manager"])
    await tenant.client()("""mutation { roleGrant(input: {role: "marketing_manager", object: "webhook", action: "create"}) {
        errors { message } } }""")
    marketing = tenant.client(marketing_id)
    query = "query($recordId: ID!) { node(id: $recordId) { ... on Contact { lastName phones } } }"
    created = await marketing(
        CREATE, {"i": {"url": receiver.url, "eventTypes": ["contact.created"], "payloadQuery": query}}
    )
    assert created["webhookCreate"]["errors"] == []
    await tenant.client()("""mutation { contactCreate(input: {firstName: "A", lastName: "Lovelace", phones: ["+1 555 0100"]}) {
        errors { message } } }""")
    await delivery.webhook_fanout(shaping_ctx, tenant.id)
    await delivery.retry_due_deliveries(shaping_ctx, tenant.id)
    body = json.loads(receiver.requests[0].body)
    assert body["data"] == {"node": {"lastName": "Lovelace", "phones": None}}
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        ("query { nope }", "Cannot query field 'nope'"),
        ('mutation { organizationCreate(input: {name: "x"}) { errors { message } } }', "exactly one query"),
        ("query {", "Syntax Error"),
    ],
)
async def test_a_bad_payload_query_is_refused(gql, receiver, allow_private, document, fragment):
    out = (await gql(CREATE, {"i": {"url": receiver.url, "eventTypes": ["*"], "payloadQuery": document}}))[
        "webhookCreate"
    ]
    assert out["webhook"] is None
    assert out["errors"][0]["code"] == "INVALID_QUERY" and out["errors"][0]["path"] == ["input", "payloadQuery"]


DEEP = "query { " + "a { " * 11 + "b" + " }" * 11 + " }"
ALIASED = "query { " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"
COSTLY = """query { organizations(first: 100) { edges { node { contacts(first: 100) { edges { node {
  interactions(first: 100) { edges { node { id } } } } } } } } } }"""


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        (DEEP, "nested deeper than 10"),
        (ALIASED, "more than 15 aliases"),
        ("query { " + "a " * 2100 + "}", "2000 tokens"),
        (COSTLY, "more than the limit of 25000"),
    ],
)
async def test_a_payload_query_over_the_api_s_limits_is_refused(gql, receiver, allow_private, document, fragment):
    out = (await gql(CREATE, {"i": {"url": receiver.url, "eventTypes": ["*"], "payloadQuery": document}}))[
        "webhookCreate"
    ]
    assert out["webhook"] is None
    assert out["errors"][0]["code"] == "INVALID_QUERY" and fragment in out["errors"][0]["message"], out["errors"]


async def test_the_limits_apply_again_when_the_query_runs(gql, tenant, shaping_ctx, receiver, engine):
    """A query saved under looser limits (or written to the table) is refused at run
    time: the payload says why, and the query does not run."""
    created = await gql(
        CREATE, {"i": {"url": receiver.url, "eventTypes": ["organization.created"], "payloadQuery": QUERY}}
    )
    assert created["webhookCreate"]["errors"] == []
    async with engine.begin() as conn:
        await conn.execute(
            sa.text("UPDATE webhooks SET payload_query = :q WHERE tenant_id = :t"), {"q": COSTLY, "t": tenant.id}
        )
    await gql(ORG, {"i": {"name": "Acme"}})
    await delivery.webhook_fanout(shaping_ctx, tenant.id)
    await delivery.retry_due_deliveries(shaping_ctx, tenant.id)
    body = json.loads(receiver.requests[0].body)
    assert body["data"] is None and "more than the limit of 25000" in body["errors"][0]["message"]
