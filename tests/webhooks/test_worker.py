"""Webhooks through the worker's real wiring: an arq Worker in burst mode with
WorkerSettings' functions, on_startup and on_shutdown, on a real Redis, sending to
real receivers on 127.0.0.1.

A webhook acts for its creator as they are now: it never sends a field they may not
read (before and after values included), stops sending what they lose access to,
and stops altogether when they are deactivated. A slow receiver holds no database
connection while it keeps the worker waiting, so another tenant's delivery goes
out at once."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from arq import create_pool
from arq.connections import RedisSettings
from arq.worker import Worker, func

from crm_graph.kernel.settings import Settings
from crm_graph.platform.webhooks.models import Webhook, WebhookDelivery
from crm_graph.worker import WorkerSettings

WEBHOOKS = Webhook.__table__
DELIVERIES = WebhookDelivery.__table__
CREATE = """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) { webhook { id } errors { message } } }"""
OPP = """mutation($i: OpportunityCreateInput!) { opportunityCreate(input: $i) { opportunity { id } errors { message } } }"""
OPP_UPDATE = """mutation($i: OpportunityUpdateInput!) { opportunityUpdate(input: $i) {
  opportunity { id } errors { message } } }"""
ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { message } } }"""
ASSIGN = """mutation($i: UserAssignRoleInput!) { userAssignRole(input: $i) { user { roles } errors { message } } }"""
DEACTIVATE = """mutation($i: UserActivationInput!) { userDeactivate(input: $i) {
  user { id archivedAt } errors { __typename message } } }"""
REACTIVATE = (
    """mutation($i: UserActivationInput!) { userReactivate(input: $i) { user { archivedAt } errors { message } } }"""
)
GRANT = """mutation($r: String!, $o: String!, $a: String!) { roleGrant(input: {role: $r, object: $o, action: $a}) {
  errors { message } } }"""


class Receiver:
    """A real HTTP receiver; `delay` seconds before it answers; `during` runs while it
    holds each request (in its thread), its results in `seen`."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.bodies: list[dict[str, Any]] = []
        self.received_at: list[float] = []
        self.answered = 0
        self.during: Any = None
        self.seen: list[Any] = []
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                with lock:
                    receiver.bodies.append(json.loads(body))
                    receiver.received_at.append(time.monotonic())
                # `during` is sampled halfway through the hold: every claim made, no result recorded.
                time.sleep(receiver.delay / 2)
                if receiver.during is not None:
                    receiver.seen.append(receiver.during())
                time.sleep(receiver.delay / 2)
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
                with lock:
                    receiver.answered += 1

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def changes(self, event_type: str) -> list[dict[str, Any]]:
        return [b["changes"] for b in self.bodies if b["type"] == event_type]


@pytest.fixture
def receivers() -> Iterator[Any]:
    made: list[Receiver] = []

    def make(delay: float = 0.0) -> Receiver:
        made.append(Receiver(delay))
        return made[-1]

    yield make
    for r in made:
        r.close()


@pytest.fixture
def run_worker(database_url: str, redis_url: str, engine: Any, allow_private: None) -> Any:
    """Run the real worker in burst mode after queuing `jobs` (the cron jobs by name);
    returns the Worker (its ctx holds the engines it made)."""

    async def run(*jobs: str, pool_size: int = 4, started: Any = None) -> Worker:
        queue = f"arq:test:{uuid.uuid4().hex}"
        redis_settings = RedisSettings.from_dsn(redis_url)
        settings = Settings(
            database_url=database_url, redis_url=redis_url, webhook_allow_private=True, db_pool_size=pool_size
        )
        crons = [func(c.coroutine, name=c.coroutine.__qualname__) for c in WorkerSettings.cron_jobs]
        worker = Worker(
            [*WorkerSettings.functions, *crons],
            queue_name=queue,
            redis_settings=redis_settings,
            on_startup=WorkerSettings.on_startup,
            on_shutdown=WorkerSettings.on_shutdown,
            burst=True,
            poll_delay=0.05,
            handle_signals=False,
            ctx={"settings": settings},
        )
        pool = await create_pool(redis_settings, default_queue_name=queue)
        try:
            for job in jobs:
                await pool.enqueue_job(job)
        finally:
            await pool.aclose()
        if started is not None:
            started(worker)
        try:
            await worker.main()
        finally:
            await worker.close()
        return worker

    async def until_sent(*jobs: str, **kwargs: Any) -> Worker:
        """Run, then run the retry round (the cron's next ones) while deliveries wait on
        an earlier one of the same record, as they do between rounds."""
        worker = await run(*jobs, **kwargs)
        for _ in range(10):
            async with engine.connect() as conn:
                waiting = (
                    await conn.execute(
                        sa.select(sa.func.count())
                        .select_from(DELIVERIES)
                        .where(DELIVERIES.c.status == "pending", DELIVERIES.c.attempts == 0)
                    )
                ).scalar()
            if not waiting:
                break
            await run("retry_due_deliveries", **kwargs)
        return worker

    return until_sent


async def _hook(client: Any, url: str, types: list[str]) -> str:
    out = (await client(CREATE, {"i": {"url": url, "eventTypes": types}}))["webhookCreate"]
    assert out["errors"] == [], out
    return out["webhook"]["id"]


async def _user_gid(admin: Any, email: str) -> str:
    found = await admin(
        """query($s: String) { users(filter: {search: $s}, first: 1) { edges { node { id } } } }""", {"s": email}
    )
    return found["users"]["edges"][0]["node"]["id"]


async def _service_agent_with_webhooks(tenant: Any) -> tuple[uuid.UUID, Any]:
    """A service agent (reads opportunities, never their amounts) allowed to make webhooks."""
    admin = tenant.client()
    assert (await admin(GRANT, {"r": "service_agent", "o": "webhook", "a": "create"}))["roleGrant"]["errors"] == []
    uid = await tenant.user(f"agent@{tenant.slug}.example", ["service_agent"])
    return uid, tenant.client(uid)


async def test_a_webhook_without_payload_query_leaves_out_fields_its_creator_may_not_read(
    tenant, receivers, run_worker
):
    admin = tenant.client()
    _, agent = await _service_agent_with_webhooks(tenant)
    theirs, mine = receivers(), receivers()
    await _hook(agent, theirs.url, ["opportunity.*"])
    await _hook(admin, mine.url, ["opportunity.*"])  # the control: an admin's webhook gets amounts
    opp = (await admin(OPP, {"i": {"name": "Big deal", "amount": "1000.00"}}))["opportunityCreate"]["opportunity"]["id"]
    await admin(OPP_UPDATE, {"i": {"id": opp, "amount": "2000.00", "name": "Bigger deal"}})
    await admin(OPP_UPDATE, {"i": {"id": opp, "amount": "3000.00"}})  # nothing the agent may see changed
    await run_worker("webhook_fanout")

    assert [b["type"] for b in mine.bodies] == ["opportunity.created", "opportunity.updated", "opportunity.updated"]
    assert Decimal(str(mine.changes("opportunity.updated")[0]["amount"][1])) == Decimal("2000.00")
    assert [b["type"] for b in theirs.bodies] == ["opportunity.created", "opportunity.updated"]
    (created,) = theirs.changes("opportunity.created")
    (updated,) = theirs.changes("opportunity.updated")
    assert "name" in created and "amount" not in created
    assert updated.keys() == {"name"}


async def test_demotion_and_deactivation_reach_the_webhook(tenant, receivers, run_worker, engine):
    admin = tenant.client()
    agent_id, agent = await _service_agent_with_webhooks(tenant)
    receiver = receivers()
    await _hook(agent, receiver.url, ["opportunity.*", "organization.*"])
    opp = (await admin(OPP, {"i": {"name": "Deal", "amount": "10.00"}}))["opportunityCreate"]["opportunity"]["id"]
    await run_worker("webhook_fanout")
    assert [b["type"] for b in receiver.bodies] == ["opportunity.created"]

    # Demoted to marketing (no opportunities): opportunity events stop, organizations still come.
    user_gid = await _user_gid(admin, f"agent@{tenant.slug}")
    assert (await admin(ASSIGN, {"i": {"userId": user_gid, "roles": ["marketing_manager"]}}))["userAssignRole"][
        "errors"
    ] == []
    await admin(OPP_UPDATE, {"i": {"id": opp, "name": "Deal, renamed"}})
    await admin(ORG, {"i": {"name": "Acme"}})
    await run_worker("webhook_fanout")
    assert [b["type"] for b in receiver.bodies] == ["opportunity.created", "organization.created"]

    # Deactivated: the webhook is disabled and sends nothing more.
    out = (await admin(DEACTIVATE, {"i": {"id": user_gid}}))["userDeactivate"]
    assert out["errors"] == [] and out["user"]["archivedAt"] is not None
    await admin(ORG, {"i": {"name": "Globex"}})
    await run_worker("webhook_fanout")
    assert len(receiver.bodies) == 2
    async with engine.connect() as conn:
        reason = (
            await conn.execute(sa.select(WEBHOOKS.c.disabled_reason).where(WEBHOOKS.c.created_by_id == agent_id))
        ).scalar()
    assert reason == "Its creator was deactivated."


async def test_a_slow_receiver_holds_no_connection_and_does_not_delay_another_tenant(
    tenant, other, receivers, run_worker
):
    slow, fast = receivers(delay=2.0), receivers()
    await _hook(tenant.client(), slow.url, ["organization.created"])
    await _hook(other.client(), fast.url, ["organization.created"])
    for name in ("A", "B", "C"):
        await tenant.client()(ORG, {"i": {"name": name}})
    await other.client()(ORG, {"i": {"name": "Other"}})
    engines: list[Any] = []
    slow.during = lambda: (engines[0].pool.checkedout(), slow.answered)
    fast.during = lambda: slow.answered  # how many slow answers had gone out when the other tenant's came
    # A pool of 2 connections: three slow deliveries holding one each would starve the rest.
    await run_worker("webhook_fanout", pool_size=1, started=lambda w: engines.append(_EngineOf(w)))

    assert len(slow.bodies) == 3 and len(fast.bodies) == 1
    assert fast.seen == [0], "the other tenant's delivery waited for the slow receiver"
    assert [checked_out for checked_out, _ in slow.seen] == [0, 0, 0], "a connection was held during the HTTP call"


class _EngineOf:
    """The worker's owner engine, once on_startup has made it."""

    def __init__(self, worker: Worker) -> None:
        self.worker = worker

    @property
    def pool(self) -> Any:
        return self.worker.ctx["engine"].pool


async def test_an_api_key_never_exceeds_its_creator_s_current_roles(tenant, http):
    admin = tenant.client()
    assert (await admin(GRANT, {"r": "sales_manager", "o": "api_key", "a": "create"}))["roleGrant"]["errors"] == []
    manager_id = await tenant.user(f"mgr@{tenant.slug}.example", ["sales_manager"])
    created = (
        await tenant.client(manager_id)("""mutation { apiKeyCreate(input: {name: "sync", role: "sales_manager"}) {
        secret errors { message } } }""")
    )["apiKeyCreate"]
    assert created["errors"] == []
    key = created["secret"]
    user_gid = await _user_gid(admin, f"mgr@{tenant.slug}")

    async def with_key() -> httpx.Response:
        return await http.post(
            "/graphql",
            json={"query": "{ organizations(first: 1) { totalCount } }"},
            headers={"Authorization": f"Bearer {key}"},
        )

    assert (await with_key()).status_code == 200
    await admin(ASSIGN, {"i": {"userId": user_gid, "roles": ["sales_rep"]}})
    refused = await with_key()
    assert refused.status_code == 401 and "no longer holds its role" in refused.text
    await admin(ASSIGN, {"i": {"userId": user_gid, "roles": ["sales_manager"]}})
    assert (await with_key()).status_code == 200

    # Deactivation revokes the key for good, and the user's own token stops working.
    token_client = tenant.client(manager_id)
    assert (await admin(DEACTIVATE, {"i": {"id": user_gid}}))["userDeactivate"]["errors"] == []
    assert (await with_key()).status_code == 401
    response = await token_client.post("{ organizations(first: 1) { totalCount } }")
    assert response.status_code == 401 or response.json().get("errors")
    assert (await admin(REACTIVATE, {"i": {"id": user_gid}}))["userReactivate"]["user"]["archivedAt"] is None
    assert (await token_client.post("{ organizations(first: 1) { totalCount } }")).status_code == 200
    assert "revoked" in (await with_key()).text


async def test_only_someone_else_may_deactivate_a_user(tenant):
    admin = tenant.client()
    me = await _user_gid(admin, f"admin@{tenant.slug}")
    out = (await admin(DEACTIVATE, {"i": {"id": me}}))["userDeactivate"]
    assert out["user"] is None and out["errors"][0]["__typename"] == "Forbidden"
    rep_id = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    refused = (await tenant.client(rep_id).post(DEACTIVATE, {"i": {"id": me}})).json()
    assert refused["data"] is None and refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
