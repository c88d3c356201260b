"""HTTP benchmark of issue "A GraphQL endpoint safe to expose to the internet".

On a dedicated database seeded with `crm-graph seed --demo --organizations 10000`, both
servers run as real processes (`crm-graph serve`, one uvicorn process; PostGraphile 5
with the Amber preset, one node process over a thin view layer, bench/postgraphile/) and
wrk measures requests per second and p50/p99 latency at concurrency 16 and 64, the
servers alternated (A B B A over the rounds), for

- q1: 50 organizations x 10 contacts x 5 latest interactions each;
- q2: one organization with 20 opportunities and its relationships both ways;
- q3: a shortest relationship path of 3 to 4 hops (`relationshipPath`, crm-graph only);
- m1: `opportunityMoveStage`, with audit and outbox (crm-graph only; each request a real move);
- `{ __typename }`.

PostGraphile runs as crm_app with app.tenant_id from the same bearer token, so row-level
security filters both by tenant. Before timing, q1 and q2 must return the same records
with the same values in the same order from both (global IDs compared by UUID).
Also: SQL statements per request, peak RSS per server process, q1/q2 as a sales rep
(row scopes on) versus an admin, and what dominates crm-graph's CPU on q1 (py-spy).

Run: .venv/bin/python bench/run.py http   (or `make bench`). Knobs (environment):
CRM_BENCH_HTTP_ORGANIZATIONS (10000), CRM_BENCH_HTTP_SECONDS per run (5; longer for slow
queries, up to CRM_BENCH_HTTP_MAX_RUN_SECONDS, 12),
CRM_BENCH_HTTP_ROUNDS (2), CRM_BENCH_HTTP_QUERIES (q1,q2,q3,m1,typename).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script, too

from bench import http_load as load
from bench.http_data import (
    body,
    dataset,
    entity,
    first_difference,
    gql,
    install_views,
    m1_bodies,
    move_targets,
    normal_q1,
    normal_q2,
    rows,
    top_up_opportunities,
    write_counts,
)
from crm_graph.platform.identity.auth import issue_token

SECRET = "bench-secret-of-at-least-thirty-two-bytes"
ORGANIZATIONS = int(os.environ.get("CRM_BENCH_HTTP_ORGANIZATIONS", "10000"))
SECONDS = float(os.environ.get("CRM_BENCH_HTTP_SECONDS", "5"))
# A run lasts at least 4 x concurrency x the query's single-request latency (all
# requests start together, and a single event loop may finish them together), up to this.
MAX_RUN_SECONDS = float(os.environ.get("CRM_BENCH_HTTP_MAX_RUN_SECONDS", "12"))
ROUNDS = int(os.environ.get("CRM_BENCH_HTTP_ROUNDS", "2"))
QUERIES = tuple(os.environ.get("CRM_BENCH_HTTP_QUERIES", "q1,q2,q3,m1,typename").split(","))
CONCURRENCY = (16, 64)
THREADS = 2
# crm-graph's pools: CRM_DB_POOL_SIZE (4, no overflow) for the ordinary path and
# CRM_DB_READ_POOL_SIZE (4) for compiled reads; PostGraphile's: as many in one.
PG_POOL = 8

Q1 = """query Q1 { organizations(first: 50, orderBy: {field: NAME}) { edges { node { id name industry
  contacts(first: 10) { edges { node { id firstName lastName title
    interactions(first: 5) { edges { node { id kind subject occurredAt } } } } } } } } } }"""
Q2 = """query Q2($id: ID!) { node(id: $id) { ... on Organization { id name industry
  opportunities(first: 20) { edges { node { id name amount currency status expectedCloseDate createdAt } } }
  relationships(first: 50) { edges { node { id kind sourceType targetType strength since
    source { id } target { id } } } } } } }"""
Q3 = """query Q3($from: ID!, $to: ID!) { relationshipPath(from: $from, to: $to, maxDepth: 4) { length
  nodes { id ... on Organization { name } ... on Contact { firstName lastName } ... on Opportunity { name } }
  edges { id kind } } }"""
M1 = """mutation M1($i: OpportunityMoveStageInput!) { opportunityMoveStage(input: $i) {
  opportunity { id version stage { id } } errors { __typename message } } }"""
TYPENAME = "{ __typename }"

# The same reads against PostGraphile (pgl views: archived rows dropped, crm-graph's sort keys as columns).
PG_Q1 = """query Q1 { allOrganizations(first: 50, orderBy: [SORT_NAME_ASC, ROW_ID_ASC]) { edges { node { rowId name
  industry contactsByOrganizationId(first: 10, orderBy: [SORT_LAST_ASC, SORT_FIRST_ASC, ROW_ID_ASC]) { edges { node {
    rowId firstName lastName title latestInteractions(first: 5) { edges { node { rowId kind subject occurredAt } } }
  } } } } } } }"""
PG_Q2 = """query Q2($id: UUID!) { organizationByRowId(rowId: $id) { rowId name industry
  opportunitiesByOrganizationId(first: 20, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { edges { node {
    rowId name amount currency status expectedCloseDate createdAt } } }
  relationships(first: 50) { edges { node { rowId kind sourceType targetType strength since sourceId targetId } } } } }"""


# --- statements per request -----------------------------------------------------------------


async def crm_statements(database_url: str, redis_url: str, token: str, bodies: dict[str, str]) -> dict[str, Any]:
    """Counted in-process (crm_graph.kernel.db.statement_counter, as tests do) through the same app."""
    from crm_graph.app import create_app
    from crm_graph.kernel.db import statement_counter
    from crm_graph.kernel.settings import Settings

    settings = Settings(
        database_url=database_url,
        redis_url=redis_url,
        jwt_secret=SECRET,
        rate_limit_enabled=False,
        max_cost=10**9,
        log_level="WARNING",
    )
    app = create_app(settings)
    out: dict[str, Any] = {}
    transport = httpx.ASGITransport(app=app)
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://b") as client:
        for name, text in bodies.items():
            counts = []
            for attempt in range(3):  # the first warms per-process caches (policies, documents, actor)
                async with statement_counter() as n:
                    r = await client.post(
                        "/graphql",
                        content=text,
                        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
                    )
                assert r.status_code == 200 and not r.json().get("errors"), r.text[:300]
                if attempt:  # all sent: the operation's and a pooled connection's tenant setting
                    counts.append(n[0] + n[1])
            out[name] = min(counts)
    return out


async def pg_statements(base: str, token: str, bodies: dict[str, str], n: int = 10) -> dict[str, Any]:
    """Counted by the PostGraphile process itself (every pg client query), over n requests."""
    out: dict[str, Any] = {}
    async with httpx.AsyncClient(timeout=60) as client:
        for name, text in bodies.items():
            await gql(client, base, token, text)
            before = (await client.get(base + "/__bench/statements")).json()
            for _ in range(n):
                await gql(client, base, token, text)
            after = (await client.get(base + "/__bench/statements")).json()
            total = (after["all"] - before["all"]) / n
            control = (after["transaction_control"] - before["transaction_control"]) / n
            out[name] = {"all": total, "without_begin_commit": total - control}
    return out


# --- the run ---------------------------------------------------------------------------------


def results_name() -> str:
    """`http`, or `http-ordinary` when CRM_COMPILED_READS=false turns the compiled read path off."""
    off = os.environ.get("CRM_COMPILED_READS", "").strip().lower() in ("0", "false", "no", "off")
    return "http-ordinary" if off else "http"


def crm_env(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CRM_DATABASE_URL=database_url,
        CRM_REDIS_URL=redis_url,
        CRM_JWT_SECRET=SECRET,
        CRM_ENV="production",
        CRM_LOG_LEVEL="WARNING",
        CRM_RATE_LIMIT_ENABLED="false",
        CRM_MAX_COST=str(10**9),
    )
    return env


def aggregate(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Rounds of one (query, concurrency, server): rps summed over time; latencies the median round's."""
    reqs, secs = sum(r["requests"] for r in runs), sum(r["seconds"] for r in runs)
    errors: Counter[str] = Counter()
    for r in runs:
        errors.update(r["errors"])
    per_request = (
        {
            f"{k}_ms_per_request": round(1000 * sum(r.get(f"{k}_s", 0.0) for r in runs) / reqs, 3)
            for k in ("server_cpu", "postgres_cpu")
        }
        if reqs
        else {}
    )
    return {
        "rps": round(reqs / secs, 1) if secs else 0.0,
        "requests": reqs,
        **per_request,
        "p50_ms": round(statistics.median(r["p50_ms"] for r in runs), 2),
        "p99_ms": round(statistics.median(r["p99_ms"] for r in runs), 2),
        "max_ms": max(r["max_ms"] for r in runs),
        "kb_per_response": runs[0]["kb_per_response"],
        "errors": dict(errors),
        "rounds_rps": [r["rps"] for r in runs],
        # Fewer completions than twice the concurrency: the run was too short for this
        # server's latency (see MAX_RUN_SECONDS); the figures are rough.
        "few_samples": any(r["requests"] < 2 * r["concurrency"] for r in runs),
    }


async def run(database_url: str, redis_url: str) -> dict[str, Any]:
    from crm_graph.readside.ids import to_global_id
    from crm_graph.seed import seed_demo

    started = time.perf_counter()
    wrk_bin = load.ensure_wrk()
    load.npm_install()
    t = time.perf_counter()
    await seed_demo(database_url, organizations=ORGANIZATIONS)
    seed_s = time.perf_counter() - t
    print(f"http bench: seeded {ORGANIZATIONS} organizations in {seed_s:.0f} s", flush=True)
    data = await dataset(database_url)
    q2_opportunities = await top_up_opportunities(database_url, data)
    await install_views(database_url)
    tenant = data["tenant"]
    tokens = {
        who: issue_token(SECRET, tenant, data["users"][email], timedelta(hours=6))
        for who, email in (("admin", "admin@demo.example"), ("rep", "rep1@demo.example"))
    }
    org = entity("Organization")
    q2_id = to_global_id(org, data["q2_org"])
    crm_bodies = {
        "q1": body(Q1),
        "q2": body(Q2, {"id": q2_id}),
        "q3": body(Q3, {"from": to_global_id(org, data["q3"]["from"]), "to": to_global_id(org, data["q3"]["to"])}),
        "typename": body(TYPENAME),
    }
    pg_bodies = {"q1": body(PG_Q1), "q2": body(PG_Q2, {"id": str(data["q2_org"])}), "typename": body(TYPENAME)}

    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "node": load.version_of(["node", "--version"]),
            "load_generator": load.version_of([wrk_bin, "-v"]),
            "postgraphile": _postgraphile_version(),
        },
        "dataset": {
            "organizations_seeded": ORGANIZATIONS,
            "seed_seconds": round(seed_s, 1),
            "demo_tenant_rows": data["counts"],
            "q2_organization": {
                "id": str(data["q2_org"]),
                "opportunities": q2_opportunities,
                "note": "owned by rep1; topped up to 20 opportunities by the benchmark",
            },
            "q3_ends": {k: str(v) for k, v in data["q3"].items()},
        },
        "method": {
            "seconds_per_run": SECONDS,
            "rounds": ROUNDS,
            "wrk_threads": THREADS,
            "concurrency": list(CONCURRENCY),
            "order": "per (query, concurrency): servers alternated A B ... then reversed, round by round",
            "run_length": f"max({SECONDS}, min({MAX_RUN_SECONDS}, 4 x concurrency x single-request latency)) s; "
            "each run starts when the server process is idle (the previous run's in-flight "
            "requests done)",
            "crm_graph": "crm-graph serve (one uvicorn process), CRM_ENV=production, CRM_LOG_LEVEL=WARNING, "
            "rate limits off, CRM_MAX_COST=1e9, default pools (CRM_DB_POOL_SIZE=4, no overflow; "
            "CRM_DB_READ_POOL_SIZE=4)",
            "crm_graph_environment": {
                k: v
                for k, v in sorted(os.environ.items())
                if k.startswith("CRM_") and k not in ("CRM_DATABASE_URL", "CRM_REDIS_URL", "CRM_JWT_SECRET")
            },
            "postgraphile": f"PostGraphile 5 Amber preset, one node process (NODE_ENV=production), pool {PG_POOL}, "
            "views in schema pgl (bench/postgraphile/views.sql), crm_app + app.tenant_id per request",
            "statements": "crm-graph: counted in-process with crm_graph.kernel.db.statement_counter through the same app "
            "(httpx ASGITransport), after a first request that warms the process's caches; a compiled "
            "read sends one statement and no BEGIN/COMMIT; a mutation's BEGIN/COMMIT are not counted; "
            "PostGraphile: every query its pg clients send, counted in its process (includes BEGIN, "
            "set_config, COMMIT)",
            "cpu": "per run, CPU time of the API server's process and of every PostgreSQL process on the machine "
            "(/proc), from before the run to when the server is idle again, over the requests completed",
        },
        "queries": {"q1": Q1, "q2": Q2, "q3": Q3, "m1": M1, "typename": TYPENAME, "pg_q1": PG_Q1, "pg_q2": PG_Q2},
    }
    env = crm_env(database_url, redis_url)
    crm, crm_base = await load.start_crm(env)
    pgl = None
    try:
        pgl, pg_base = await load.start_postgraphile(database_url, SECRET, PG_POOL)
        print(f"http bench: crm-graph at {crm_base}, PostGraphile at {pg_base}", flush=True)
        results["verification"] = await verify(crm_base, pg_base, tokens, crm_bodies, pg_bodies, data)
        results["statements_per_request"] = {
            "crm_graph": await crm_statements(
                database_url,
                redis_url,
                tokens["admin"],
                {**crm_bodies, "m1": m1_bodies(M1, await move_targets(database_url, tenant, 1), 1, 1)[0][0]},
            ),
            "postgraphile": await pg_statements(pg_base, tokens["admin"], pg_bodies),
        }
        results["statements_per_request"]["crm_graph_rep"] = await crm_statements(
            database_url, redis_url, tokens["rep"], {"q1": crm_bodies["q1"], "q2": crm_bodies["q2"]}
        )
        servers = {"crm_graph": (crm, crm_base), "postgraphile": (pgl, pg_base)}
        runs, m1_checks = await timed_runs(wrk_bin, servers, tokens, crm_bodies, pg_bodies, database_url, tenant)
        results["runs"] = runs
        if m1_checks:
            results["m1_writes"] = m1_checks
        results["summary"] = summarize(runs)
        results["compiled_reads"] = await compiled_counts(crm_base)
        if "q1" in QUERIES:
            results["profile_q1_crm_graph"] = await profile_q1(
                wrk_bin, crm, crm_base, tokens["admin"], crm_bodies["q1"]
            )
        results["peak_rss_mb"] = {
            "crm_graph": load.peak_rss_mb(crm.proc.pid),
            "postgraphile": load.peak_rss_mb(pgl.proc.pid),
        }
    finally:
        crm.stop()
        if pgl is not None:
            pgl.stop()
    results["total_seconds"] = round(time.perf_counter() - started, 1)
    return results


def _postgraphile_version() -> str | None:
    with_lock = load.PGL_DIR / "node_modules" / "postgraphile" / "package.json"
    return orjson.loads(with_lock.read_bytes())["version"] if with_lock.exists() else None


async def verify(
    crm_base: str,
    pg_base: str,
    tokens: dict[str, str],
    crm_bodies: dict[str, str],
    pg_bodies: dict[str, str],
    data: dict[str, Any],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with httpx.AsyncClient(timeout=120) as client:
        for name, normal in (("q1", normal_q1), ("q2", normal_q2)):
            ours, our_bytes = await gql(client, crm_base, tokens["admin"], crm_bodies[name])
            theirs, their_bytes = await gql(client, pg_base, tokens["admin"], pg_bodies[name])
            a, b = normal(ours, pg=False), normal(theirs, pg=True)
            diff = first_difference(a, b)
            rep, _ = await gql(client, crm_base, tokens["rep"], crm_bodies[name])
            out[name] = {
                "same_data": diff is None,
                "first_difference": diff,
                "records": rows(a),
                "records_as_rep": rows(normal(rep, pg=False)),
                "response_bytes": {"crm_graph": our_bytes, "postgraphile": their_bytes},
            }
            if diff is not None:
                print(f"http bench: WARNING {name} differs between the servers: {diff}", flush=True)
        path, _ = await gql(client, crm_base, tokens["admin"], crm_bodies["q3"])
        found = path["relationshipPath"]
        out["q3"] = {
            "expected_hops": data["q3"]["hops"],
            "length": found and found["length"],
            "same_length": bool(found) and found["length"] == data["q3"]["hops"],
        }
    return out


async def single_latency(base: str, token: str, text: str, n: int = 3) -> float:
    """Median seconds of n sequential requests, after two to warm connections, caches and plans."""
    times = []
    async with httpx.AsyncClient(timeout=120) as client:
        for i in range(n + 2):
            t = time.perf_counter()
            await client.post(
                base + "/graphql",
                content=text,
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            if i >= 2:
                times.append(time.perf_counter() - t)
    return statistics.median(times)


async def timed_runs(
    wrk_bin: str,
    servers: dict[str, tuple[Any, str]],
    tokens: dict[str, str],
    crm_bodies: dict[str, str],
    pg_bodies: dict[str, str],
    database_url: str,
    tenant: uuid.UUID,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    runs: list[dict[str, Any]] = []
    m1_checks: list[dict[str, Any]] = []
    for query in [q for q in ("q1", "q2", "q3", "m1", "typename") if q in QUERIES]:
        targets: list[tuple[str, str, str]] = [("crm_graph", "crm_graph", "admin")]
        if query in pg_bodies:
            targets.append(("postgraphile", "postgraphile", "admin"))
        if query in ("q1", "q2"):
            targets.append(("crm_graph_rep", "crm_graph", "rep"))
        latency: dict[str, float] = {}
        for name, server, who in targets:
            if query != "m1":
                text = (pg_bodies if server == "postgraphile" else crm_bodies)[query]
                latency[name] = await single_latency(servers[server][1], tokens[who], text)
        for conc in CONCURRENCY:
            for rnd in range(ROUNDS):
                for name, server, who in targets if rnd % 2 == 0 else list(reversed(targets)):
                    proc, base = servers[server]
                    before: dict[str, int] = {}
                    if query == "m1":
                        groups = m1_bodies(M1, await move_targets(database_url, tenant), THREADS)
                        before = await write_counts(database_url, tenant)
                        seconds = SECONDS
                    else:
                        groups = [[(pg_bodies if server == "postgraphile" else crm_bodies)[query]]]
                        seconds = max(SECONDS, min(MAX_RUN_SECONDS, 4 * conc * latency[name]))
                    drained = await load.drain(proc.proc.pid)
                    cpu_before = load.cpu_seconds(proc.proc.pid), load.postgres_cpu_seconds()
                    result = await load.wrk(wrk_bin, base, tokens[who], groups, conc, seconds, THREADS)
                    await load.drain(proc.proc.pid)  # requests in flight when wrk stopped are paid for too
                    cpu_after = load.cpu_seconds(proc.proc.pid), load.postgres_cpu_seconds()
                    result["server_cpu_s"] = round((cpu_after[0] or 0.0) - (cpu_before[0] or 0.0), 2)
                    result["postgres_cpu_s"] = round(cpu_after[1] - cpu_before[1], 2)
                    result.update(query=query, concurrency=conc, server=name, round=rnd, idle_wait_before_s=drained)
                    if query != "m1":
                        result["single_request_ms"] = round(latency[name] * 1000, 1)
                    if query == "m1":
                        await load.drain(proc.proc.pid)
                        after = await write_counts(database_url, tenant)
                        added = {f"{k}_added": after[k] - before[k] for k in after}
                        # Requests still in flight when wrk stopped complete too: more changes than requests.
                        m1_checks.append(
                            {
                                "concurrency": conc,
                                "round": rnd,
                                "requests": result["requests"],
                                **added,
                                "every_request_wrote": min(added.values()) >= result["requests"],
                            }
                        )
                    runs.append(result)
                    print(
                        f"  {query:<8} c={conc:<3} {name:<13} {result['rps']:>8} req/s  "
                        f"p50 {result['p50_ms']:>8} ms  p99 {result['p99_ms']:>8} ms  ({result['requests']} in "
                        f"{result['seconds']} s)" + (f"  errors {result['errors']}" if result["errors"] else ""),
                        flush=True,
                    )
    return runs, m1_checks


async def compiled_counts(base: str) -> dict[str, Any]:
    """How the benchmark's queries ran on crm-graph (its /metrics): compiled, or which fallback."""
    async with httpx.AsyncClient(timeout=30) as client:
        text = (await client.get(base + "/metrics")).text
    counts: Counter[str] = Counter()
    for line in text.splitlines():
        if line.startswith("crm_graphql_compiled_total{"):
            labels, value = line[len("crm_graphql_compiled_total{") :].rsplit("} ", 1)
            fields = dict(part.split("=", 1) for part in labels.split(","))
            path, reason = fields["path"].strip('"'), fields.get("reason", '""').strip('"')
            counts[path if not reason else f"{path}:{reason}"] += int(float(value))
    total = sum(counts.values())
    return {"operations": dict(counts), "compiled_fraction": round(counts["compiled"] / total, 4) if total else None}


def summarize(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    table: list[dict[str, Any]] = []
    keys = sorted(
        {(r["query"], r["concurrency"]) for r in runs},
        key=lambda k: (("q1", "q2", "q3", "m1", "typename").index(k[0]), k[1]),
    )
    for query, conc in keys:
        row: dict[str, Any] = {"query": query, "concurrency": conc}
        for server in ("crm_graph", "postgraphile", "crm_graph_rep"):
            mine = [r for r in runs if r["query"] == query and r["concurrency"] == conc and r["server"] == server]
            if mine:
                row[server] = aggregate(mine)
        if "postgraphile" in row:
            pg = row["postgraphile"]["rps"]
            row["crm_over_postgraphile"] = round(row["crm_graph"]["rps"] / pg, 2) if pg else None
        if "crm_graph_rep" in row:
            # Time per request as a rep over as an admin (> 1: scopes cost).
            rep = row["crm_graph_rep"]["rps"]
            row["rep_over_admin_time"] = round(row["crm_graph"]["rps"] / rep, 2) if rep else None
            if "postgraphile" in row and row["postgraphile"]["rps"]:
                # The compiled-read-path issue's figure: a sales rep, row scopes on.
                row["rep_over_postgraphile"] = round(rep / row["postgraphile"]["rps"], 2)
                pg_cpu = row["postgraphile"].get("postgres_cpu_ms_per_request")
                if pg_cpu:
                    row["rep_postgres_cpu_over_postgraphile"] = round(
                        row["crm_graph_rep"]["postgres_cpu_ms_per_request"] / pg_cpu, 2
                    )
        table.append(row)
    return table


async def profile_q1(wrk_bin: str, crm: Any, base: str, token: str, text: str) -> dict[str, Any]:
    import asyncio

    py_spy = load.ensure_py_spy()
    if py_spy is None:
        return {"error": "py-spy could not be installed"}
    seconds = max(4.0, SECONDS)
    await load.drain(crm.proc.pid)
    load_task = asyncio.create_task(load.wrk(wrk_bin, base, token, [[text]], 16, seconds + 2, THREADS))
    await asyncio.sleep(1)
    summary, log = await load.profile(py_spy, crm.proc.pid, seconds)
    under = await load_task
    if summary is None:
        return {"error": "py-spy failed", "output": log}
    return {
        "tool": "py-spy record --nonblocking, 100 Hz, on the crm-graph serve process, q1 at c=16",
        "rps_while_profiled": under["rps"],
        **summary,
    }


def table(results: dict[str, Any]) -> str:
    lines = []
    head = (
        f"{'query':<9}{'conc':>5} {'crm rps':>9} {'p50':>8} {'p99':>8} {'pg rps':>9} {'p50':>8} {'p99':>8} {'ratio':>6}"
    )
    lines += [head, "-" * len(head)]
    for row in results.get("summary", []):
        crm, pg = row["crm_graph"], row.get("postgraphile")
        pg_cols = (
            f" {pg['rps']:>9} {pg['p50_ms']:>8} {pg['p99_ms']:>8} {row['crm_over_postgraphile']!s:>6}"
            if pg
            else f" {'-':>9} {'-':>8} {'-':>8} {'-':>6}"
        )
        flag = "*" if crm["few_samples"] or (pg and pg["few_samples"]) else ""
        lines.append(
            f"{row['query']:<9}{row['concurrency']:>5} {crm['rps']:>9} {crm['p50_ms']:>8} "
            f"{crm['p99_ms']:>8}{pg_cols}{flag}"
        )
    lines.append(
        "(rps: requests/s; p50/p99 in ms; ratio: crm-graph rps / PostGraphile rps;"
        " * fewer completions than 2 x concurrency in a run: rough)"
    )
    reps = [r for r in results.get("summary", []) if "rep_over_postgraphile" in r]
    if reps:
        lines.append(
            "As a sales rep (row scopes on) against PostGraphile: rps ratio; CPU ms per request, "
            "server process / PostgreSQL"
        )
        for r in reps:
            rep, pg = r["crm_graph_rep"], r["postgraphile"]
            lines.append(
                f"  {r['query']:<3} c={r['concurrency']:<3} {rep['rps']:>7} vs {pg['rps']:>7} req/s: "
                f"{r['rep_over_postgraphile']:>5}x   crm-graph {rep.get('server_cpu_ms_per_request')} / "
                f"{rep.get('postgres_cpu_ms_per_request')} ms, PostGraphile "
                f"{pg.get('server_cpu_ms_per_request')} / {pg.get('postgres_cpu_ms_per_request')} ms "
                f"(PostgreSQL {r.get('rep_postgres_cpu_over_postgraphile')}x)"
            )
    for r in results.get("summary", []):
        if r["query"] == "typename" and "postgraphile" in r:
            crm, pg = r["crm_graph"], r["postgraphile"]
            lines.append(
                f"  {{ __typename }} c={r['concurrency']:<3} {crm['rps']} vs {pg['rps']} req/s: "
                f"{r['crm_over_postgraphile']}x   crm-graph {crm.get('server_cpu_ms_per_request')} / "
                f"{crm.get('postgres_cpu_ms_per_request')} ms, PostGraphile "
                f"{pg.get('server_cpu_ms_per_request')} / {pg.get('postgres_cpu_ms_per_request')} ms"
            )
    compiled = results.get("compiled_reads")
    if compiled:
        lines.append(
            f"crm-graph operations by read path: {compiled['operations']} "
            f"(compiled fraction {compiled['compiled_fraction']})"
        )
    stmts = results.get("statements_per_request", {})
    if stmts:
        ours = ", ".join(f"{k} {v}" for k, v in stmts.get("crm_graph", {}).items())
        theirs = ", ".join(
            f"{k} {v['without_begin_commit']:g} (+{v['all'] - v['without_begin_commit']:g} BEGIN/COMMIT)"
            for k, v in stmts.get("postgraphile", {}).items()
        )
        lines.append(f"SQL statements/request  crm-graph: {ours}")
        lines.append(
            "                        crm-graph as rep: "
            + ", ".join(f"{k} {v}" for k, v in stmts.get("crm_graph_rep", {}).items())
        )
        lines.append(f"                        PostGraphile: {theirs}")
    rss = results.get("peak_rss_mb")
    if rss:
        lines.append(f"peak RSS (MB)           crm-graph {rss['crm_graph']}, PostGraphile {rss['postgraphile']}")
    ver = results.get("verification", {})
    reps = [r for r in results.get("summary", []) if "crm_graph_rep" in r]
    for r in reps:
        rep, records = r["crm_graph_rep"], ver.get(r["query"], {})
        lines.append(
            f"rep vs admin {r['query']} c={r['concurrency']:<3}   rep {rep['rps']} req/s (p50 {rep['p50_ms']}, "
            f"p99 {rep['p99_ms']} ms) vs admin {r['crm_graph']['rps']}: time ratio rep/admin "
            f"{r['rep_over_admin_time']} ({records.get('records_as_rep')} vs {records.get('records')} records)"
        )
    for name in ("q1", "q2"):
        if name in ver:
            v = ver[name]
            lines.append(
                f"{name} same data on both servers: {v['same_data']} ({v['records']} records"
                + (f"; first difference {v['first_difference']}" if v["first_difference"] else "")
                + ")"
            )
    if "q3" in ver:
        lines.append(f"q3 path length {ver['q3']['length']} (expected {ver['q3']['expected_hops']})")
    for check in results.get("m1_writes", []):
        lines.append(
            f"m1 c={check['concurrency']} round {check['round']}: {check['requests']} requests, "
            f"{check['opportunity_stage_changes_added']} stage changes, {check['audit_log_added']} audit "
            f"entries, {check['outbox_added']} outbox events (incl. requests in flight at the end)"
        )
    prof = results.get("profile_q1_crm_graph", {})
    if prof.get("top_self"):
        lines.append(
            "q1 CPU on crm-graph (py-spy, self time): "
            + "; ".join(f"{e['where']} {e['pct']}%" for e in prof["top_self"][:6])
        )
        lines.append("  by package: " + ", ".join(f"{e['where']} {e['pct']}%" for e in prof["self_by_package"][:8]))
    return "\n".join(lines)


if __name__ == "__main__":
    import asyncio

    from bench.common import bench_database, report

    async def main() -> None:
        async with bench_database("http") as (database_url, redis_url):
            results = await run(database_url, redis_url)
        report(results_name(), results)
        print(table(results))

    asyncio.run(main())
