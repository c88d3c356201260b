"""The compiled path behind the HTTP endpoint: what runs compiled, what falls back,
what fails over to the ordinary path, and what /metrics says of each."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.conftest import unreadable, without_extensions

from crm_graph.kernel.db import statement_counter


@pytest.fixture(scope="module")
async def compiled_only(apps: tuple[Any, Any]) -> AsyncIterator[httpx.AsyncClient]:
    """The app with compiled reads, without the both-paths comparison around it."""
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[0]), base_url="http://test") as client:
        yield client


async def _compiled_counts(client: httpx.AsyncClient) -> dict[tuple[str, str], float]:
    text = (await client.get("/metrics")).text
    counts = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "crm_graphql_compiled_total":
                counts[(sample.labels["path"], sample.labels["reason"])] = sample.value
    return counts


async def _post(client: httpx.AsyncClient, token: str, query: str) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query}, headers={"Authorization": f"Bearer {token}"})
    return response.json()


def _moved(before: dict[tuple[str, str], float], after: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    return {k: v - before.get(k, 0) for k, v in after.items() if v != before.get(k, 0)}


async def test_a_list_query_is_one_statement_and_counted_as_compiled(compiled_only, tenant):
    token = tenant.client().token
    await _post(compiled_only, token, "{ viewer { id } }")  # the tenant's rules, loaded once
    before = await _compiled_counts(compiled_only)
    async with statement_counter() as n:
        body = await _post(compiled_only, token, "{ organizations(first: 5) { totalCount edges { node { name } } } }")
    assert body["data"] == {"organizations": {"totalCount": 0, "edges": []}}
    # one statement: the cached actor is re-checked inside it; the pooled connection
    # already holds the tenant, or gets it once
    assert n[0] == 1
    assert n[1] <= 1
    assert _moved(before, await _compiled_counts(compiled_only)) == {("compiled", ""): 1}


async def test_a_construct_not_compiled_falls_back_and_says_why(compiled_only, http_ordinary, tenant):
    token = tenant.client().token
    query = "{ auditLog(first: 1) { totalCount edges { node { action changes } } } }"
    before = await _compiled_counts(compiled_only)
    body = await _post(compiled_only, token, query)
    assert without_extensions(body) == without_extensions(await _post(http_ordinary, token, query))
    assert _moved(before, await _compiled_counts(compiled_only)) == {("fallback", "python_field"): 1}


async def test_a_statement_failing_in_postgresql_is_answered_by_the_ordinary_path(
    compiled_only, http_ordinary, tenant, engine
):
    query = "{ organizations(first: 1) { totalCount } }"
    token = tenant.client().token
    before = await _compiled_counts(compiled_only)
    async with unreadable(engine, "organizations"):  # PostgreSQL refuses the statement
        body = await _post(compiled_only, token, query)
        ordinary = await _post(http_ordinary, token, query)
    moved = _moved(before, await _compiled_counts(compiled_only))
    assert moved in ({("failed", "other"): 1}, {("failed", ""): 1}), moved
    # The client sees what the ordinary path says (its own error, masked), not a broken statement.
    assert body["data"] == ordinary["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == [e["extensions"]["code"] for e in ordinary["errors"]]
    assert "asyncpg" not in str(body) and "SELECT" not in str(body)
