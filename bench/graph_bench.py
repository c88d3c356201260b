"""The relationship graph screen with a few thousand nodes: frame times in Chromium.

Seeds the demo tenant with ORGANIZATIONS organizations (about five contacts each) and adds
edges so that one organization's depth-3 neighbourhood holds nearly all of them: HUBS
organizations are partners of the focus, every other organization a customer of a hub, and
every contact works at its organization. Then starts the API (`crm-graph serve`) on that
database, and bench/graph_frames.mjs (Playwright on /usr/bin/chromium) opens the graph
screen on the focus at depth 3, pans and zooms, and reports requestAnimationFrame deltas.

Needs clients/web's node_modules (`make ui` installs them) and Debian's chromium.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from crm_graph.seed import seed_demo

ROOT = Path(__file__).resolve().parents[1]
ORGANIZATIONS = 600
HUBS = 30
GESTURE_SECONDS = 6

EDGES = """
WITH t AS (SELECT id FROM tenants WHERE slug = 'demo'),
orgs AS (
    SELECT o.id, row_number() OVER (ORDER BY o.name, o.id) AS rn
    FROM organizations o WHERE o.tenant_id = (SELECT id FROM t)
),
pairs AS (
    -- hubs: partners of the focus (rn 1)
    SELECT 'partner_of' AS kind, 'organization' AS st, o.id AS sid, 'organization' AS tt, f.id AS tid
    FROM orgs o, orgs f WHERE f.rn = 1 AND o.rn BETWEEN 2 AND :hubs + 1
    UNION ALL
    -- everyone else: a customer of one hub
    SELECT 'customer_of', 'organization', o.id, 'organization', h.id
    FROM orgs o JOIN orgs h ON h.rn = 2 + (o.rn % :hubs) WHERE o.rn > :hubs + 1
    UNION ALL
    -- every contact works at its organization
    SELECT 'works_at', 'contact', c.id, 'organization', c.organization_id
    FROM contacts c WHERE c.tenant_id = (SELECT id FROM t) AND c.organization_id IS NOT NULL
)
INSERT INTO relationships (id, tenant_id, created_at, updated_at, kind, source_type, source_id, target_type, target_id)
SELECT gen_random_uuid(), (SELECT id FROM t), now(), now(), kind, st, sid, tt, tid FROM pairs
ON CONFLICT DO NOTHING
"""


async def seed(database_url: str) -> None:
    await seed_demo(database_url, organizations=ORGANIZATIONS)
    engine = create_async_engine(database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(sa.text(EDGES), {"hubs": HUBS})
            await conn.execute(sa.text("ANALYZE relationships"))
    finally:
        await engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(url: str, body: dict[str, Any], token: str | None = None) -> Any:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, json.dumps(body).encode(), headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def browse(database_url: str, redis_url: str, depth: int = 3) -> dict[str, Any]:
    """Serves the API on `database_url` and runs the browser part against it."""
    port = _free_port()
    env = {
        **os.environ,
        "CRM_DATABASE_URL": database_url,
        "CRM_REDIS_URL": redis_url,
        "CRM_DEV_LOGIN": "true",
        "CRM_LOG_LEVEL": "WARNING",
        "CRM_LOG_JSON": "false",
    }
    server = subprocess.Popen([sys.executable, "-m", "crm_graph", "serve", "--port", str(port)], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                token = _post(f"{base}/dev/login", {"tenant": "demo", "email": "admin@demo.example"})["token"]
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("crm-graph serve did not start") from None
                time.sleep(0.3)
        data = _post(
            f"{base}/graphql",
            {"query": "{ organizations(first: 1, orderBy: { field: NAME }) { edges { node { id name } } } }"},
            token,
        )
        focus = data["data"]["organizations"]["edges"][0]["node"]
        args = {
            "url": base,
            "token": token,
            "email": "admin@demo.example",
            "focus": focus["id"],
            "depth": depth,
            "seconds": GESTURE_SECONDS,
        }
        load_before = _load()
        run = subprocess.run(
            ["node", str(ROOT / "bench" / "graph_frames.mjs"), json.dumps(args)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if run.returncode != 0:
            raise RuntimeError(f"graph_frames.mjs failed:\n{run.stderr}")
        result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
        return {
            "focus": focus["name"],
            "depth": depth,
            "organizations_seeded": ORGANIZATIONS,
            "load_average_before": load_before,
            "load_average_after": _load(),
            "cpus": os.cpu_count(),
            **result,
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


async def run(database_url: str, redis_url: str) -> dict[str, Any]:
    await seed(database_url)
    return await asyncio.to_thread(browse, database_url, redis_url)


def table(results: dict[str, Any]) -> str:
    lines = [
        f"graph: {results['nodes']} nodes, {results['edges']} edges ({results['webgl']}), "
        f"drawn in {results['drawn_ms'] / 1000:.1f} s; load {results['load_average_before']}",
        f"{'phase':<10} {'fps':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'>33ms':>6} {'busy':>6} {'long tasks':>11}",
    ]
    for phase in ("layout", "settled", "idle", "empty"):
        r = results[phase]
        lines.append(
            f"{phase:<10} {r['fps']:>6} {r['p50_ms']:>7} {r['p95_ms']:>7} {r['p99_ms']:>7} {r['over_33ms']:>6} "
            f"{r['main_thread_busy']:>6} {r['long_tasks']:>5} {r['long_task_ms']:>5}"
        )
    layout = results["layout"]
    if layout.get("ran_ms") is not None:
        lines.append(
            f"layout ran {layout['ran_ms']} ms ({'settled' if layout.get('settled') else 'stopped at its time cap'}): "
            f"{layout['iterations']} ForceAtlas2 iterations, "
            f"positions drawn {layout['positions_applied']} times; measured {layout['measured_ms']} ms of it"
        )
    ratio = results["layout_vs_settled"]
    lines.append(f"layout vs settled (layout off, the baseline): p50 x{ratio['p50']}, p95 x{ratio['p95']}")
    lines.append(f"load average after: {results['load_average_after']} on {results['cpus']} CPUs")
    return "\n".join(lines)
