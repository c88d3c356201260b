"""Events and webhooks figures (issue 4).

1. Mutations per second with the outbox and the audit log on: `organizationUpdate` and
   `opportunityMoveStage` through the real app (`crm-graph serve` on 127.0.0.1, in its
   own process), an httpx.AsyncClient with concurrency 8; req/s and p50/p99.
2. Event latency from commit to subscriber with many concurrent graphql-transport-ws
   subscribers on that one API process, the relay running in a `crm-graph worker`
   process: mutations spaced out, each receipt timed against the event's occurredAt
   and against the moment the mutation's response came back.
3. Webhook deliveries per second per worker, to a receiver (own process) answering
   200 at once: the real job functions inline (one job at a time, as tests/webhooks
   run them), the same with one shared httpx client in ctx["http"], then a real
   `crm-graph worker` (arq, its cron fan-out and concurrent jobs).

Subscribers: 1,000 first, then 100 (each on a fresh API process), since 1,000 do not
fit one API process with the default pool (CRM_DB_POOL_SIZE=4): both are reported.

The subscribers' client side runs in a process of its own (`_clients`, on uvloop), so
that it shares neither the bench's event loop nor, wholly, a core with the API; its CPU
per event is reported beside the API's. Receipt times still include its queueing on a
2-core machine: the latency figures are upper bounds. With CRM_BENCH_PROFILE=FILE (and
py-spy on PATH) the API process is sampled during the measured events (collapsed stacks).

Run: .venv/bin/python bench/run.py events   (or bench/events_bench.py); only the 1,000-subscriber
latency: .venv/bin/python bench/events_bench.py subscribers [NAME]  (results in bench/results/*-NAME.json).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import psutil
import sqlalchemy as sa

from crm_graph.kernel.db import make_engine
from crm_graph.platform.identity.auth import issue_token
from crm_graph.platform.identity.models import Tenant, User

SECRET = "bench-secret-of-at-least-thirty-two-bytes"
VENV_BIN = Path(sys.executable).parent
ORG_UPDATE = """mutation($i: OrganizationUpdateInput!) { organizationUpdate(input: $i) {
  organization { id version } errors { __typename message } } }"""
MOVE = """mutation($i: OpportunityMoveStageInput!) { opportunityMoveStage(input: $i) {
  opportunity { id stage { id } } errors { __typename message } } }"""
WEBHOOK_CREATE = """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) {
  webhook { id } secret errors { __typename message } } }"""
SUBSCRIPTION = "subscription { events { id occurredAt recordId } }"
RECEIVER = r"""
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, a kept-alive connection
        # waits ~40 ms per response on Nagle + delayed ACK.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
s = ThreadingHTTPServer(("127.0.0.1", 0), H)
s.daemon_threads = True
print(s.server_address[1], flush=True)
s.serve_forever()
"""


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def stats_ms(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"p50_ms": None, "p99_ms": None, "max_ms": None, "samples": 0}
    return {
        "p50_ms": round(pct(values, 0.5), 1),
        "p99_ms": round(pct(values, 0.99), 1),
        "max_ms": round(max(values), 1),
        "samples": len(values),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Proc:
    """A `crm-graph ...` (or python) subprocess, its output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], name: str) -> None:
        self.log = Path(tempfile.mkdtemp(prefix="crm-bench-")) / f"{name}.log"
        self._fh = self.log.open("wb")
        self.proc = subprocess.Popen(args, env=env, stdout=self._fh, stderr=subprocess.STDOUT)

    def tail(self, n: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._fh.close()


def service_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CRM_DATABASE_URL=database_url,
        CRM_REDIS_URL=redis_url,
        CRM_JWT_SECRET=SECRET,
        CRM_WEBHOOK_ALLOW_PRIVATE="true",
        # Every subscriber here is the same admin: lift the per-user cap above them.
        CRM_MAX_LIVE_CONNECTIONS_PER_USER="1100",
        CRM_MAX_LIVE_CONNECTIONS_PER_TENANT="1100",
    )
    return env


async def start_api(env: dict[str, str]) -> tuple[Proc, str]:
    port = free_port()
    api = Proc([str(VENV_BIN / "crm-graph"), "serve", "--host", "127.0.0.1", "--port", str(port)], env, "api")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    async with httpx.AsyncClient() as client:
        while True:
            if api.proc.poll() is not None:
                raise RuntimeError(f"the API did not start:\n{api.tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(base + "/ready")).status_code == 200:
                    return api, base
            if time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start in time:\n{api.tail()}")
            await asyncio.sleep(0.2)


async def gql(
    client: httpx.AsyncClient, url: str, token: str, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    r = await client.post(
        url, json={"query": query, "variables": variables or {}}, headers={"Authorization": f"Bearer {token}"}
    )
    body = r.json()
    assert r.status_code == 200 and not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


# --- 1. mutations per second ----------------------------------------------------------


async def targets(client: httpx.AsyncClient, url: str, token: str) -> tuple[list[str], list[dict[str, Any]]]:
    orgs = await gql(client, url, token, "{ organizations(first: 100) { edges { node { id } } } }")
    org_ids = [e["node"]["id"] for e in orgs["organizations"]["edges"]]
    opps = await gql(
        client,
        url,
        token,
        """{ opportunities(first: 100) { edges { node { id stage { id isWon isLost }
      pipeline { stages(first: 30) { edges { node { id isWon isLost } } } } } } } }""",
    )
    movable = []
    for e in opps["opportunities"]["edges"]:
        n = e["node"]
        if n["stage"] is None or n["stage"]["isWon"] or n["stage"]["isLost"] or n["pipeline"] is None:
            continue
        open_stages = [
            s["node"]["id"] for s in n["pipeline"]["stages"]["edges"] if not (s["node"]["isWon"] or s["node"]["isLost"])
        ]
        if len(open_stages) >= 2:
            movable.append(
                {
                    "id": n["id"],
                    "stages": open_stages,
                    "at": open_stages.index(n["stage"]["id"]) if n["stage"]["id"] in open_stages else 0,
                }
            )
    return org_ids, movable


async def mutation_throughput(url: str, token: str, requests: int, concurrency: int = 8) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client:
        org_ids, opps = await targets(client, url, token)
        assert org_ids and opps, (len(org_ids), len(opps))

        def job(i: int) -> tuple[str, str, dict[str, Any]]:
            if i % 2 == 0:
                org = org_ids[(i // 2) % len(org_ids)]
                return "organizationUpdate", ORG_UPDATE, {"i": {"id": org, "industry": f"Industry {i}"}}
            opp = opps[(i // 2) % len(opps)]
            opp["at"] = (opp["at"] + 1) % len(opp["stages"])
            return "opportunityMoveStage", MOVE, {"i": {"id": opp["id"], "stageId": opp["stages"][opp["at"]]}}

        timings: dict[str, list[float]] = {"organizationUpdate": [], "opportunityMoveStage": []}
        errors: list[str] = []
        counter = iter(range(requests + 4 * concurrency))

        async def one(i: int, record: bool) -> None:
            kind, query, variables = job(i)
            t0 = time.perf_counter()
            r = await client.post(
                url, json={"query": query, "variables": variables}, headers={"Authorization": f"Bearer {token}"}
            )
            ms = (time.perf_counter() - t0) * 1000
            body = r.json()
            payload = (body.get("data") or {}).get(kind) or {}
            if r.status_code != 200 or body.get("errors") or payload.get("errors"):
                errors.append(str(body)[:300])
            elif record:
                timings[kind].append(ms)

        for _ in range(4 * concurrency):  # warm-up: connections, plans, caches
            await one(next(counter), False)

        async def worker() -> None:
            for i in counter:
                await one(i, True)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    both = timings["organizationUpdate"] + timings["opportunityMoveStage"]
    return {
        "requests": requests,
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "req_per_s": round(requests / elapsed, 1),
        "all": stats_ms(both),
        **{k: stats_ms(v) for k, v in timings.items()},
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
    }


# --- 2. commit-to-subscriber latency ----------------------------------------------------


class Sub:
    def __init__(self) -> None:
        self.received: dict[str, tuple[float, str]] = {}  # event id -> (wall time, occurredAt)
        self.by_record: dict[str, str] = {}  # record id -> last event id
        self.failed: str | None = None
        self.ready = False


async def subscriber(ws_url: str, token: str, sub: Sub, ready: asyncio.Event) -> None:
    """One graphql-transport-ws subscriber; runs until cancelled. Kept lean: its receive
    loop is all the client does per message (no task or future per message)."""
    import websockets

    try:
        async with websockets.connect(
            ws_url,
            subprotocols=[websockets.Subprotocol("graphql-transport-ws")],
            open_timeout=60,
            ping_interval=None,
            max_queue=None,
            compression=None,
        ) as ws:
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}}))
            ack = json.loads(await asyncio.wait_for(ws.recv(), 60))
            if ack["type"] != "connection_ack":
                raise RuntimeError(str(ack))
            await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": SUBSCRIPTION}}))
            sub.ready = True
            ready.set()
            async for raw in ws:
                at = time.time()
                msg = json.loads(raw)
                kind = msg["type"]
                if kind == "next":
                    payload = msg["payload"]
                    if payload.get("errors"):
                        raise RuntimeError(f"GraphQL error: {payload['errors'][0].get('message')}"[:300])
                    ev = payload["data"]["events"]
                    sub.received[ev["id"]] = (at, ev["occurredAt"])
                    sub.by_record[ev["recordId"]] = ev["id"]
                elif kind == "ping":
                    await ws.send(json.dumps({"type": "pong"}))
                elif kind in ("error", "complete"):
                    raise RuntimeError(str(msg)[:300])
            raise RuntimeError("the server closed the connection")
    except asyncio.CancelledError:
        raise
    except Exception as exc:
        sub.failed = f"{type(exc).__name__}: {exc}"[:300]
        ready.set()


async def subscriber_clients(ws_url: str, token: str, count: int, out: str) -> None:
    """The load client (`events_bench.py _clients ...`), in its own process so that its
    work per message neither shares the bench's event loop nor hides in the API's
    latency: opens `count` subscribers in waves of 50, prints a status line (JSON) every
    0.25 s, and on SIGTERM writes every subscriber's receipts to `out`."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    subs = [Sub() for _ in range(count)]
    tasks: list[asyncio.Task[None]] = []

    def status(**extra: Any) -> None:
        line = {
            "ready": sum(s.ready for s in subs),
            "failed": sum(s.failed is not None for s in subs),
            "with_any": sum(bool(s.received) for s in subs),
            "received": sum(len(s.received) for s in subs),
            "first_failure": next((s.failed for s in subs if s.failed), None),
            **extra,
        }
        print(json.dumps(line), flush=True)

    async def report_status() -> None:
        while True:
            status()
            await asyncio.sleep(0.25)

    reporter = asyncio.create_task(report_status())
    t0 = time.perf_counter()
    readies: list[asyncio.Event] = []
    for i, sub in enumerate(subs):  # in waves of 50, so the handshakes don't all time out at once
        ready = asyncio.Event()
        readies.append(ready)
        tasks.append(asyncio.create_task(subscriber(ws_url, token, sub, ready)))
        if i % 50 == 49:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies[-50:])), 60)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
    status(connected=True, connect_seconds=round(time.perf_counter() - t0, 1))
    await stop.wait()
    reporter.cancel()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, reporter, return_exceptions=True)
    Path(out).write_text(
        json.dumps(
            [{"received": s.received, "by_record": s.by_record, "failed": s.failed, "ready": s.ready} for s in subs]
        )
    )


class Clients:
    """The load client process, seen from the bench: its status lines and its receipts."""

    def __init__(self, ws_url: str, token: str, count: int) -> None:
        self.out = Path(tempfile.mkdtemp(prefix="crm-bench-")) / "receipts.json"
        self.args = [sys.executable, str(Path(__file__).resolve()), "_clients", ws_url, str(count), str(self.out)]
        self.token = token
        self.last: dict[str, Any] = {}
        self.proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    async def start(self) -> None:
        env = dict(os.environ, CRM_BENCH_TOKEN=self.token)
        self.proc = await asyncio.create_subprocess_exec(*self.args, stdout=asyncio.subprocess.PIPE, env=env)
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        async for line in self.proc.stdout:
            with contextlib.suppress(ValueError):
                self.last = json.loads(line)

    async def until(self, check: Any, budget: float) -> bool:
        deadline = time.perf_counter() + budget
        while time.perf_counter() < deadline:
            if self.last and check(self.last):
                return True
            if self.proc is not None and self.proc.returncode is not None:
                return False
            await asyncio.sleep(0.1)
        return False

    def cpu_seconds(self) -> float:
        assert self.proc is not None
        return float(sum(psutil.Process(self.proc.pid).cpu_times()[:2]))

    async def finish(self) -> list[dict[str, Any]]:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.proc.wait(), 60)
        if self._reader is not None:
            await self._reader
        receipts: list[dict[str, Any]] = json.loads(self.out.read_text())
        return receipts


async def watch_stream(redis_url: str, tenant_id: uuid.UUID, seen: dict[int, float]) -> None:
    """When each entry lands in the tenant's Redis Stream (the relay's half of the latency)."""
    from redis.asyncio import Redis

    from crm_graph.platform.events import streams

    redis = Redis.from_url(redis_url)
    key, last = streams.stream_key(tenant_id), "$"
    try:
        while True:
            reply = await redis.xread({key: last}, count=100, block=1000)
            at = time.time()
            for _, entries in reply or []:
                for eid, _fields in entries:
                    seen[streams._seq(eid)] = at
                    last = eid.decode() if isinstance(eid, bytes) else eid
    finally:
        await redis.aclose()


async def subscriber_latency(
    base: str,
    token: str,
    count: int,
    events: int,
    spacing: float,
    redis_url: str,
    tenant_id: uuid.UUID,
    connect_budget: float = 120.0,
    api_pid: int | None = None,
) -> dict[str, Any]:
    ws_url = base.replace("http://", "ws://") + "/graphql"
    url = base + "/graphql"
    clients = Clients(ws_url, token, count)
    await clients.start()
    try:
        connected = await clients.until(lambda s: s.get("connected"), connect_budget)
        st = clients.last
        result: dict[str, Any] = {
            "subscribers_requested": count,
            "subscribers_connected": st.get("ready", 0) - st.get("failed", 0) if connected else 0,
            "connect_seconds": st.get("connect_seconds"),
            "client": "own process (bench/events_bench.py _clients), websockets, one receive loop per subscriber",
        }
        if st.get("failed"):
            result["connect_failures"] = st["failed"]
            result["first_failure"] = st["first_failure"]

        # A generous timeout: on a busy shared machine the first query after 1,000
        # handshakes can wait several seconds (the latencies below are measured anyway).
        async with httpx.AsyncClient(timeout=60) as client:
            org_ids, _ = await targets(client, url, token)
            # Nothing acknowledges a subscription: change things until every live
            # subscriber has received something, then measure from the next change on.
            probe_started = time.perf_counter()
            mutation_errors: list[str] = []
            tag = uuid.uuid4().hex[:6]  # an update to the same value is no change, hence no event
            for p in range(20):
                ok = await try_update(client, url, token, org_ids[0], f"Probe {tag} {p}", mutation_errors)
                await clients.until(lambda s: s["with_any"] >= s["ready"] - s["failed"], 1.0)
                st = clients.last
                if st["with_any"] >= st["ready"] - st["failed"] or not ok or time.perf_counter() - probe_started > 30:
                    break
            await asyncio.sleep(1.0)
            result["warm_up_seconds"] = round(time.perf_counter() - probe_started, 1)

            sent: list[tuple[str, float]] = []  # (record id, wall time the response came back)
            in_stream: dict[int, float] = {}
            watcher = asyncio.create_task(watch_stream(redis_url, tenant_id, in_stream))
            await asyncio.sleep(0.2)
            measure_started = time.perf_counter()
            result["measure_started_at"] = time.time()
            # CPU per event (the mutation and one fan-out to every subscriber) of the API
            # process, and of the client process receiving it: on a loaded machine
            # wall-clock latency mostly measures waiting for a core.
            api_cpu = psutil.Process(api_pid) if api_pid else None
            cpu_ms: list[float] = []
            client_cpu_ms: list[float] = []
            received_before = clients.last["received"]
            profiler = None
            if api_pid and os.environ.get("CRM_BENCH_PROFILE"):  # py-spy's collapsed stacks of the API
                profiler = subprocess.Popen(
                    [
                        *("py-spy", "record", "-p", str(api_pid), "-d", str(int(events * spacing) + 1), "-r", "250"),
                        *("--format", "raw", "-o", os.environ["CRM_BENCH_PROFILE"]),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            for k in range(events if clients.last["with_any"] else 0):
                cpu_before = sum(api_cpu.cpu_times()[:2]) if api_cpu else 0.0
                client_before = clients.cpu_seconds()
                if time.perf_counter() - measure_started > events * spacing + 10:
                    break
                org = org_ids[1 + k % (len(org_ids) - 1)]
                before = time.time()
                if not await try_update(client, url, token, org, f"Live {tag} {k}", mutation_errors):
                    await asyncio.sleep(spacing)
                    continue
                sent.append((org, time.time()))
                result.setdefault("mutation_round_trip_ms", []).append(round((sent[-1][1] - before) * 1000, 1))
                await asyncio.sleep(spacing)
                if api_cpu:
                    cpu_ms.append(round((sum(api_cpu.cpu_times()[:2]) - cpu_before) * 1000, 1))
                client_cpu_ms.append(round((clients.cpu_seconds() - client_before) * 1000, 1))
            if profiler is not None:
                await asyncio.to_thread(profiler.wait, 30)
            expected = received_before + len(sent) * clients.last["with_any"]
            await clients.until(lambda s: s["received"] >= expected, 15)  # every live subscriber has every event
            measure_s = time.perf_counter() - measure_started
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watcher
    finally:
        receipts = await clients.finish()

    from_commit, from_response, from_stream, relay_ms = [], [], [], {}
    complete = 0
    warmed = [s for s in receipts if s["received"]]
    for s in warmed:
        got = 0
        for org, responded in sent:
            event_id = s["by_record"].get(org)
            if event_id is None:
                continue
            at, occurred = s["received"][event_id]
            got += 1
            from_commit.append((at - datetime.fromisoformat(occurred).timestamp()) * 1000)
            from_response.append((at - responded) * 1000)
            if int(event_id) in in_stream:
                from_stream.append((at - in_stream[int(event_id)]) * 1000)
                relay_ms[event_id] = (in_stream[int(event_id)] - datetime.fromisoformat(occurred).timestamp()) * 1000
        complete += got == len(sent)
    rts = result.pop("mutation_round_trip_ms", [])
    died = [s["failed"] for s in warmed if s["failed"]]
    result.update(
        {
            "subscribers_live": len(warmed),
            "mutations_failed": len(mutation_errors),
            "first_mutation_error": mutation_errors[0] if mutation_errors else None,
            "subscriptions_died_during_run": len(died),
            "first_subscription_error": died[0] if died else None,
            "events": events,
            "spacing_s": spacing,
            "measure_seconds": round(measure_s, 1),
            "deliveries_expected": len(warmed) * len(sent),
            "deliveries_received": len(from_commit),
            "subscribers_with_every_event": complete,
            "latency_from_occurred_at": stats_ms(from_commit),
            "latency_from_mutation_response": stats_ms(from_response),
            "split_commit_to_redis_stream": stats_ms(list(relay_ms.values())),
            "split_redis_stream_to_subscriber": stats_ms(from_stream),
            "mutation_round_trip_under_load": stats_ms(rts),
            "api_cpu_ms_per_event_fanout": cpu_ms,
            "client_cpu_ms_per_event": client_cpu_ms,
            "load_average": [round(x, 2) for x in os.getloadavg()],
        }
    )
    return result


async def try_update(
    client: httpx.AsyncClient, url: str, token: str, org: str, industry: str, errors: list[str]
) -> bool:
    try:
        r = await client.post(
            url,
            json={"query": ORG_UPDATE, "variables": {"i": {"id": org, "industry": industry}}},
            headers={"Authorization": f"Bearer {token}"},
        )
        body = r.json() if r.headers.get("content-type", "").startswith("application/json") else None
    except httpx.HTTPError as exc:
        errors.append(f"{type(exc).__name__}: {exc}"[:300])
        return False
    if r.status_code != 200 or body is None or body.get("errors") or body["data"]["organizationUpdate"]["errors"]:
        errors.append(f"HTTP {r.status_code}: {r.text[:200]}")
        return False
    return True


# --- 3. webhook deliveries -------------------------------------------------------------


async def make_events(url: str, token: str, n: int, tag: str, concurrency: int = 8) -> None:
    async with httpx.AsyncClient(timeout=60) as client:
        org_ids, _ = await targets(client, url, token)
        counter = iter(range(n))

        async def worker() -> None:
            for i in counter:
                out = await gql(
                    client, url, token, ORG_UPDATE, {"i": {"id": org_ids[i % len(org_ids)], "industry": f"{tag} {i}"}}
                )
                assert not out["organizationUpdate"]["errors"], out

        await asyncio.gather(*(worker() for _ in range(concurrency)))


async def delivery_counts(engine: Any, tenant_id: uuid.UUID) -> dict[str, int]:
    from crm_graph.platform.webhooks.models import WebhookDelivery

    d = WebhookDelivery.__table__
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                sa.select(d.c.status, sa.func.count()).where(d.c.tenant_id == tenant_id).group_by(d.c.status)
            )
        ).all()
    return {status: int(n) for status, n in rows}


async def webhook_inline(
    database_url: str, url: str, token: str, tenant_id: uuid.UUID, k: int, shared_client: bool = False
) -> dict[str, Any]:
    """The real job functions run inline, one delivery at a time. With `shared_client`,
    ctx["http"] holds one httpx.AsyncClient (the worker sets none: each delivery
    builds its own client, TLS context included)."""
    from crm_graph.kernel.settings import Settings
    from crm_graph.platform.webhooks import delivery

    await make_events(url, token, k, "Shared" if shared_client else "Hook")
    engine = make_engine(database_url, 4)
    ctx: dict[str, Any] = {"engine": engine, "settings": Settings(webhook_allow_private=True)}
    if shared_client:
        ctx["http"] = httpx.AsyncClient(timeout=delivery.TIMEOUT, follow_redirects=False)
    try:
        t0 = time.perf_counter()
        fanned = 0
        while (n := await delivery.webhook_fanout(ctx, tenant_id)) > 0:
            fanned += n
        fanout_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        sent = 0
        while (n := await delivery.retry_due_deliveries(ctx, tenant_id)) > 0:
            sent += n
        deliver_s = time.perf_counter() - t1
        counts = await delivery_counts(engine, tenant_id)
    finally:
        if "http" in ctx:
            await ctx["http"].aclose()
        await engine.dispose()
    return {
        "events": k,
        "deliveries_created": fanned,
        "fanout_seconds": round(fanout_s, 2),
        "fanout_per_s": round(fanned / fanout_s, 1) if fanout_s else None,
        "deliveries_sent": sent,
        "deliver_seconds": round(deliver_s, 2),
        "deliveries_per_s": round(sent / deliver_s, 1) if deliver_s else None,
        "statuses": counts,
    }


async def webhook_worker(
    database_url: str, env: dict[str, str], url: str, token: str, tenant_id: uuid.UUID, k: int, budget: float = 60.0
) -> dict[str, Any]:
    engine = make_engine(database_url, 2)
    try:
        before = (await delivery_counts(engine, tenant_id)).get("succeeded", 0)
        await make_events(url, token, k, "Worker")
        worker = Proc([str(VENV_BIN / "crm-graph"), "worker"], env, "worker-webhooks")
        try:
            t0 = time.perf_counter()
            first_at = None
            done = before
            while time.perf_counter() - t0 < budget:
                await asyncio.sleep(0.25)
                done = (await delivery_counts(engine, tenant_id)).get("succeeded", 0)
                if first_at is None and done > before:
                    first_at = time.perf_counter()
                if done - before >= k:
                    break
            end = time.perf_counter()
            counts = await delivery_counts(engine, tenant_id)
        finally:
            worker.stop()
    finally:
        await engine.dispose()
    sent = done - before
    out: dict[str, Any] = {
        "events": k,
        "delivered": sent,
        "seconds_from_worker_start": round(end - t0, 2),
        "statuses": counts,
    }
    if first_at is not None and end > first_at:
        out["seconds_first_to_last"] = round(end - first_at, 2)
        out["deliveries_per_s"] = round(sent / (end - first_at), 1)
    if sent < k:
        out["worker_log_tail"] = worker.tail(15)
    return out


def start_receiver() -> tuple[subprocess.Popen[bytes], int]:
    """The webhook receiver in its own process; returns it and its port."""
    receiver = subprocess.Popen([sys.executable, "-c", RECEIVER], stdout=subprocess.PIPE)
    assert receiver.stdout is not None
    return receiver, int(receiver.stdout.readline())


# --- the run ---------------------------------------------------------------------------


async def run(
    database_url: str,
    redis_url: str,
    *,
    mutations: int = 800,
    subscribers: tuple[int, ...] = (1000, 100),
    events: int = 6,
    spacing: float = 3.0,
    webhook_events: int = 300,
    relay: str = "worker",
    parts: tuple[str, ...] = ("mutations", "subscribers", "webhooks"),
) -> dict[str, Any]:
    from crm_graph.seed import seed_demo

    await seed_demo(database_url, organizations=60, seed=7)
    engine = make_engine(database_url, 2)
    async with engine.connect() as conn:
        tenant_id = (
            await conn.execute(sa.select(Tenant.__table__.c.id).where(Tenant.__table__.c.slug == "demo"))
        ).scalar_one()
        admin_id = (
            await conn.execute(
                sa.select(User.__table__.c.id).where(
                    User.__table__.c.tenant_id == tenant_id, User.__table__.c.email == "admin@demo.example"
                )
            )
        ).scalar_one()
    await engine.dispose()
    token = issue_token(SECRET, tenant_id, admin_id)
    env = service_env(database_url, redis_url)
    results: dict[str, Any] = {"machine_cpus": os.cpu_count(), "relay": relay}
    from redis.asyncio import Redis

    from crm_graph.platform.events.relay import Relay

    worker = Proc([str(VENV_BIN / "crm-graph"), "worker"], env, "worker") if relay == "worker" else None
    relay_engine, relay_redis, relay_task = None, None, None
    if relay == "inprocess":
        relay_engine, relay_redis = make_engine(database_url, 2), Redis.from_url(redis_url)
        relay_task = Relay(relay_engine, relay_redis, database_url)
        await relay_task.start()

    async def stop_relay() -> None:
        if worker is not None:
            if worker.proc.poll() is not None:
                results["worker_exited"] = worker.tail()
            worker.stop()
        if relay_task is not None:
            await relay_task.stop()
            await relay_redis.aclose()  # type: ignore[union-attr]
            await relay_engine.dispose()  # type: ignore[union-attr]

    api, base = await start_api(env)
    try:
        print(f"events bench: API at {base}, relay: {relay}", flush=True)
        if "mutations" in parts:
            t = time.perf_counter()
            results["mutations"] = await mutation_throughput(base + "/graphql", token, mutations)
            print(f"  mutations done in {time.perf_counter() - t:.1f}s", flush=True)
        if "subscribers" in parts:
            results["subscribers"] = []
            for count in subscribers:
                api.stop()  # a fresh API process (and pool) per attempt
                api, base = await start_api(env)
                t = time.perf_counter()
                attempt = await subscriber_latency(
                    base, token, count, events, spacing, redis_url, tenant_id, api_pid=api.proc.pid
                )
                results["subscribers"].append(attempt)
                print(f"  {count} subscribers done in {time.perf_counter() - t:.1f}s", flush=True)
                if api.proc.poll() is None:
                    pool_timeouts = api.log.read_text(errors="replace").count("QueuePool limit")
                    if pool_timeouts:
                        attempt["api_pool_timeouts_logged"] = pool_timeouts
        await stop_relay()  # part 3 runs fan-out itself; a worker's cron would compete
        worker = relay_task = None
        if "webhooks" not in parts:
            return results

        async with httpx.AsyncClient(timeout=60) as client:
            receiver, port = start_receiver()
            try:
                out = await gql(
                    client,
                    base + "/graphql",
                    token,
                    WEBHOOK_CREATE,
                    {"i": {"url": f"http://127.0.0.1:{port}/hook", "eventTypes": ["*"], "description": "bench"}},
                )
                assert not out["webhookCreate"]["errors"], out
                t = time.perf_counter()
                results["webhooks_inline"] = await webhook_inline(
                    database_url, base + "/graphql", token, tenant_id, webhook_events
                )
                print(f"  webhooks inline done in {time.perf_counter() - t:.1f}s", flush=True)
                t = time.perf_counter()
                results["webhooks_inline_shared_client"] = await webhook_inline(
                    database_url, base + "/graphql", token, tenant_id, webhook_events, shared_client=True
                )
                print(f"  webhooks inline (shared client) done in {time.perf_counter() - t:.1f}s", flush=True)
                t = time.perf_counter()
                results["webhooks_worker"] = await webhook_worker(
                    database_url, env, base + "/graphql", token, tenant_id, webhook_events
                )
                print(f"  webhooks worker done in {time.perf_counter() - t:.1f}s", flush=True)
            finally:
                receiver.terminate()
                receiver.wait(5)
    finally:
        api.stop()
        await stop_relay()
    return results


def table(results: dict[str, Any]) -> str:
    rows: list[tuple[str, str, str]] = []
    if "mutations" in results:
        m = results["mutations"]
        rows.append(
            (
                "mutations/s (c=8, org update + move stage)",
                f"{m['req_per_s']}",
                f"p50 {m['all']['p50_ms']} ms, p99 {m['all']['p99_ms']} ms, errors {m['errors']}",
            )
        )
    for s in results.get("subscribers", []):
        if not s["latency_from_occurred_at"]["samples"]:
            rows.append(
                (
                    f"commit->subscriber, {s['subscribers_requested']} subscribers",
                    "FAILED",
                    (
                        f"{s['subscriptions_died_during_run']} subscriptions died, {s['mutations_failed']} "
                        f"mutations failed; {s.get('api_pool_timeouts_logged', 0)} pool timeouts"
                    ),
                )
            )
            continue
        occurred, responded = s["latency_from_occurred_at"], s["latency_from_mutation_response"]
        rows.append(
            (
                f"commit->subscriber, {s['subscribers_live']}/{s['subscribers_requested']} subscribers",
                f"p50 {occurred['p50_ms']} ms",
                (
                    f"p99 {occurred['p99_ms']} ms (from occurredAt); from response p50 {responded['p50_ms']}"
                    f" / p99 {responded['p99_ms']} ms; relay part p50 "
                    f"{s['split_commit_to_redis_stream']['p50_ms']} ms"
                ),
            )
        )
        rows.append(
            (
                "  subscribers with every event",
                f"{s['subscribers_with_every_event']}/{s['subscribers_live']}",
                (
                    f"{s['deliveries_received']}/{s['deliveries_expected']} receipts; "
                    f"{s['subscriptions_died_during_run']} died, {s['mutations_failed']} mutations failed"
                ),
            )
        )
    if "webhooks_inline" in results:
        w = results["webhooks_inline"]
        rows.append(
            (
                "webhook deliveries/s, inline jobs",
                f"{w['deliveries_per_s']}",
                f"{w['deliveries_sent']} sent in {w['deliver_seconds']} s; fan-out {w['fanout_per_s']}/s",
            )
        )
    if "webhooks_inline_shared_client" in results:
        w = results["webhooks_inline_shared_client"]
        rows.append(
            (
                "  same, one shared httpx client (ctx['http'])",
                f"{w['deliveries_per_s']}",
                f"{w['deliveries_sent']} sent in {w['deliver_seconds']} s",
            )
        )
    if "webhooks_worker" in results:
        w = results["webhooks_worker"]
        rows.append(
            (
                "webhook deliveries/s, crm-graph worker",
                f"{w.get('deliveries_per_s')}",
                f"{w['delivered']}/{w['events']} in {w.get('seconds_first_to_last')} s (first to last)",
            )
        )
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a:<{width}}  {b:>14}  {c}" for a, b, c in rows)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.common import bench_database, report

    async def main() -> None:
        if sys.argv[1:2] == ["_clients"]:
            await subscriber_clients(sys.argv[2], os.environ["CRM_BENCH_TOKEN"], int(sys.argv[3]), sys.argv[4])
            return
        only_subscribers = sys.argv[1:2] == ["subscribers"]
        name = sys.argv[2] if len(sys.argv) > 2 else ("events-subscribers" if only_subscribers else "events")
        async with bench_database("events") as (database_url, redis_url):
            if only_subscribers:
                results = await run(database_url, redis_url, subscribers=(1000,), parts=("subscribers",))
            else:
                results = await run(database_url, redis_url)
        report(name, results)
        print(table(results))

    if sys.argv[1:2] == ["_clients"]:
        with contextlib.suppress(ImportError):
            import uvloop  # the load client's own loop overhead is not what is measured

            asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    asyncio.run(main())
