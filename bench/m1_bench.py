"""m1 alone: `opportunityMoveStage` with audit and outbox, through `crm-graph serve`.

The same measurement as the HTTP benchmark's m1 (one uvicorn process, default pools,
wrk with 2 threads at concurrency 16 and 64, each request a real move of its own
opportunity), without PostGraphile or the reads, on a smaller demo tenant (m1 needs
only open opportunities). With CRM_BENCH_M1_BASELINE naming another checkout's `src`
folder (e.g. main's), a second server runs that code on the same database and the two
are alternated round by round (A B, then B A), so a shared machine's noise falls on
both alike; the results give each one's requests/s and their ratio.

Run: .venv/bin/python bench/run.py m1. Knobs (environment): CRM_BENCH_M1_ORGANIZATIONS
(1000), CRM_BENCH_M1_SECONDS per run (5), CRM_BENCH_M1_ROUNDS (4), CRM_BENCH_M1_BASELINE.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script, too

from bench import http_load as load
from bench.http_bench import M1, SECRET, THREADS, crm_env
from bench.http_data import m1_bodies, move_targets, write_counts
from crm_graph.kernel.db import make_engine
from crm_graph.platform.identity.auth import issue_token

ORGANIZATIONS = int(os.environ.get("CRM_BENCH_M1_ORGANIZATIONS", "1000"))
SECONDS = float(os.environ.get("CRM_BENCH_M1_SECONDS", "5"))
ROUNDS = int(os.environ.get("CRM_BENCH_M1_ROUNDS", "4"))
BASELINE = os.environ.get("CRM_BENCH_M1_BASELINE", "")
CONCURRENCY = (16, 64)


async def _tenant_and_admin(database_url: str) -> tuple[uuid.UUID, uuid.UUID]:
    engine = make_engine(database_url, 1)
    try:
        async with engine.connect() as conn:
            row = (
                await conn.execute(
                    sa.text(
                        "SELECT t.id, u.id FROM tenants t JOIN users u ON u.tenant_id = t.id "
                        "WHERE t.slug = 'demo' AND u.email = 'admin@demo.example'"
                    )
                )
            ).one()
    finally:
        await engine.dispose()
    return row[0], row[1]


async def run(database_url: str, redis_url: str) -> dict[str, Any]:
    from crm_graph.seed import seed_demo

    started = time.perf_counter()
    wrk_bin = load.ensure_wrk()
    await seed_demo(database_url, organizations=ORGANIZATIONS)
    tenant, admin = await _tenant_and_admin(database_url)
    token = issue_token(SECRET, tenant, admin, timedelta(hours=6))
    env = crm_env(database_url, redis_url)
    servers: dict[str, tuple[Any, str]] = {}
    try:
        servers["this"] = await load.start_crm(env)
        if BASELINE:
            # The baseline's package first on the path: the same venv, the other code.
            servers["baseline"] = await load.start_crm({**env, "PYTHONPATH": BASELINE})
        runs = await _rounds(wrk_bin, servers, token, database_url, tenant)
    finally:
        for proc, _ in servers.values():
            proc.stop()
    summary: dict[str, Any] = {}
    for conc in CONCURRENCY:
        row: dict[str, Any] = {}
        for name in servers:
            mine = [r for r in runs if r["server"] == name and r["concurrency"] == conc]
            reqs, secs = sum(r["requests"] for r in mine), sum(r["seconds"] for r in mine)
            row[name] = {
                "rps": round(reqs / secs, 1),
                "rounds_rps": [r["rps"] for r in mine],
                "p50_ms": round(statistics.median(r["p50_ms"] for r in mine), 2),
                "p99_ms": round(statistics.median(r["p99_ms"] for r in mine), 2),
                "server_cpu_ms_per_request": round(1000 * sum(r["server_cpu_s"] for r in mine) / reqs, 3),
                "every_request_wrote": all(r["every_request_wrote"] for r in mine),
                "errors": sum(sum(r["errors"].values()) for r in mine),
            }
        if "baseline" in row and row["baseline"]["rps"]:
            row["this_over_baseline"] = round(row["this"]["rps"] / row["baseline"]["rps"], 2)
        summary[f"c{conc}"] = row
    return {
        "method": {
            "organizations_seeded": ORGANIZATIONS,
            "seconds_per_run": SECONDS,
            "rounds": ROUNDS,
            "wrk_threads": THREADS,
            "baseline_src": BASELINE or None,
            "order": "per concurrency, servers alternated round by round (A B, B A, ...)",
        },
        "runs": runs,
        "summary": summary,
        "total_seconds": round(time.perf_counter() - started, 1),
    }


async def _rounds(
    wrk_bin: str, servers: dict[str, tuple[Any, str]], token: str, database_url: str, tenant: uuid.UUID
) -> list[dict[str, Any]]:
    runs = []
    names = list(servers)
    for conc in CONCURRENCY:
        for rnd in range(ROUNDS):
            for name in names if rnd % 2 == 0 else list(reversed(names)):
                proc, base = servers[name]
                groups = m1_bodies(M1, await move_targets(database_url, tenant), THREADS)
                before = await write_counts(database_url, tenant)
                await load.drain(proc.proc.pid)
                cpu = load.cpu_seconds(proc.proc.pid) or 0.0
                result = await load.wrk(wrk_bin, base, token, groups, conc, SECONDS, THREADS)
                await load.drain(proc.proc.pid)  # requests in flight when wrk stopped are paid for too
                result["server_cpu_s"] = round((load.cpu_seconds(proc.proc.pid) or 0.0) - cpu, 2)
                after = await write_counts(database_url, tenant)
                # Every request moved a stage, with its audit entry and outbox event.
                result["every_request_wrote"] = min(after[k] - before[k] for k in after) >= result["requests"]
                result.update(server=name, concurrency=conc, round=rnd)
                runs.append(result)
                print(
                    f"  m1 c={conc:<3} {name:<9} {result['rps']:>8} req/s  p50 {result['p50_ms']:>8} ms  "
                    f"p99 {result['p99_ms']:>8} ms  cpu {result['server_cpu_s']} s"
                    + (f"  errors {result['errors']}" if result["errors"] else ""),
                    flush=True,
                )
    return runs


def table(results: dict[str, Any]) -> str:
    lines = []
    for conc, row in results["summary"].items():
        parts = [
            f"{name} {v['rps']} req/s (p50 {v['p50_ms']} ms, CPU {v['server_cpu_ms_per_request']} ms/request)"
            for name, v in row.items()
            if isinstance(v, dict)
        ]
        ratio = f"  ratio {row['this_over_baseline']}x" if "this_over_baseline" in row else ""
        lines.append(f"m1 {conc}: " + "; ".join(parts) + ratio)
    return "\n".join(lines)
