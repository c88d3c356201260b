"""No stalls: compiling a new, large statement (many aliases over `nodes(ids:)`, new
`relationshipPath` ends) must not hold the event loop, so /health and every other
request keep being answered while it compiles."""

from __future__ import annotations

import asyncio
import time
import uuid

from tests.http.conftest import bearer, serve_app

from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import entity

NODE_FIELDS = """id __typename ... on Organization { name website industry owner { name email } }
  ... on Contact { firstName lastName emails organization { name } }
  ... on Opportunity { name amount stage { name } }"""


def big_document(seed: str) -> str:
    """15 aliases, each over 100 ids: a new document every time (`seed`)."""
    aliases = " ".join(f"n{i}: nodes(ids: $ids) {{ {NODE_FIELDS} }}" for i in range(15))
    return (
        f"# {seed}\nquery Big($ids: [ID!]!, $a: ID!, $b: ID!) {{ {aliases} "
        "relationshipPath(from: $a, to: $b, maxDepth: 6) { length nodes { id } edges { kind } } }"
    )


def ids(n: int) -> list[str]:
    kinds = [entity("Organization"), entity("Contact"), entity("Opportunity")]
    return [to_global_id(kinds[i % 3], uuid.uuid4()) for i in range(n)]


async def test_compiling_new_documents_never_blocks_the_loop(database_url, redis_url, tenant):
    async with serve_app(database_url, redis_url, rate_limit_enabled=False) as client:
        headers = bearer(tenant)
        assert (await client.get("/health")).status_code == 200
        longest = 0.0
        done = False

        async def ticker() -> None:
            nonlocal longest
            last = time.perf_counter()
            while not done:
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                longest = max(longest, now - last)
                last = now

        health_waits: list[float] = []

        async def poll_health() -> None:
            while not done:
                started = time.perf_counter()
                assert (await client.get("/health")).status_code == 200
                health_waits.append(time.perf_counter() - started)
                await asyncio.sleep(0.01)

        tasks = [asyncio.create_task(ticker()), asyncio.create_task(poll_health())]
        try:
            org = entity("Organization")
            for _ in range(3):
                document = big_document(uuid.uuid4().hex)
                body = {
                    "query": document,
                    "variables": {
                        "ids": ids(100),
                        "a": to_global_id(org, uuid.uuid4()),
                        "b": to_global_id(org, uuid.uuid4()),
                    },
                }
                response = await client.post("/graphql", json=body, headers=headers)
                assert response.status_code == 200 and "errors" not in response.json(), response.text[:500]
        finally:
            done = True
            await asyncio.gather(*tasks)
        # A few tens of milliseconds on a quiet machine; the margin is for a busy CI runner.
        assert longest < 0.25, f"the event loop was blocked for {longest * 1000:.0f} ms"
        assert max(health_waits) < 0.3, f"/health waited {max(health_waits) * 1000:.0f} ms"


async def test_compiling_is_paid_from_the_budget_and_new_values_compile_nothing(database_url, redis_url, tenant):
    async with serve_app(
        database_url, redis_url, rate_limit_tenant_capacity=10_000_000, rate_limit_tenant_per_second=0.001
    ) as client:
        headers = bearer(tenant)
        org = entity("Organization")
        cheap = {"query": "{ viewer { id } }"}  # cost 1

        async def remaining(body: dict[str, object]) -> int:
            response = await client.post("/graphql", json=body, headers=headers)
            assert response.status_code == 200 and "errors" not in response.json(), response.text[:300]
            return int(response.headers["RateLimit-Remaining"])

        def big(document: str) -> dict[str, object]:
            return {
                "query": document,
                "variables": {
                    "ids": ids(100),
                    "a": to_global_id(org, uuid.uuid4()),
                    "b": to_global_id(org, uuid.uuid4()),
                },
            }

        await remaining(cheap)  # compiled once
        document = big_document(uuid.uuid4().hex)
        # The header shows the budget after the query's cost, before its compile is charged.
        after_query = await remaining(big(document))
        compile_charge = after_query - await remaining(cheap) - 1
        assert compile_charge > 1000  # milliseconds of CPU at 100 per ms

        # New ids and ends: the same statement, only the query's cost is charged.
        after_query = await remaining(big(document))
        assert after_query - await remaining(cheap) == 1
