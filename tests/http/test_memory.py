"""Bounded memory: a stream of cheap queries whose variables are large and all
different must leave the process's caches within their budget (CRM_CACHE_MEMORY_MB)
and the process no bigger than that budget allows, whatever the values."""

from __future__ import annotations

import gc
import uuid

import psutil
from tests.http.conftest import bearer, serve_app

from crm_graph.kernel import lru

BUDGET_MB = 8
SEARCH = "query Find($s: String!) { organizations(first: 1, filter: {search: $s}) { totalCount } }"
INDUSTRY = "query In($i: [String!]!) { organizations(first: 1, filter: {industry: $i}) { totalCount } }"


def rss_mb() -> float:
    gc.collect()
    return psutil.Process().memory_info().rss / 2**20


async def test_distinct_large_values_stay_within_the_cache_budget(database_url, redis_url, tenant):
    try:
        await _stream(database_url, redis_url, tenant)
    finally:
        lru.configure(lru.DEFAULT_BUDGET)  # the next apps of this session


async def _stream(database_url: str, redis_url: str, tenant: object) -> None:
    async with serve_app(database_url, redis_url, cache_memory_mb=BUDGET_MB, rate_limit_enabled=False) as client:
        headers = bearer(tenant)

        async def run(i: int) -> None:
            # Cheap queries (cost 1 or 2) whose values are about 64 KB, each one new.
            if i % 2:
                body = {"query": SEARCH, "variables": {"s": f"{i}-{uuid.uuid4().hex}" * 2000}}
            else:
                body = {"query": INDUSTRY, "variables": {"i": [f"{i}-{n}-{uuid.uuid4().hex}" for n in range(1500)]}}
            response = await client.post("/graphql", json=body, headers=headers)
            assert response.status_code == 200 and "errors" not in response.json(), response.text[:300]

        for i in range(20):  # warm up: code paths, pools, first allocations
            await run(i)
        before = rss_mb()
        for i in range(20, 320):
            await run(i)
        grown = rss_mb() - before

        weights = lru.weights()
        assert sum(weights.values()) <= BUDGET_MB * 2**20, weights
        # The caches may fill their budget; anything more would be held outside it.
        assert grown < BUDGET_MB + 16, f"the process grew by {grown:.0f} MB over 300 requests"
