"""Query cost and cost budgets: every connection multiplies what is below it by its
page size; an operation over the maximum cost is refused before any resolver runs;
each tenant (and each API key) spends from its own token bucket in Redis, shared by
every instance, and is answered 429 with Retry-After when it is spent."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from tests.conftest import TenantFixture
from tests.http.conftest import (
    GRAPHQL_RESPONSE,
    bearer,
    create_organization,
    organization_names,
    serve_app,
)


def page(first: int, inner: str = "id") -> str:
    return f"organizations(first: {first}) {{ edges {{ node {{ {inner} }} }} }}"


def contacts(first: int) -> str:
    return f"id contacts(first: {first}) {{ edges {{ node {{ id }} }} }}"


# Costs by the rule "each object 1, times the page sizes of the connections above it".
COST_101 = "{ " + page(100) + " }"  # 1 + 100
COST_301 = "{ " + page(100, contacts(1)) + " }"  # 1 + 100 + 100 + 100
COST_401 = "{ " + page(100, contacts(2)) + " }"  # 1 + 100 + 100 + 200
COST_701 = "{ " + page(100, contacts(5)) + " }"  # 1 + 100 + 100 + 500
COST_10201 = "{ " + page(100, contacts(100)) + " }"  # 1 + 100 + 100 + 10,000


async def post(client: httpx.AsyncClient, headers: dict[str, str], query: str, **extra: Any) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, **extra}, headers=headers)


def cost_of(response: httpx.Response) -> dict[str, Any]:
    return dict(response.json()["extensions"]["cost"])


def remaining(response: httpx.Response) -> int:
    """What the caller's budget has left after this request (RateLimit-Remaining)."""
    return int(response.headers["ratelimit-remaining"])


def ran(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return dict(body["data"])


def throttled(response: httpx.Response) -> int:
    """The response is a 429 THROTTLED; its Retry-After in seconds."""
    assert response.status_code == 429, response.text
    body = response.json()
    assert "data" not in body, body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "THROTTLED", error
    retry_after = int(response.headers["retry-after"])
    assert retry_after == error["extensions"]["retryAfter"] >= 1, (response.headers, error)
    return retry_after


# --- cost --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, cost",
    [
        (COST_101, 101),
        (COST_301, 301),
        (COST_701, 701),
        ("{ viewer { id } }", 1),
        ("{ __typename }", 0),
    ],
    ids=["page", "nested-1", "nested-5", "object", "typename"],
)
async def test_the_cost_is_reported_with_every_result(dev, tenant, query, cost):
    response = await post(dev, bearer(tenant), query)

    ran(response)
    assert cost_of(response)["requested"] == cost
    assert cost_of(response)["maximum"] == 25_000


async def test_page_sizes_given_as_variables_count(dev, tenant):
    query = "query($n: Int!, $m: Int!) { organizations(first: $n) { edges { node { contacts(first: $m) { edges { node { id } } } } } } }"
    small = await post(dev, bearer(tenant), query, variables={"n": 3, "m": 2})
    large = await post(dev, bearer(tenant), query, variables={"n": 100, "m": 5})

    assert cost_of(small)["requested"] == 1 + 3 + 3 + 6
    assert cost_of(large)["requested"] == 701


async def test_connections_selected_through_fragments_cost_the_same(dev, tenant):
    fragmented = (
        "{ organizations(first: 100) { edges { node { ...WithContacts } } } }\n"
        "fragment WithContacts on Organization { id contacts(first: 5) { edges { node { id } } } }"
    )

    assert cost_of(await post(dev, bearer(tenant), fragmented))["requested"] == 701


async def test_totals_of_a_page_do_not_cost_per_row(dev, tenant):
    response = await post(dev, bearer(tenant), "{ organizations(first: 100) { totalCount pageInfo { hasNextPage } } }")

    ran(response)
    assert cost_of(response)["requested"] < 10


@pytest.mark.parametrize(
    "arguments, says",
    [
        ("", "Pass `first` or `last`"),
        ("first: 101", "`first` must be between 0 and 100"),
        ("last: 101", "`last` must be between 0 and 100"),
    ],
)
async def test_a_connection_needs_a_page_size_of_at_most_100(dev, tenant, arguments, says):
    selection = f"organizations({arguments})" if arguments else "organizations"
    response = await post(dev, bearer(tenant), f"{{ {selection} {{ totalCount }} }}")

    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert says in body["errors"][0]["message"], body


# --- budgets -----------------------------------------------------------------------
# A tenant's bucket holds 1,000 and refills 100 a second; an API key's 400, also 100 a second.
LIMITED = {
    "max_cost": 5000,
    "rate_limit_tenant_capacity": 1000,
    "rate_limit_tenant_per_second": 100,
    "rate_limit_key_capacity": 400,
    "rate_limit_key_per_second": 100,
}


@pytest.fixture(scope="module")
async def limited(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with serve_app(database_url, redis_url, **LIMITED) as client:
        yield client


@pytest.fixture(scope="module")
async def twin(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A second instance with the same settings, sharing Redis."""
    async with serve_app(database_url, redis_url, **LIMITED) as client:
        yield client


@pytest.mark.parametrize("accept, status", [("application/json", 200), (GRAPHQL_RESPONSE, 400)])
async def test_an_operation_over_the_maximum_cost_is_refused_and_spends_nothing(limited, tenant, accept, status):
    response = await limited.post("/graphql", json={"query": COST_10201}, headers={**bearer(tenant), "Accept": accept})

    assert response.status_code == status, response.text
    body = response.json()
    assert "data" not in body, body
    error = body["errors"][0]
    assert error["extensions"] | {"value": None} == {
        "code": "LIMIT_EXCEEDED",
        "limit": "cost",
        "value": None,
        "maximum": 5000,
    }, error
    assert error["extensions"]["value"] > 5000 and cost_of(response)["requested"] > 5000
    # The tenant's bucket is still full.
    assert remaining(await post(limited, bearer(tenant), COST_701)) == 299


async def test_a_mutation_over_the_maximum_cost_is_not_executed(limited, tenant, engine):
    name = f"Costly {uuid.uuid4().hex[:6]}"
    selection = (
        "organization { contacts(first: 100) { edges { node { "
        "opportunities(first: 100) { edges { node { id } } } } } } }"
    )
    response = await post(limited, bearer(tenant), create_organization(name, selection))

    assert response.json()["errors"][0]["extensions"]["limit"] == "cost", response.text
    assert name not in await organization_names(engine, tenant)


# A subscription whose every event would load 100 contacts with 100 opportunities each.
COSTLY_SUBSCRIPTION = (
    "subscription { events { id record { ... on Organization { contacts(first: 100) { "
    "edges { node { opportunities(first: 100) { edges { node { id } } } } } } } } } }"
)


async def test_a_subscription_over_the_maximum_cost_is_refused_as_an_event_stream(limited, tenant):
    """Over SSE only subscriptions run (a query is refused for its transport before
    any cost is counted), so the cost limit is checked with a subscription. Were it
    not applied, the stream would open and never end: hence the time bound."""
    response = await asyncio.wait_for(
        limited.post(
            "/graphql", json={"query": COSTLY_SUBSCRIPTION}, headers={**bearer(tenant), "Accept": "text/event-stream"}
        ),
        10,
    )

    body = response.json()
    assert "data" not in body, body
    error = body["errors"][0]
    assert error["extensions"] | {"value": None} == {
        "code": "LIMIT_EXCEEDED",
        "limit": "cost",
        "value": None,
        "maximum": 5000,
    }, error
    assert error["extensions"]["value"] > 5000
    # Refused before it was paid for: the tenant's bucket is still full.
    assert remaining(await post(limited, bearer(tenant), COST_701)) == 299


async def test_a_spent_tenant_is_throttled_on_every_instance_and_no_one_else_is(
    limited, twin, tenant: TenantFixture, other: TenantFixture, engine
):
    first = await post(limited, bearer(tenant), COST_701)
    ran(first)
    assert (first.headers["ratelimit-limit"], remaining(first)) == ("1000", 299)

    retry_after = throttled(await post(limited, bearer(tenant), COST_701))
    assert retry_after <= 5  # 402 tokens at 100 a second
    throttled(await post(twin, bearer(tenant), COST_701))
    name = f"Throttled {uuid.uuid4().hex[:6]}"
    selection = (
        "organization { contacts(first: 100) { edges { node { "
        "opportunities(first: 5) { edges { node { id } } } } } } }"
    )  # costs 803
    throttled(await post(limited, bearer(tenant), create_organization(name, selection)))
    assert name not in await organization_names(engine, tenant)

    # Another tenant is untouched, on either instance.
    assert remaining(await post(limited, bearer(other), COST_701)) == 299
    again = await post(twin, bearer(other), COST_101)
    ran(again)
    assert 198 <= remaining(again) < 299  # its own 299, less 101, plus what refilled since

    # Retry-After is honest: after waiting that long, the operation runs.
    retry_after = throttled(await post(twin, bearer(tenant), COST_701))
    await asyncio.sleep(retry_after)
    ran(await post(twin, bearer(tenant), COST_701))


CREATE_KEY = """mutation { apiKeyCreate(input: {name: "Budgeted", role: "integration"}) {
  secret errors { message } } }"""


async def new_key(client: httpx.AsyncClient, tenant: TenantFixture) -> dict[str, str]:
    created = ran(await post(client, bearer(tenant), CREATE_KEY))["apiKeyCreate"]
    assert created["errors"] == [], created
    return {"Authorization": f"Bearer {created['secret']}"}


async def test_an_api_key_has_its_own_budget_and_a_refused_request_spends_nothing(limited, tenant):
    key = await new_key(limited, tenant)
    ran(await post(limited, key, COST_301))
    throttled(await post(limited, key, COST_301))  # 99 left of the key's 400

    # The tenant paid for the key creation and one 301; had the refused request been
    # charged to the tenant as well, this 401 would not fit in what is left.
    ran(await post(limited, bearer(tenant), COST_401))


async def test_the_budget_reported_to_an_api_key_is_not_more_than_it_may_spend(limited, tenant):
    key = await new_key(limited, tenant)
    response = await post(limited, key, COST_301)

    # The key has 99 left (the tenant about 600): reporting more invites a 429.
    assert remaining(response) <= 99, response.headers
