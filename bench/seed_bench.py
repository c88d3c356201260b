"""Volume seed rate (issue 13): rows per second of `seed_demo` at growing sizes.

Each size loads into a fresh, migrated database on the same server (CRM_DATABASE_URL's,
else an embedded one), end to end as `crm-graph seed --demo --organizations N` runs it
(index set-aside and rebuild, commit, ANALYZE included), then drops it. The figure
that matters is the ratio of each size's rate to the smallest's: the target is that
1,000,000 organizations load at the rate of 10,000 (ratio ~1).

Run: .venv/bin/python bench/run.py seed   (sizes from CRM_BENCH_SEED_SIZES, default
"10000,100000"; add 1000000 for the full target: about a hundred million rows, an hour
or more and tens of GB of disk); or bench/seed_bench.py 10000 100000 [NAME].
"""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_SIZES = (10_000, 100_000)


def sizes_from_env() -> tuple[int, ...]:
    raw = os.environ.get("CRM_BENCH_SEED_SIZES")
    return tuple(int(s) for s in raw.split(",")) if raw else DEFAULT_SIZES


async def one(server_url: str, organizations: int) -> dict[str, Any]:
    from crm_graph.kernel.embedded import create_database, drop_database
    from crm_graph.kernel.migrate import upgrade_async
    from crm_graph.seed import seed_demo

    name = f"crm_bench_seed_{organizations}_{secrets.token_hex(3)}"
    url = await create_database(server_url, name)
    try:
        await upgrade_async(url)
        load_before = os.getloadavg()
        t0, cpu0 = time.perf_counter(), time.process_time()
        loaded = await seed_demo(url, organizations=organizations)
        seconds, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    finally:
        await drop_database(server_url, name)
    rows = sum(loaded.values())
    return {
        "organizations": organizations,
        "rows": rows,
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows / seconds),
        "seed_process_cpu_s": round(cpu, 1),  # generating the rows; the rest is PostgreSQL's
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


async def run(server_url: str, sizes: tuple[int, ...] = DEFAULT_SIZES) -> dict[str, Any]:
    runs = []
    for n in sizes:
        runs.append(await one(server_url, n))
        print(f"  seed {n} organizations: {runs[-1]}", flush=True)
    base = min(runs, key=lambda r: r["organizations"])["rows_per_s"]
    for r in runs:
        r["rate_vs_smallest"] = round(r["rows_per_s"] / base, 3)
    return {"machine_cpus": os.cpu_count(), "runs": runs}


def table(results: dict[str, Any]) -> str:
    return "\n".join(
        f"seed {r['organizations']:>9,} organizations  {r['rows']:>11,} rows  {r['rows_per_s']:>7,} rows/s"
        f"  x{r['rate_vs_smallest']}  ({r['seconds']} s, load {r['load_average_before'][0]})"
        for r in results["runs"]
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.common import report, server_database

    async def main() -> None:
        args = [a for a in sys.argv[1:] if a.isdigit()]
        names = [a for a in sys.argv[1:] if not a.isdigit()]
        async with server_database() as server_url:
            results = await run(server_url, tuple(int(a) for a in args) or sizes_from_env())
        report(names[0] if names else "seed", results)
        print(table(results))

    asyncio.run(main())
