"""`make bench`: every benchmark, each reporting ratios measured in one run.

`python bench/run.py` runs them all; `python bench/run.py events` (or `authz`, `graph`, `http`, `leads`, `m1`, `seed`) just one.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import authz_bench, events_bench, graph_bench, http_bench, leads_bench, m1_bench, seed_bench
from bench.common import bench_database, report, server_database


async def authz() -> None:
    async with bench_database("authz") as (database_url, redis_url):
        report("authz", await authz_bench.run(database_url, redis_url))


async def events() -> None:
    async with bench_database("events") as (database_url, redis_url):
        results = await events_bench.run(database_url, redis_url)
    report("events", results)
    print(events_bench.table(results))


async def http() -> None:
    async with bench_database("http") as (database_url, redis_url):
        results = await http_bench.run(database_url, redis_url)
    report(http_bench.results_name(), results)
    print(http_bench.table(results))


async def m1() -> None:
    async with bench_database("m1") as (database_url, redis_url):
        results = await m1_bench.run(database_url, redis_url)
    report("m1", results)
    print(m1_bench.table(results))


async def leads() -> None:
    async with bench_database("leads") as (database_url, redis_url):
        report("leads", await leads_bench.run(database_url, redis_url))


async def graph() -> None:
    async with bench_database("graph") as (database_url, redis_url):
        results = await graph_bench.run(database_url, redis_url)
    report("graph", results)
    print(graph_bench.table(results))


async def seed() -> None:
    async with server_database() as server_url:
        results = await seed_bench.run(server_url, seed_bench.sizes_from_env())
    report("seed", results)
    print(seed_bench.table(results))


# m1 is also part of http; run alone (`bench/run.py m1`), it can compare against another checkout.
# seed takes minutes to hours by size (bench/seed_bench.py): run alone, `bench/run.py seed`.
BENCHMARKS = {"authz": authz, "events": events, "graph": graph, "http": http, "leads": leads, "m1": m1, "seed": seed}
DEFAULT = ("authz", "events", "graph", "http", "leads")


async def main(names: list[str]) -> list[str]:
    """Runs the benchmarks asked for (all but m1 by default); one that fails is reported and
    the others still run. Returns the names of those that failed."""
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {unknown}; choose from {sorted(BENCHMARKS)}")
    failed = []
    for name in names or DEFAULT:
        try:
            await BENCHMARKS[name]()
        except Exception:
            traceback.print_exc()
            print(f"benchmark {name} FAILED (the others still run)", flush=True)
            failed.append(name)
    return failed


if __name__ == "__main__":
    failures = asyncio.run(main(sys.argv[1:]))
    if failures:
        raise SystemExit(f"failed: {', '.join(failures)}")
