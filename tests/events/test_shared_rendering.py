"""A live event's selection set is executed once for all the subscribers who would get
the same answer, and never shared with one whose field rules make the answer differ."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from tests.conftest import SECRET
from tests.events.test_subscriptions import (
    CONTACT,
    CONTACT_UPDATE,
    EVENTS,
    TIMEOUT,
    Subscriber,
    mutate,
)

from crm_graph.platform.events.sharing import Counter
from crm_graph.platform.identity.auth import issue_token

FLAT = "subscription($types: [String!]) { events(types: $types) { id type changes { field after } } }"
UPDATED = {"types": ["contact.updated"]}


async def frame(sub: Subscriber, timeout: float = TIMEOUT) -> str:
    """The next `next` message, as the text that came over the socket."""
    while True:
        text = await asyncio.wait_for(sub.ws.recv(), timeout)
        if json.loads(text)["type"] != "ping":
            return str(text)


async def live(subs: list[Subscriber], admin: str, server: Any, contact_id: str) -> None:
    """Nothing acknowledges a subscription: change the contact until each has had an
    event from the live fan-out, then drop what the probes left queued."""
    waiting = set(range(len(subs)))
    for i in range(50):
        await mutate(server, admin, CONTACT_UPDATE, {"i": {"id": contact_id, "title": f"Probe {i}"}})
        for n in list(waiting):
            with contextlib.suppress(TimeoutError):
                await frame(subs[n], 0.3)
                waiting.discard(n)
        if not waiting:
            break
    assert not waiting, "a subscription never went live"
    for sub in subs:
        with contextlib.suppress(TimeoutError):
            while True:
                await frame(sub, 0.3)


async def test_subscribers_with_different_field_rules_on_one_document_get_different_payloads(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    # Marketing managers may not read contacts' phones; two of them, two users.
    mkt1 = issue_token(SECRET, tenant.id, await tenant.user(f"mkt1@{tenant.slug}.example", ["marketing_manager"]))
    mkt2 = issue_token(SECRET, tenant.id, await tenant.user(f"mkt2@{tenant.slug}.example", ["marketing_manager"]))
    contact = (
        await mutate(a, admin, CONTACT, {"i": {"firstName": "Ada", "lastName": "L", "phones": ["+1 555 0100"]}})
    )["contact"]
    async with (
        Subscriber.open(a, admin, FLAT, UPDATED) as adm,
        Subscriber.open(a, mkt1, FLAT, UPDATED) as m1,
        Subscriber.open(a, mkt2, FLAT, UPDATED) as m2,
    ):
        await live([adm, m1, m2], admin, a, contact["id"])
        executions = Counter.executions
        await mutate(a, admin, CONTACT_UPDATE, {"i": {"id": contact["id"], "phones": ["+1 555 0199"], "title": "CTO"}})
        seen = {
            name: json.loads(await frame(sub))["payload"]["data"]["events"]
            for name, sub in (("admin", adm), ("mkt1", m1), ("mkt2", m2))
        }
        executed = Counter.executions - executions
    assert [c["field"] for c in seen["admin"]["changes"]] == ["phones", "title"]
    assert seen["admin"]["changes"][0]["after"] == ["+1 555 0199"]
    assert seen["mkt1"]["changes"] == seen["mkt2"]["changes"] == [{"field": "title", "after": "CTO"}]
    # One execution per field-rule shape: the two marketing managers, two users with
    # the same rules, share theirs (this document reads only the event itself).
    assert executed == 2, executed


async def test_alike_subscribers_cause_one_execution_and_get_the_same_bytes(tenant, servers, relaying):
    a, _ = servers
    admin = issue_token(SECRET, tenant.id, tenant.admin_id)
    contact = (await mutate(a, admin, CONTACT, {"i": {"firstName": "Bo", "lastName": "K"}}))["contact"]
    async with contextlib.AsyncExitStack() as stack:
        # EVENTS reads `record` and `actor`: shared only between subscribers acting as the same user.
        subs = [await stack.enter_async_context(Subscriber.open(a, admin, EVENTS, UPDATED)) for _ in range(5)]
        await live(subs, admin, a, contact["id"])
        executions, shared = Counter.executions, Counter.shared
        await mutate(a, admin, CONTACT_UPDATE, {"i": {"id": contact["id"], "title": "CEO"}})
        frames = [await frame(sub) for sub in subs]
        executed, reused = Counter.executions - executions, Counter.shared - shared
    event = json.loads(frames[0])["payload"]["data"]["events"]
    assert [(c["field"], c["after"]) for c in event["changes"]] == [("title", "CEO")]
    assert event["record"] == {"id": contact["id"]} and event["actor"]["email"]
    assert len(set(frames)) == 1, frames  # byte for byte
    assert (executed, reused) == (1, 4)
