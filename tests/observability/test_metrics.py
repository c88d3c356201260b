"""GET /metrics: Prometheus text behind the metrics token, counters that move with
real GraphQL operations, and gauges that follow real rows: the database pool, the
outbox the relay has not caught up with, the webhook deliveries still to send."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from redis.asyncio import Redis
from tests.conftest import SECRET, GraphQLClient
from tests.observability.conftest import TOKEN, MetricsAPI, parse

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings, get_settings
from crm_graph.platform.events import relay, streams
from crm_graph.platform.events.models import OutboxEvent, OutboxHead
from crm_graph.platform.observability import metrics
from crm_graph.platform.webhooks import delivery
from crm_graph.platform.webhooks.models import Webhook, WebhookDelivery

OUTBOX = OutboxEvent.__table__
DELIVERIES = WebhookDelivery.__table__
WEBHOOKS = Webhook.__table__
ORG = """mutation($i: OrganizationCreateInput!) { organizationCreate(input: $i) { organization { id } errors { __typename } } }"""
WEBHOOK = """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) { webhook { id } errors { __typename message } } }"""
GAUGES = {
    "crm_db_pool_connections_in_use",
    "crm_db_pool_size",
    "crm_db_pool_max_connections",
    "crm_outbox_unrelayed_events",
    "crm_outbox_oldest_unrelayed_age_seconds",
    "crm_webhook_deliveries_backlog",
    "crm_webhook_oldest_due_delivery_age_seconds",
    "crm_webhooks_disabled",
    "crm_metrics_database_up",
}
COUNTERS = {
    "crm_graphql_requests",
    "crm_graphql_errors",
    "crm_graphql_duration_seconds",
    "crm_graphql_cost",
    "crm_graphql_sql_statements",
    "crm_graphql_compiled",
}


async def test_metrics_are_prometheus_text_and_need_the_token(metrics_api: MetricsAPI):
    client = metrics_api.client
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        refused = await client.get("/metrics", headers=headers)
        assert refused.status_code == 401, headers
        assert refused.headers["www-authenticate"].startswith("Bearer")
        assert "crm_" not in refused.text
    response = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    scrape = parse(response.text)
    assert scrape.families >= GAUGES | COUNTERS, (GAUGES | COUNTERS) - scrape.families
    assert scrape.value("crm_metrics_database_up") == 1
    assert (await client.post("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})).status_code == 405


async def test_prometheus_asking_for_openmetrics_gets_it(metrics_api: MetricsAPI):
    response = await metrics_api.client.get(
        "/metrics",
        headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/openmetrics-text; version=1.0.0"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.endswith("# EOF\n")


async def test_without_a_token_configured_metrics_are_open(http: httpx.AsyncClient):
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert "crm_graphql_requests_total" in response.text


async def test_graphql_operations_move_their_counters(metrics_api: MetricsAPI, one_path):
    before = await metrics_api.scrape()
    gql = one_path
    await gql("query ViewerForMetrics { viewer { name } }")
    await gql("query ViewerForMetrics { viewer { name } }")
    bad = await gql.http.post(
        "/graphql",
        headers={"Authorization": f"Bearer {gql.token}"},
        json={"query": "query BrokenForMetrics { noSuchField }", "operationName": "BrokenForMetrics"},
    )
    assert bad.json()["errors"]
    after = await metrics_api.scrape()

    def moved(name: str, **labels: str) -> float:
        return after.total(name, **labels) - before.total(name, **labels)

    ok = {"operation": "ViewerForMetrics", "type": "query"}
    assert moved("crm_graphql_requests_total", **ok) == 2
    assert moved("crm_graphql_errors_total", **ok) == 0
    assert moved("crm_graphql_duration_seconds_count", **ok) == 2
    assert moved("crm_graphql_sql_statements_total", **ok) >= 2, "each viewer query reads the database"
    assert moved("crm_graphql_requests_total", operation="BrokenForMetrics") == 1
    assert moved("crm_graphql_errors_total", operation="BrokenForMetrics", outcome="rejected") == 1
    # A rejected operation never ran: it stays out of the latency histogram.
    assert moved("crm_graphql_duration_seconds_count", operation="BrokenForMetrics") == 0


async def test_each_outcome_is_counted_and_client_chosen_names_are_bounded(metrics_api: MetricsAPI, monkeypatch):
    assert metrics.MAX_OPERATION_NAMES == 500
    # A process that has seen no name yet, and a lower bound to keep the scrape small.
    monkeypatch.setattr(metrics, "_names", set())
    monkeypatch.setattr(metrics, "MAX_OPERATION_NAMES", 30)
    before = await metrics_api.scrape()
    for outcome in sorted(metrics.OUTCOMES):
        metrics.record_operation(
            operation_name="EveryOutcome",
            operation_type="mutation",
            duration_seconds=0.2,
            outcome=outcome,
            cost=10,
            statements=3,
        )
    metrics.record_operation(
        operation_name=None, operation_type="query", duration_seconds=0.01, outcome="ok", cost=None, statements=None
    )
    hostile = ["x" * 65, "Robert'); DROP TABLE", "名前", "1abc", ""]
    for name in hostile:
        metrics.record_operation(
            operation_name=name, operation_type="query", duration_seconds=0.01, outcome="ok", cost=1, statements=1
        )
    for i in range(30 + 20):
        metrics.record_operation(
            operation_name=f"Generated{i}",
            operation_type="query",
            duration_seconds=0.01,
            outcome="ok",
            cost=1,
            statements=1,
        )
    after = await metrics_api.scrape()

    def moved(name: str, **labels: str) -> float:
        return after.total(name, **labels) - before.total(name, **labels)

    every = {"operation": "EveryOutcome", "type": "mutation"}
    assert moved("crm_graphql_requests_total", **every) == 6
    for outcome in metrics.OUTCOMES - {"ok"}:
        assert moved("crm_graphql_errors_total", **every, outcome=outcome) == 1, outcome
    assert moved("crm_graphql_duration_seconds_count", **every) == 4  # not rejected, not throttled
    assert moved("crm_graphql_cost_total", **every) == 60
    assert moved("crm_graphql_sql_statements_total", **every) == 18
    assert moved("crm_graphql_requests_total", operation="anonymous", type="query") == 1
    # The first 30 names of the process (EveryOutcome and 29 generated) get a series each; the rest are "other".
    assert moved("crm_graphql_requests_total", operation="other") == len(hostile) + 21
    assert moved("crm_graphql_requests_total", operation="Generated28") == 1
    assert moved("crm_graphql_requests_total", operation="Generated29") == 0
    names = {dict(labels).get("operation") for (n, labels) in after.samples if n == "crm_graphql_requests_total"}
    assert not any(h and h in names for h in hostile)
    with pytest.raises(ValueError, match="outcome"):
        metrics.record_operation(
            operation_name="X", operation_type="query", duration_seconds=0, outcome="fine", cost=None, statements=None
        )


async def test_query_compiler_paths_are_counted(metrics_api: MetricsAPI):
    before = await metrics_api.scrape()
    metrics.record_compiled("compiled")
    metrics.record_compiled("fallback", "unsupported_directive")
    metrics.record_compiled("fallback", "unsupported_directive")
    metrics.record_compiled("failed", "a reason with spaces")
    after = await metrics_api.scrape()
    assert (
        after.value("crm_graphql_compiled_total", path="compiled", reason="")
        - before.value("crm_graphql_compiled_total", path="compiled", reason="")
        == 1
    )
    assert (
        after.value("crm_graphql_compiled_total", path="fallback", reason="unsupported_directive")
        - before.value("crm_graphql_compiled_total", path="fallback", reason="unsupported_directive")
        == 2
    )
    assert (
        after.value("crm_graphql_compiled_total", path="failed", reason="other")
        - before.value("crm_graphql_compiled_total", path="failed", reason="other")
        == 1
    )
    with pytest.raises(ValueError, match="path"):
        metrics.record_compiled("interpreted")


async def test_the_pool_gauges_show_connections_in_use(metrics_api: MetricsAPI):
    state = metrics_api.state
    idle = await metrics_api.scrape()
    assert idle.value("crm_db_pool_size", pool="api") == metrics_api.settings.db_pool_size
    settings = metrics_api.settings
    assert idle.value("crm_db_pool_max_connections", pool="api") == settings.db_pool_size + settings.db_max_overflow
    assert idle.value("crm_db_pool_connections_in_use", pool="api") == 0
    async with state.app_engine.connect() as one, state.app_engine.connect() as two:
        await one.execute(sa.text("SELECT 1"))
        await two.execute(sa.text("SELECT 1"))
        busy = await metrics_api.scrape()
    assert busy.value("crm_db_pool_connections_in_use", pool="api") == 2
    assert (await metrics_api.scrape()).value("crm_db_pool_connections_in_use", pool="api") == 0


async def test_the_read_pool_has_gauges_too(metrics_api: MetricsAPI):
    reads = metrics_api.state.reads
    idle = await metrics_api.scrape()
    assert idle.value("crm_db_pool_size", pool="reads") == metrics_api.settings.db_read_pool_size
    assert idle.value("crm_db_pool_connections_in_use", pool="reads") == 0
    async with reads.acquire() as one, reads.acquire() as two:
        assert await one.fetchval("SELECT 1") == await two.fetchval("SELECT 1") == 1
        busy = await metrics_api.scrape()
    assert busy.value("crm_db_pool_connections_in_use", pool="reads") == 2
    assert (await metrics_api.scrape()).value("crm_db_pool_connections_in_use", pool="reads") == 0


async def test_read_connections_the_database_closed_are_replaced(metrics_api: MetricsAPI, tenant: Any, engine: Any):
    """PostgreSQL ends the read pool's connections (a restart, an administrator, an
    idle timeout): the next query is still answered, and compiled reads go on."""
    client = GraphQLClient(metrics_api.client, tenant.client().token)
    await client('mutation { organizationCreate(input: {name: "Still here"}) { errors { message } } }')
    query = "{ organizations(first: 5) { edges { node { name } } } }"
    expected = {"organizations": {"edges": [{"node": {"name": "Still here"}}]}}
    assert await client(query) == expected
    reads = metrics_api.state.reads
    held = [await reads.acquire() for _ in range(reads.get_max_size())]
    pids = [conn.get_server_pid() for conn in held]
    for conn in held:
        await reads.release(conn)
    async with engine.connect() as conn:
        ended = (
            await conn.execute(
                sa.text(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM unnest(CAST(:pids AS int[])) AS pid"
                ),
                {"pids": pids},
            )
        ).scalar()
    assert ended == len(pids)
    before = await metrics_api.scrape()
    assert await client(query) == expected
    assert await client(query) == expected
    after = await metrics_api.scrape()
    assert after.value("crm_graphql_compiled_total", path="compiled", reason="") > before.value(
        "crm_graphql_compiled_total", path="compiled", reason=""
    )


@pytest.fixture
async def redis(redis_url: str, engine: Any) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    async with engine.connect() as conn:
        tenants = (await conn.execute(sa.select(OutboxHead.__table__.c.tenant_id))).scalars().all()
    if tenants:
        await client.delete(*(streams.stream_key(t) for t in tenants))
    await client.aclose()


async def test_relay_lag_shows_events_waiting_and_clears_when_relayed(metrics_api: MetricsAPI, tenant, engine, redis):
    before = await metrics_api.scrape()
    gql = tenant.client()
    await gql(ORG, {"i": {"name": "Acme"}})
    await gql(ORG, {"i": {"name": "Globex"}})
    # As if the relay had been down for ten minutes.
    async with engine.begin() as conn:
        await conn.execute(
            sa.update(OUTBOX)
            .where(OUTBOX.c.tenant_id == tenant.id)
            .values(occurred_at=sa.func.now() - sa.text("interval '10 minutes'"))
        )
    waiting = await metrics_api.scrape()
    assert waiting.value("crm_outbox_unrelayed_events") - before.value("crm_outbox_unrelayed_events") == 2
    assert waiting.value("crm_outbox_oldest_unrelayed_age_seconds") >= 600
    await relay.relay_all(engine, redis)
    caught_up = await metrics_api.scrape()
    assert caught_up.value("crm_outbox_unrelayed_events") == 0
    assert caught_up.value("crm_outbox_oldest_unrelayed_age_seconds") == 0


@pytest.fixture
def allow_private(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("CRM_WEBHOOK_ALLOW_PRIVATE", "true")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_webhook_backlog_follows_deliveries(metrics_api: MetricsAPI, tenant, engine, allow_private):
    ctx = {"engine": engine, "settings": Settings(webhook_allow_private=True), "jitter": lambda d: 0.0}
    gql = tenant.client()
    out = await gql(
        WEBHOOK, {"i": {"url": f"http://127.0.0.1:{_closed_port()}/hook", "eventTypes": ["organization.created"]}}
    )
    assert out["webhookCreate"]["errors"] == []
    before = await metrics_api.scrape()

    def backlog(scrape: Any, state: str) -> float:
        return scrape.value("crm_webhook_deliveries_backlog", state=state) - before.value(
            "crm_webhook_deliveries_backlog", state=state
        )

    await gql(ORG, {"i": {"name": "Acme"}})
    await gql(ORG, {"i": {"name": "Globex"}})
    assert await delivery.webhook_fanout(ctx, tenant.id) == 2
    fanned = await metrics_api.scrape()
    assert (backlog(fanned, "pending"), backlog(fanned, "retrying")) == (2, 0)

    assert await delivery.retry_due_deliveries(ctx, tenant.id) == 2  # the receiver is down: both fail
    failing = await metrics_api.scrape()
    assert (backlog(failing, "pending"), backlog(failing, "retrying")) == (0, 2)

    # Their retries fell due an hour ago and no worker sent them.
    async with engine.begin() as conn:
        await conn.execute(
            sa.update(DELIVERIES)
            .where(DELIVERIES.c.tenant_id == tenant.id)
            .values(next_attempt_at=sa.func.now() - sa.text("interval '1 hour'"))
        )
    overdue = await metrics_api.scrape()
    assert overdue.value("crm_webhook_oldest_due_delivery_age_seconds") >= 3600

    async with engine.begin() as conn:
        await conn.execute(
            sa.update(DELIVERIES).where(DELIVERIES.c.tenant_id == tenant.id).values(status="dead", next_attempt_at=None)
        )
        await conn.execute(
            sa.update(WEBHOOKS)
            .where(WEBHOOKS.c.tenant_id == tenant.id)
            .values(disabled_at=sa.func.now(), disabled_reason="test")
        )
    done = await metrics_api.scrape()
    assert (backlog(done, "pending"), backlog(done, "retrying")) == (0, 0)
    assert done.value("crm_webhooks_disabled") - before.value("crm_webhooks_disabled") == 1


async def test_a_scrape_still_answers_when_the_backlog_cannot_be_read(services: Any, redis_url: str):
    # The server's maintenance database has none of our tables.
    settings = Settings(database_url=services.database_url, redis_url=redis_url, jwt_secret=SECRET)
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://api.test") as c,
    ):
        response = await c.get("/metrics")
    assert response.status_code == 200
    scrape = parse(response.text)
    assert scrape.value("crm_metrics_database_up") == 0
    assert "crm_outbox_unrelayed_events" not in scrape.families
    assert "crm_graphql_requests" in scrape.families


_WORKER = textwrap.dedent("""
    import sys
    from crm_graph.platform.observability import metrics
    for _ in range(int(sys.argv[1])):
        metrics.record_operation(operation_name="FromWorkers", operation_type="query", duration_seconds=0.05,
                                 outcome="ok", cost=2, statements=1)
    metrics.POOL_IN_USE.labels("api").set(int(sys.argv[2]))
    if sys.argv[3] == "stopped":
        metrics.process_exiting()  # what the app's lifespan does at shutdown
""")
_SCRAPE = (
    "import sys; from crm_graph.platform.observability import metrics; sys.stdout.buffer.write(metrics.render()[0])"
)


def test_several_worker_processes_add_up_in_multiprocess_mode(tmp_path: Path):
    """What `crm-graph serve --workers N` sets up: each process writes its samples to
    PROMETHEUS_MULTIPROC_DIR and the one answering a scrape reports them all."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for count, in_use, end in ((3, 1, "killed"), (4, 2, "stopped")):
        subprocess.run([sys.executable, "-c", _WORKER, str(count), str(in_use), end], env=env, check=True, timeout=120)
    out = subprocess.run([sys.executable, "-c", _SCRAPE], env=env, check=True, timeout=120, capture_output=True)
    scrape = parse(out.stdout.decode())
    labels = {"operation": "FromWorkers", "type": "query"}
    assert scrape.value("crm_graphql_requests_total", **labels) == 7
    assert scrape.value("crm_graphql_cost_total", **labels) == 14
    assert scrape.value("crm_graphql_duration_seconds_count", **labels) == 7
    # Counters outlive their process; the pool of a process that stopped cleanly no
    # longer counts, that of one that was killed still does (until the next start).
    assert scrape.total("crm_db_pool_connections_in_use", pool="api") == 1
