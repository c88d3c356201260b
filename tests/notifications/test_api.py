"""The viewer sees only their own notifications, marks only their own read, and gets
new ones live over graphql-transport-ws."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from tests.conftest import SECRET
from tests.events.conftest import servers  # noqa: F401  (fixture)
from tests.events.test_subscriptions import Subscriber

from crm_graph.domains.notifications.read import NOTIFICATION
from crm_graph.domains.notifications.service import notify
from crm_graph.platform.identity.auth import issue_token
from crm_graph.readside.ids import to_global_id

LIST = """query($unread: Boolean) { notifications(first: 10, unreadOnly: $unread) {
  totalCount edges { node { id kind title body readAt record { __typename id } user { email } } } } }"""
MARK = """mutation($id: ID!) { notificationMarkRead(input: {id: $id}) {
  notification { id readAt } errors { __typename message path } } }"""
NODE = """query($id: ID!) { node(id: $id) { id } }"""
SUBSCRIBE = "subscription { notifications { id kind title } }"


async def tell(engine: Any, tenant_id: uuid.UUID, user_id: uuid.UUID, title: str) -> str:
    async with engine.begin() as conn:
        row = await notify(
            conn,
            tenant_id=tenant_id,
            user_id=user_id,
            kind="task_due",
            title=title,
            body="Due soon",
            dedupe_key=f"test:{uuid.uuid4()}",
        )
    assert row is not None
    return to_global_id(NOTIFICATION, row["id"])


async def test_each_user_sees_only_their_own_notifications(tenant, engine):
    rep1 = await tenant.user("rep1@inbox.example", ["sales_rep"])
    rep2 = await tenant.user("rep2@inbox.example", ["sales_rep"])
    mine = await tell(engine, tenant.id, rep1, "For rep 1")
    theirs = await tell(engine, tenant.id, rep2, "For rep 2")

    data = await tenant.client(rep1)(LIST)
    (edge,) = data["notifications"]["edges"]
    assert edge["node"]["id"] == mine and edge["node"]["title"] == "For rep 1"
    assert edge["node"]["user"] == {"email": "rep1@inbox.example"} and edge["node"]["readAt"] is None
    assert data["notifications"]["totalCount"] == 1
    # Not by ID either.
    assert (await tenant.client(rep1)(NODE, {"id": theirs}))["node"] is None
    # An admin's inbox is their own too.
    assert (await tenant.client()(LIST))["notifications"]["edges"] == []


async def test_marking_read_works_for_ones_own_notification_only(tenant, engine):
    rep1 = await tenant.user("rep1@mark.example", ["sales_rep"])
    rep2 = await tenant.user("rep2@mark.example", ["sales_rep"])
    mine = await tell(engine, tenant.id, rep1, "Mine")
    older = await tell(engine, tenant.id, rep1, "Also mine")
    theirs = await tell(engine, tenant.id, rep2, "Theirs")
    me = tenant.client(rep1)

    done = (await me(MARK, {"id": mine}))["notificationMarkRead"]
    assert done["errors"] == [] and done["notification"]["id"] == mine and done["notification"]["readAt"]
    again = (await me(MARK, {"id": mine}))["notificationMarkRead"]
    assert again["notification"]["readAt"] == done["notification"]["readAt"], "read once, stays read"

    unread = (await me(LIST, {"unread": True}))["notifications"]
    assert [e["node"]["id"] for e in unread["edges"]] == [older]

    random_id = to_global_id(NOTIFICATION, uuid.uuid4())
    for target, client in ((theirs, me), (random_id, me), (theirs, tenant.client())):
        refused = (await client(MARK, {"id": target}))["notificationMarkRead"]
        assert refused["notification"] is None
        assert [e["__typename"] for e in refused["errors"]] == ["NotFound"]
        assert refused["errors"][0]["path"] == ["input", "id"]
    (theirs_row,) = (await tenant.client(rep2)(LIST))["notifications"]["edges"]
    assert theirs_row["node"]["readAt"] is None, "another user's notification is untouched"


async def test_a_subscriber_receives_its_new_notifications_live(tenant, engine, servers):  # noqa: F811
    a, _ = servers
    rep1 = await tenant.user("rep1@live.example", ["sales_rep"])
    rep2 = await tenant.user("rep2@live.example", ["sales_rep"])
    token = issue_token(SECRET, tenant.id, rep1)
    async with Subscriber.open(a, token, SUBSCRIBE, {}) as sub:
        # Nothing acknowledges a subscription: notify until one arrives.
        got: dict[str, Any] | None = None
        sent = []
        for i in range(10):
            await tell(engine, tenant.id, rep2, f"Not for rep 1 ({i})")
            sent.append(await tell(engine, tenant.id, rep1, f"Probe {i}"))
            with contextlib.suppress(TimeoutError):
                got = await sub.event(timeout=1.5)
                break
        assert got is not None, "no notification arrived"
        assert got["id"] in sent and got["kind"] == "task_due"
        # From then on each new one arrives once, and another user's never.
        await asyncio.sleep(1.2)
        while True:
            try:
                await sub.event(timeout=1.5)  # drain probes sent while the first was in flight
            except TimeoutError:
                break
        await tell(engine, tenant.id, rep2, "Not for rep 1")
        next_one = await tell(engine, tenant.id, rep1, "Follow up")
        event = await sub.event(timeout=5)
        assert event == {"id": next_one, "kind": "task_due", "title": "Follow up"}
        await sub.nothing_more(within=2.5)
