"""The generated Python client (clients/python) against a real crm-graph over TCP:
authentication, paging, typed payload errors, a subscription, and a webhook whose
signature the helper verifies."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator

import pytest
import standardwebhooks
import uvicorn
from crm_graph_client import (
    CrmClient,
    GraphQLClientHttpError,
    PayloadError,
    WebhookVerificationError,
    paginate,
    unwrap,
    verify,
)
from crm_graph_client.generated.input_types import (
    OrganizationCreateInput,
    OrganizationUpdateInput,
    WebhookCreateInput,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.clients.conftest import LiveServer

ADMIN = "admin@demo.example"


async def test_token_is_sent_and_a_missing_one_is_refused(live_server: LiveServer):
    async with CrmClient(live_server.graphql, live_server.token(ADMIN)) as crm:
        viewer = (await crm.viewer()).viewer
    assert viewer is not None and viewer.email == ADMIN and "admin" in viewer.roles
    async with CrmClient(live_server.graphql, "not-a-token") as crm:
        with pytest.raises(GraphQLClientHttpError) as refused:
            await crm.viewer()
    assert refused.value.status_code == 401


async def test_paginate_yields_every_organization_once(live_server: LiveServer):
    requests = 0
    async with CrmClient(live_server.graphql, live_server.token(ADMIN)) as crm:
        total = (await crm.organizations_page(first=1)).organizations.total_count

        async def page(after: str | None):
            nonlocal requests
            requests += 1
            return await crm.organizations_page(first=5, after=after)

        names = [org.name async for org in paginate(page, lambda p: p.organizations)]
        limited = [org.id async for org in paginate(page, lambda p: p.organizations, limit=7)]
    assert total > 5
    assert len(names) == total and len(set(names)) == total
    assert len(limited) == 7


async def test_payload_errors_are_typed(live_server: LiveServer):
    async with CrmClient(live_server.graphql, live_server.token(ADMIN)) as crm:
        refused = (await crm.organization_create(OrganizationCreateInput(name=""))).organization_create
        with pytest.raises(PayloadError) as error:
            unwrap(refused)
        validation = error.value.of_type("ValidationError")
        assert [e.path for e in validation] == [["input", "name"]]
        assert error.value.for_field("name") is validation[0]

        created = unwrap((await crm.organization_create(OrganizationCreateInput(name="Py Co"))).organization_create)
        assert created.organization is not None
        org = created.organization
        update = OrganizationUpdateInput(id=org.id, expected_version=org.version, name="Py Co 2")
        unwrap((await crm.organization_update(update)).organization_update)
        stale = (await crm.organization_update(update)).organization_update
    conflict = [e for e in stale.errors if e.typename__ == "Conflict"]
    assert len(conflict) == 1 and conflict[0].current_version == org.version + 1  # type: ignore[union-attr]


async def test_subscription_receives_live_events(live_server: LiveServer):
    async with CrmClient(live_server.graphql, live_server.token(ADMIN)) as crm:
        created: set[str] = set()

        async def create_until_seen() -> None:
            # The subscription may not listen yet when the first one commits: keep creating.
            while True:
                payload = await crm.organization_create(OrganizationCreateInput(name=f"Live {time.time()}"))
                created.add(unwrap(payload.organization_create).organization.id)  # type: ignore[union-attr]
                await asyncio.sleep(1)

        creator = asyncio.create_task(create_until_seen())
        try:
            async with asyncio.timeout(30):
                async for message in crm.events(types=["organization.created"]):
                    if message.events.record_id in created:
                        break
        finally:
            creator.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await creator
    assert message.events.type_ == "organization.created"


@contextlib.asynccontextmanager
async def receiver() -> AsyncIterator[tuple[str, asyncio.Queue[tuple[dict[str, str], bytes]]]]:
    """A webhook endpoint on a free port; yields its URL and the requests it gets."""
    received: asyncio.Queue[tuple[dict[str, str], bytes]] = asyncio.Queue()

    async def hook(request: Request) -> Response:
        await received.put((dict(request.headers), await request.body()))
        return Response(status_code=204)

    server = uvicorn.Server(uvicorn.Config(Starlette(routes=[Route("/hook", hook, methods=["POST"])]),
                                           host="127.0.0.1", port=0, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/hook", received
    finally:
        server.should_exit = True
        await task


async def test_webhook_signature_verifies_and_tampering_does_not(live_server: LiveServer):
    async with receiver() as (url, received), CrmClient(live_server.graphql, live_server.token(ADMIN)) as crm:
        created = unwrap((await crm.webhook_create(WebhookCreateInput(url=url, event_types=["organization.created"]))).webhook_create)
        assert created.webhook is not None and created.secret is not None
        unwrap((await crm.webhook_test(created.webhook.id)).webhook_test)
        headers, body = await asyncio.wait_for(received.get(), 30)
    event = verify(created.secret, headers, body)
    assert event == json.loads(body)
    assert event["type"] == "webhook.test"
    with pytest.raises(WebhookVerificationError):
        verify(created.secret, headers, body + b" ")
    with pytest.raises(WebhookVerificationError):
        verify(created.secret, headers, body, now=time.time() + 3600)
    other_secret = standardwebhooks.Webhook("whsec_" + "A" * 43 + "=")
    forged = {**headers, "webhook-signature": other_secret.sign(headers["webhook-id"], _ts(headers), body.decode())}
    with pytest.raises(WebhookVerificationError):
        verify(created.secret, forged, body)


def _ts(headers: dict[str, str]):
    from datetime import UTC, datetime

    return datetime.fromtimestamp(int(headers["webhook-timestamp"]), UTC)
