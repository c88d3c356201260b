"""GraphQL over HTTP as a client sees it: media types asked for and sent, the status
of each kind of failure with `application/graphql-response+json` (400) and with
`application/json` (200), GET requests, operation selection and request errors."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from tests.conftest import TenantFixture
from tests.http.conftest import GRAPHQL_RESPONSE, bearer

JSON = "application/json"


async def send(
    dev: httpx.AsyncClient, tenant: TenantFixture, body: Any, accept: str | None = None, **headers: str
) -> httpx.Response:
    extra = {"Accept": accept} if accept is not None else {}
    return await dev.post(
        "/graphql", content=json.dumps(body), headers={"Content-Type": JSON, **bearer(tenant), **extra, **headers}
    )


def media_type(response: httpx.Response) -> str:
    return response.headers["content-type"].split(";")[0].strip()


async def test_a_client_asking_for_graphql_response_json_gets_it(dev, tenant):
    response = await send(dev, tenant, {"query": "{ viewer { email } }"}, GRAPHQL_RESPONSE)

    assert response.status_code == 200
    assert media_type(response) == GRAPHQL_RESPONSE
    assert response.json()["data"] == {"viewer": {"email": f"admin@{tenant.slug}.example"}}


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (JSON, JSON),
        (f"{JSON};q=0.9, {GRAPHQL_RESPONSE}", GRAPHQL_RESPONSE),
        (f"{GRAPHQL_RESPONSE};q=0.5, {JSON}", JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", JSON),
    ],
)
async def test_the_response_media_type_follows_the_accept_header(dev, tenant, accept, expected):
    response = await send(dev, tenant, {"query": "{ __typename }"}, accept)

    assert response.status_code == 200, response.text
    assert media_type(response) == expected
    assert response.json() == {"data": {"__typename": "Query"}, "extensions": response.json()["extensions"]}


@pytest.mark.parametrize("accept", ["text/csv", "application/xml", f"{GRAPHQL_RESPONSE};q=0"])
async def test_an_accept_header_naming_nothing_we_serve_gets_406(dev, tenant, accept):
    response = await send(dev, tenant, {"query": "{ __typename }"}, accept)

    assert response.status_code == 406, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


# Failures before execution: 400 with graphql-response+json, 200 with application/json
# (the spec's legacy rule), never `data`.
BEFORE_EXECUTION: dict[str, tuple[dict[str, Any], str]] = {
    "parse": ({"query": "{ viewer { id }"}, "GRAPHQL_PARSE_FAILED"),
    "validation": ({"query": "{ viewer { nope } }"}, "GRAPHQL_VALIDATION_FAILED"),
    "variable-coercion": (
        {"query": "query($n: Int!) { organizations(first: $n) { totalCount } }", "variables": {"n": "ten"}},
        "BAD_USER_INPUT",
    ),
    "missing-variable": ({"query": "query($n: Int!) { organizations(first: $n) { totalCount } }"}, "BAD_USER_INPUT"),
    "unknown-operation": ({"query": "query A { __typename }", "operationName": "B"}, "OPERATION_NOT_FOUND"),
    "ambiguous-operation": ({"query": "query A { __typename } query B { __typename }"}, "OPERATION_NOT_FOUND"),
}


@pytest.mark.parametrize("media, status", [(GRAPHQL_RESPONSE, 400), (JSON, 200)], ids=["graphql-response", "json"])
@pytest.mark.parametrize("body, code", BEFORE_EXECUTION.values(), ids=BEFORE_EXECUTION.keys())
async def test_failures_before_execution_are_400_with_graphql_response_json_and_200_with_json(
    dev, tenant, body, code, media, status
):
    response = await send(dev, tenant, body, media)

    assert response.status_code == status, response.text
    assert media_type(response) == media
    payload = response.json()
    assert "data" not in payload, payload
    assert payload["errors"][0]["extensions"]["code"] == code, payload


async def test_an_error_during_execution_is_200_with_data_even_with_graphql_response_json(dev, tenant):
    response = await send(dev, tenant, {"query": "{ viewer { id } organizations { totalCount } }"}, GRAPHQL_RESPONSE)

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None  # organizations is non-null, so its error nulls the root
    assert body["errors"][0]["path"] == ["organizations"]
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_operation_name_chooses_one_of_several_operations(dev, tenant):
    document = "query Mine { viewer { email } } query Kind { __typename }"
    chosen = await send(dev, tenant, {"query": document, "operationName": "Kind"})

    assert chosen.json()["data"] == {"__typename": "Query"}


# --- GET ---------------------------------------------------------------------------


async def test_a_query_over_get_runs_with_its_variables(dev, tenant):
    response = await dev.get(
        "/graphql",
        headers={**bearer(tenant), "Accept": GRAPHQL_RESPONSE},
        params={
            "query": "query($first: Int!) { organizations(first: $first) { totalCount } }",
            "variables": json.dumps({"first": 5}),
        },
    )

    assert response.status_code == 200, response.text
    assert media_type(response) == GRAPHQL_RESPONSE
    assert response.json()["data"] == {"organizations": {"totalCount": 0}}


async def test_get_with_variables_that_are_not_json_is_a_400(dev, tenant):
    response = await dev.get(
        "/graphql", headers=bearer(tenant), params={"query": "{ __typename }", "variables": "{first: 5"}
    )

    assert response.status_code == 400, response.text
    assert "not valid JSON" in response.json()["errors"][0]["message"]


# --- media types and request errors --------------------------------------------------


@pytest.mark.parametrize(
    "content_type", ["application/xml", "application/graphql", "application/json; charset=latin-1"]
)
async def test_an_unsupported_request_media_type_gets_415(dev, tenant, content_type):
    response = await dev.post(
        "/graphql",
        content=json.dumps({"query": "{ __typename }"}),
        headers={**bearer(tenant), "Content-Type": content_type},
    )

    assert response.status_code == 415, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_a_body_over_one_megabyte_gets_413_before_it_is_parsed(dev, tenant):
    body = json.dumps({"query": "{ __typename }", "extensions": {"padding": "x" * 1_000_000}})
    response = await dev.post("/graphql", content=body, headers={**bearer(tenant), "Content-Type": JSON})

    assert response.status_code == 413, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_body_just_under_the_limit_is_read(dev, tenant):
    query = "{ __typename }" + " " * 999_000  # whitespace is no token
    response = await send(dev, tenant, {"query": query})

    assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}, response.text[:300]


REQUEST_ERRORS: dict[str, Any] = {
    "not-json": b"{query: 1",
    "empty": b"",
    "not-an-object": b'"{ __typename }"',
    "no-query": b'{"variables": {}}',
    "query-not-a-string": b'{"query": ["{ __typename }"]}',
    "variables-not-an-object": b'{"query": "{ __typename }", "variables": [1]}',
    "extensions-not-an-object": b'{"query": "{ __typename }", "extensions": "x"}',
    "operation-name-not-a-string": b'{"query": "{ __typename }", "operationName": 1}',
}


@pytest.mark.parametrize("raw", REQUEST_ERRORS.values(), ids=REQUEST_ERRORS.keys())
@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE])
async def test_a_malformed_request_is_a_400_whatever_the_accept_header(dev, tenant, raw, accept):
    response = await dev.post(
        "/graphql", content=raw, headers={**bearer(tenant), "Content-Type": JSON, "Accept": accept}
    )

    assert response.status_code == 400, response.text
    assert media_type(response) == accept
    body = response.json()
    assert "data" not in body and body["errors"][0]["message"], body


async def test_a_subscription_over_post_points_to_the_streaming_transports(dev, tenant):
    response = await send(dev, tenant, {"query": "subscription { events { id } }"})

    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body, body
    assert body["errors"][0]["extensions"]["code"] == "SUBSCRIPTION_TRANSPORT", body
    assert "text/event-stream" in body["errors"][0]["message"]


async def test_a_request_without_credentials_is_a_401_with_a_challenge(dev):
    response = await dev.post("/graphql", json={"query": "{ __typename }"})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_a_crash_outside_execution_is_a_plain_500(dev, tenant, monkeypatch, method):
    from crm_graph.api.transport import http as graphql_http

    async def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the request reader broke")

    monkeypatch.setattr(graphql_http, "read_operations", broken)
    response = await dev.request(
        method,
        "/graphql",
        params={"query": "{ __typename }"} if method == "GET" else None,
        content=None if method == "GET" else json.dumps({"query": "{ __typename }"}),
        headers={"Content-Type": JSON, **bearer(tenant)},
    )

    assert response.status_code == 500
    assert response.text == "Internal Server Error"
