"""`make bench`: every benchmark, each reporting ratios measured in one run."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import authz_bench  # noqa: E402
from bench.common import bench_database, report  # noqa: E402


async def main() -> None:
    async with bench_database("authz") as (database_url, redis_url):
        report("authz", await authz_bench.run(database_url, redis_url))


if __name__ == "__main__":
    asyncio.run(main())
