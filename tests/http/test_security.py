"""The standard GraphQL security checks, each sent to a real server and each asserting
that the attack is refused before anything runs: alias overloading, field duplication,
directive overloading, circular and fanned-out fragments, deep nesting, batches,
mutations over GET and cross-site (CSRF) requests, introspection and "Did you mean"
suggestions and GraphiQL in production, and leaks of traces or SQL in errors."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import uvicorn
import websockets
from tests.conftest import SECRET, TenantFixture, unreadable
from tests.http.conftest import (
    bearer,
    create_organization,
    organization_names,
    serve_app,
)

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings


@pytest.fixture(scope="module")
async def prod(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """A server in production mode."""
    async with serve_app(database_url, redis_url, env="production") as client:
        yield client


@pytest.fixture(scope="module")
async def prod_admin(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """Production mode where tenant admins may introspect (admin_introspection)."""
    async with serve_app(database_url, redis_url, env="production", admin_introspection=True) as client:
        yield client


@pytest.fixture(scope="module")
async def batching(database_url: str, redis_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """Batches of up to three operations allowed."""
    async with serve_app(database_url, redis_url, max_batch_operations=3) as client:
        yield client


async def post(client: httpx.AsyncClient, tenant: TenantFixture, query: str, **extra: Any) -> httpx.Response:
    return await client.post("/graphql", json={"query": query, **extra}, headers=bearer(tenant))


def limit_error(response: httpx.Response, limit: str) -> dict[str, Any]:
    """The response refuses the operation for `limit`, before execution (no `data`)."""
    body = response.json()
    assert "data" not in body, f"the operation ran: {body}"
    found = [e for e in body.get("errors", []) if (e.get("extensions") or {}).get("limit") == limit]
    assert found, f"no error names the {limit} limit: {body}"
    assert found[0]["extensions"]["code"] == "LIMIT_EXCEEDED", found[0]
    return found[0]


def succeeded(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert response.status_code == 200 and not body.get("errors"), body
    return dict(body["data"])


# --- alias overloading ---------------------------------------------------------------


def aliased(n: int) -> str:
    return "{ " + " ".join(f"a{i}: viewer {{ id }}" for i in range(n)) + " }"


async def test_sixteen_aliases_are_refused_and_fifteen_run(dev, tenant):
    refused = await post(dev, tenant, aliased(16))
    error = limit_error(refused, "aliases")
    assert error["extensions"]["maximum"] == 15 and "15 aliases" in error["message"], error

    data = succeeded(await post(dev, tenant, aliased(15)))
    assert len(data) == 15


async def test_aliases_inside_a_fragment_count_at_every_spread(dev, tenant):
    fragment = "fragment Names on User { " + " ".join(f"n{i}: name" for i in range(8)) + " }"
    # 8 aliases in the fragment, spread under two fields (plus the `me` alias): 17.
    twice = "{ viewer { ...Names } me: viewer { ...Names } }\n" + fragment
    limit_error(await post(dev, tenant, twice), "aliases")

    once = "{ viewer { ...Names } }\n" + fragment
    assert succeeded(await post(dev, tenant, once))["viewer"]["n0"] == "Admin"


# --- field duplication ---------------------------------------------------------------


async def test_a_field_repeated_thousands_of_times_is_refused_by_the_token_limit(dev, tenant):
    response = await post(dev, tenant, "{ viewer { " + "id " * 3000 + "} }")

    error = limit_error(response, "tokens")
    assert error["extensions"]["maximum"] == 2000 and "2000 tokens" in error["message"], error


async def test_a_mutation_with_a_duplicated_field_is_not_executed(dev, tenant, engine):
    name = f"Dup {uuid.uuid4().hex[:6]}"
    response = await post(dev, tenant, create_organization(name, "organization { " + "name " * 3000 + "}"))

    body = response.json()
    assert "data" not in body and body["errors"], body
    assert "2000 tokens" in body["errors"][0]["message"], body
    assert name not in await organization_names(engine, tenant)


@contextmanager
def counting_calls() -> Iterator[list[int]]:
    """Counts the function calls (Python and C) made meanwhile on this thread, which
    runs the app: the server's work, counted rather than timed, so that neither a
    stall of the machine nor a collection of the garbage collector moves it (a full
    collection of a test process's heap once took 4.6 s inside one request)."""
    calls = [0]

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call" or event == "c_call":
            calls[0] += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield calls
    finally:
        sys.setprofile(previous)


async def counted_post(dev: Any, tenant: Any, document: str) -> tuple[Any, int]:
    """The response, and how many function calls the app made for it."""
    with counting_calls() as calls:
        response = await post(dev, tenant, document)
    return response, calls[0]


# A bound far above the calls these documents take (tens of thousands), far below
# what a walk over every pair or every path of them would (millions): a guard
# against super-linear checks.
MAX_CALLS = 200_000


async def answered_without_a_walk_over_every_path(dev: Any, tenant: Any, document: str) -> httpx.Response:
    response, calls = await counted_post(dev, tenant, document)
    assert response.status_code == 200, response.text
    assert calls < MAX_CALLS, f"a {len(document)}-byte document took {calls} function calls"
    return response


def repeated(n: int) -> str:
    # Texts vary, so no cache of checked documents helps.
    return f"# {uuid.uuid4().hex}\n{{ viewer {{ " + "team { id } " * n + "} }"


async def test_a_field_with_a_selection_duplicated_hundreds_of_times_is_refused_promptly(dev, tenant):
    # 390 copies of `team { id }` fit in 1,960 tokens; checking that they merge (the
    # spec's rule compares them pairwise) would cost the server seconds per request.
    response = await answered_without_a_walk_over_every_path(dev, tenant, repeated(390))

    error = limit_error(response, "repeated_fields")
    assert error["extensions"]["maximum"] == 50 and error["extensions"]["value"] == 390, error


async def test_a_field_repeated_fifty_times_runs(dev, tenant):
    response = await answered_without_a_walk_over_every_path(dev, tenant, repeated(50))

    assert "team" in succeeded(response)["viewer"]


# --- directive overloading -----------------------------------------------------------


def with_directives(n: int) -> str:
    return "{ viewer { " + "id @skip(if: false) " * n + "} }"


async def test_fifty_one_directives_are_refused_and_fifty_run(dev, tenant):
    error = limit_error(await post(dev, tenant, with_directives(51)), "directives")
    assert error["extensions"]["maximum"] == 50, error

    assert succeeded(await post(dev, tenant, with_directives(50)))["viewer"]["id"]


async def test_unknown_directives_piled_on_one_field_name_the_limit(dev, tenant):
    response = await post(dev, tenant, "{ __typename " + "@aa " * 60 + "}")

    limit_error(response, "directives")


# --- fragments -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "document",
    [
        "{ ...A } fragment A on Query { viewer { id } ...B } fragment B on Query { ...A }",
        "{ viewer { ...U } } fragment U on User { team { members(first: 1) { edges { node { ...U } } } } }",
    ],
    ids=["mutual", "through-a-list"],
)
async def test_circular_fragments_are_refused_promptly(dev, tenant, document):
    response, calls = await counted_post(dev, tenant, document)

    body = response.json()
    assert "data" not in body, body
    assert any(
        "Cannot spread fragment" in e["message"] and e["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
        for e in body["errors"]
    ), body
    assert calls < MAX_CALLS, f"a fragment cycle took {calls} function calls to refuse"


async def test_fragments_spread_twice_at_every_level_are_checked_in_linear_time(dev, tenant):
    # F0 spreads F1 twice, F1 spreads F2 twice, ... : 2**17 paths in a 700-byte,
    # 230-token document. Checking it must not walk every path (the whole server
    # waits while it does), yet it counts them: `__typename` is asked for 2**17 times.
    levels = 17
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    document = f"# {uuid.uuid4().hex}\n{{ ...F0 }}\n" + "\n".join(
        [*fragments, f"fragment F{levels} on Query {{ __typename }}"]
    )

    response = await answered_without_a_walk_over_every_path(dev, tenant, document)

    assert limit_error(response, "repeated_fields")["extensions"]["value"] == 2**levels


# --- deep nesting --------------------------------------------------------------------


def nested(depth: int) -> str:
    """viewer (1) > team (2) > parent ... > id (depth)."""
    inner = "id"
    for _ in range(depth - 3):
        inner = f"parent {{ {inner} }}"
    return f"{{ viewer {{ team {{ {inner} }} }} }}"


async def test_eleven_levels_are_refused_and_ten_run(dev, tenant):
    error = limit_error(await post(dev, tenant, nested(11)), "depth")
    assert error["extensions"]["maximum"] == 10, error

    assert succeeded(await post(dev, tenant, nested(10))) == {"viewer": {"team": None}}


async def test_depth_hidden_in_fragments_counts(dev, tenant):
    document = (
        "{ viewer { ...A } }\n"
        "fragment A on User { team { parent { parent { ...B } } } }\n"
        "fragment B on Team { parent { parent { parent { parent { parent { parent { id } } } } } } }"
    )

    limit_error(await post(dev, tenant, document), "depth")


# --- batches -------------------------------------------------------------------------


async def test_batches_are_refused_by_default_and_none_of_their_operations_run(dev, tenant, engine):
    name = f"Batched {uuid.uuid4().hex[:6]}"
    response = await dev.post(
        "/graphql", headers=bearer(tenant), json=[{"query": create_organization(name)}, {"query": "{ viewer { id } }"}]
    )

    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "BATCHING_DISABLED"
    assert name not in await organization_names(engine, tenant)


async def test_a_batch_over_the_maximum_is_refused_whole(batching, tenant, engine):
    name = f"Batched {uuid.uuid4().hex[:6]}"
    operations = [{"query": create_organization(name)}] + [{"query": "{ viewer { id } }"}] * 3
    response = await batching.post("/graphql", headers=bearer(tenant), json=operations)

    assert response.status_code == 400, response.text
    assert limit_error(response, "batch")["extensions"]["maximum"] == 3
    assert name not in await organization_names(engine, tenant)


async def test_a_batch_within_the_maximum_answers_each_operation_in_order(batching, tenant):
    response = await batching.post(
        "/graphql",
        headers=bearer(tenant),
        json=[{"query": "{ viewer { email } }"}, {"query": "{ __typename }"}, {"query": "{ viewer { name } }"}],
    )

    assert response.status_code == 200, response.text
    assert [b["data"] for b in response.json()] == [
        {"viewer": {"email": f"admin@{tenant.slug}.example"}},
        {"__typename": "Query"},
        {"viewer": {"name": "Admin"}},
    ]


async def test_a_batch_refused_for_a_malformed_operation_ran_none_of_the_others(batching, tenant, engine):
    name = f"Batched {uuid.uuid4().hex[:6]}"
    response = await batching.post(
        "/graphql",
        headers=bearer(tenant),
        json=[{"query": create_organization(name)}, {"query": "{ viewer { id } }", "variables": "not an object"}],
    )

    created = name in await organization_names(engine, tenant)
    if response.status_code == 200:  # answered per operation: the client sees what ran
        assert created and response.json()[0]["data"]["organizationCreate"]["errors"] == [], response.text
    else:  # refused whole: then nothing may have run
        assert not created, f"the batch was refused ({response.status_code}) but its mutation ran: {response.text}"


# --- GET mutations and cross-site requests -------------------------------------------


@pytest.mark.parametrize("operation_name", [None, "Create"])
async def test_a_mutation_over_get_is_refused_with_405_and_not_run(dev, tenant, engine, operation_name):
    name = f"Via GET {uuid.uuid4().hex[:6]}"
    params = {"query": create_organization(name).replace("mutation", "mutation Create")}
    if operation_name:  # a document holding a harmless query as well
        params = {"query": params["query"] + " query Harmless { viewer { id } }", "operationName": operation_name}
    response = await dev.get("/graphql", params=params, headers=bearer(tenant))

    assert response.status_code == 405, response.text
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert name not in await organization_names(engine, tenant)


def simple_request(content_type: str, query: str) -> dict[str, Any]:
    """A body a browser may send cross-origin without a CORS preflight."""
    if content_type.startswith("text/plain"):
        return {"content": json.dumps({"query": query}), "headers": {"Content-Type": content_type}}
    if content_type == "application/x-www-form-urlencoded":
        return {"content": urlencode({"query": query}).encode(), "headers": {"Content-Type": content_type}}
    boundary = "crmgraphtestboundary"  # multipart/form-data, as a browser form sends it
    body = f'--{boundary}\r\nContent-Disposition: form-data; name="query"\r\n\r\n{query}\r\n--{boundary}--\r\n'
    return {"content": body.encode(), "headers": {"Content-Type": f"multipart/form-data; boundary={boundary}"}}


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data"],
)
async def test_cross_site_simple_requests_are_refused_and_not_run(dev, tenant, engine, content_type):
    name = f"CSRF {uuid.uuid4().hex[:6]}"
    request = simple_request(content_type, create_organization(name))
    request["headers"] = {**request.get("headers", {}), **bearer(tenant)}
    response = await dev.post("/graphql", **request)

    assert response.status_code == 415, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "CSRF_PREFLIGHT_REQUIRED"
    assert name not in await organization_names(engine, tenant)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
async def test_cross_site_simple_requests_asking_for_an_event_stream_do_not_run(dev, tenant, engine, content_type):
    # Accept is a header a cross-site page may set without a preflight.
    name = f"CSRF SSE {uuid.uuid4().hex[:6]}"
    request = simple_request(content_type, create_organization(name))
    request["headers"] = {**request["headers"], **bearer(tenant), "Accept": "text/event-stream"}
    response = await dev.post("/graphql", **request)

    assert response.status_code >= 400, response.text
    assert name not in await organization_names(engine, tenant)


async def test_a_text_plain_request_with_a_preflight_header_runs(dev, tenant, engine):
    name = f"Preflighted {uuid.uuid4().hex[:6]}"
    request = simple_request("text/plain", create_organization(name))
    response = await dev.post(
        "/graphql",
        content=request["content"],
        headers={**request["headers"], **bearer(tenant), "GraphQL-Require-Preflight": "1"},
    )

    assert succeeded(response)["organizationCreate"]["errors"] == []
    assert name in await organization_names(engine, tenant)


# --- introspection, suggestions and GraphiQL in production ---------------------------

INTROSPECTION = {
    "schema": "{ __schema { queryType { name } } }",
    "type": '{ __type(name: "Organization") { fields { name } } }',
    "aliased": "{ s: __schema { types { name } } }",
    "in-a-fragment": "{ ...Q } fragment Q on Query { __schema { types { name } } }",
}


@pytest.mark.parametrize("query", INTROSPECTION.values(), ids=INTROSPECTION.keys())
async def test_introspection_is_refused_in_production(prod, tenant, query):
    response = await post(prod, tenant, query)

    body = response.json()
    assert "data" not in body, body
    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", body
    assert "introspection has been disabled" in body["errors"][0]["message"], body


async def test_introspection_is_refused_in_production_over_a_websocket_too(database_url, redis_url, tenant):
    """Server-sent events carry only subscriptions, which cannot select `__schema` or
    `__type`; the other transport that runs queries is the WebSocket."""
    app = create_app(Settings(database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, env="production"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on"))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            assert not task.done(), "the server did not start"
            await asyncio.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/graphql", subprotocols=["graphql-transport-ws"], open_timeout=10
        ) as ws:
            token = bearer(tenant)["Authorization"]
            await ws.send(json.dumps({"type": "connection_init", "payload": {"authorization": token}}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
            answers = {}
            for name, query in (("schema", INTROSPECTION["schema"]), ("typename", "{ __typename }")):
                await ws.send(json.dumps({"id": name, "type": "subscribe", "payload": {"query": query}}))
                answers[name] = json.loads(await asyncio.wait_for(ws.recv(), 10))
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)

    refused = answers["schema"]
    assert refused["type"] == "error", refused
    assert "introspection has been disabled" in refused["payload"][0]["message"], refused
    assert answers["typename"] == {"id": "typename", "type": "next", "payload": {"data": {"__typename": "Query"}}}


async def test_introspection_runs_in_development(dev, tenant):
    assert succeeded(await post(dev, tenant, INTROSPECTION["schema"])) == {"__schema": {"queryType": {"name": "Query"}}}


async def test_typename_still_works_in_production(prod, tenant):
    assert succeeded(await post(prod, tenant, "{ __typename viewer { __typename } }")) == {
        "__typename": "Query",
        "viewer": {"__typename": "User"},
    }


async def test_admin_introspection_lets_admins_and_no_one_else_introspect(prod_admin, prod, tenant):
    analyst = await tenant.user(f"analyst@{tenant.slug}.example", ["analyst"])
    query = INTROSPECTION["type"]

    admin_view = succeeded(await post(prod_admin, tenant, query))
    assert "name" in {f["name"] for f in admin_view["__type"]["fields"]}

    as_analyst = await prod_admin.post("/graphql", json={"query": query}, headers=bearer(tenant, analyst))
    assert "data" not in as_analyst.json() and "introspection" in as_analyst.json()["errors"][0]["message"]

    # Without the setting, production refuses admins too.
    assert "data" not in (await post(prod, tenant, query)).json()


# Misspellings that development answers with "Did you mean ...?".
MISSPELLED: dict[str, dict[str, Any]] = {
    "field": {"query": "{ organizationz(first: 1) { totalCount } }"},
    "argument": {"query": "{ organizations(firts: 1) { totalCount } }"},
    "enum-value": {"query": "{ organizations(first: 1, orderBy: {field: NAM}) { totalCount } }"},
    "input-field": {"query": '{ organizations(first: 1, filter: {serch: "a"}) { totalCount } }'},
    "type": {"query": '{ node(id: "x") { ... on Organizaton { id } } }'},
    "enum-in-variables": {
        "query": "query($o: OrganizationOrder) { organizations(first: 1, orderBy: $o) { totalCount } }",
        "variables": {"o": {"field": "NAM"}},
    },
    "input-field-in-variables": {
        "query": "query($f: OrganizationFilter) { organizations(first: 1, filter: $f) { totalCount } }",
        "variables": {"f": {"serch": "a"}},
    },
}


@pytest.mark.parametrize("request_body", MISSPELLED.values(), ids=MISSPELLED.keys())
async def test_production_errors_suggest_nothing_that_development_suggests(dev, prod, tenant, request_body):
    development = await dev.post("/graphql", json=request_body, headers=bearer(tenant))
    production = await prod.post("/graphql", json=request_body, headers=bearer(tenant))

    assert "Did you mean" in development.text, development.text
    messages = [e["message"] for e in production.json()["errors"]]
    assert messages and not any("Did you mean" in m for m in messages), messages


async def test_graphiql_is_served_in_development_and_not_in_production(dev, prod):
    page = {"Accept": "text/html"}
    development = await dev.get("/graphql", headers=page)
    production = await prod.get("/graphql", headers=page)

    assert development.status_code == 200 and "graphiql" in development.text.lower()
    assert production.status_code == 404, production.text
    assert "graphiql" not in production.text.lower()


# --- leaks ---------------------------------------------------------------------------

LEAKS = (
    "Traceback",
    'File "',
    "SELECT",
    "organizations.",
    "for table",
    "asyncpg",
    "sqlalchemy",
    "permission denied",
    "InsufficientPrivilege",
    "OverflowError",
    "out of range",
    "crm_graph",
    ".py",
)


async def test_an_unexpected_error_reaches_the_client_as_a_generic_message_with_the_request_id(
    prod, tenant, engine, capfd
):
    request_id = f"leak-check-{uuid.uuid4().hex}"
    query = "{ organizations(first: 1) { totalCount } }"
    async with unreadable(engine, "organizations"):  # PostgreSQL refuses the statement
        response = await prod.post(
            "/graphql", json={"query": query}, headers={**bearer(tenant), "X-Request-Id": request_id}
        )

    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"] == [
        {
            "message": f"Internal error (request {request_id}).",
            "locations": [{"line": 1, "column": 3}],
            "path": ["organizations"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        }
    ]
    assert not [leak for leak in LEAKS if leak in response.text], response.text
    # The details went to the server's log, findable by the request id.
    logged = capfd.readouterr()
    assert any(
        "unexpected_error" in line and request_id in line and "permission denied" in line
        for line in (logged.out + logged.err).splitlines()
    ), "the unexpected error was not logged"


async def test_queries_and_mutations_over_an_event_stream_are_refused_before_they_run(prod, tenant, engine):
    """Over server-sent events only subscriptions run (checked and paid for like any
    operation); a query there would skip the HTTP path's timeout and masking."""
    query = "{ organizations(first: 1) { totalCount } }"
    mutation = 'mutation { organizationCreate(input: {name: "Streamed In"}) { organization { id } } }'
    for document in (query, mutation):
        response = await prod.post(
            "/graphql", json={"query": document}, headers={**bearer(tenant), "Accept": "text/event-stream"}
        )
        assert response.status_code == 400, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_TRANSPORT"
        assert not [leak for leak in LEAKS if leak in response.text], response.text
    assert "Streamed In" not in await organization_names(engine, tenant)


MALFORMED: dict[str, dict[str, Any]] = {
    "not-json": {"content": b'{"query": "{ viewer { id } }"', "headers": {"Content-Type": "application/json"}},
    "variables-not-an-object": {"json": {"query": "{ viewer { id } }", "variables": "x"}},
    "query-not-a-string": {"json": {"query": 42}},
    "not-an-object": {"json": "{ viewer { id } }"},
    "bad-variable-type": {
        "json": {"query": "query($n: Int!) { organizations(first: $n) { totalCount } }", "variables": {"n": "many"}}
    },
    "syntax-error": {"json": {"query": "{ viewer { id }"}},
    "form-not-utf-8": {
        "content": b"query=%7B__typename%7D\xff\xfe",
        "headers": {"Content-Type": "application/x-www-form-urlencoded", "GraphQL-Require-Preflight": "1"},
    },
}


@pytest.mark.parametrize("request_kwargs", MALFORMED.values(), ids=MALFORMED.keys())
async def test_malformed_requests_get_a_client_error_without_internals(prod, tenant, request_kwargs):
    headers = {**request_kwargs.get("headers", {}), **bearer(tenant)}
    response = await prod.post("/graphql", **{**request_kwargs, "headers": headers})

    assert response.status_code in (200, 400), response.text
    errors = response.json()["errors"]
    assert errors and all(e["extensions"]["code"] != "INTERNAL_SERVER_ERROR" for e in errors), errors
    assert all(set(e["extensions"]) <= {"code", "limit", "value", "maximum"} for e in errors), errors
    assert not [leak for leak in LEAKS if leak in response.text], response.text
