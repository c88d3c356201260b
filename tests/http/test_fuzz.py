"""Whatever operation a client sends, the API answers without crashing or leaking its
internals: no 5xx (nor an internal error masked as a 200), a JSON body, no traceback
or database driver text, and every error (GraphQL errors and the typed errors of
mutation payloads) says what went wrong.

hypothesis-graphql generates the operations from our schema: valid queries, valid
mutations, and operations with one schema violation each. Half of them go with their
argument values as literals, the other half with every argument lifted into a variable
(`$v0`, ...), since literals and variables are coerced by different code; each asks
for one of the media types a client may accept. Custom scalars, IDs and strings are
drawn to reach past validation: dates, decimals (NaN and infinities too), JSON, the
global IDs of real records of the tenant (of every type, so also of the wrong type)
and pagination cursors. Each test acts in a fresh tenant of its own, as its admin or
as restricted roles, so fuzzed mutations touch nothing shared.

Runs are derandomized: CI replays the same examples each time. A failure prints the
smallest operation (and variables, role, Accept header) that still fails.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, from_schema, mutations, queries
from hypothesis_graphql import nodes as gnodes
from tests.api.builders import Builder, gid
from tests.conftest import SECRET
from tests.generated_documents import SCHEMA, lift_arguments

import graphql
from crm_graph import provisioning
from crm_graph.platform.identity.auth import issue_token

RESTRICTED_ROLES = ("sales_rep", "marketing_manager", "analyst")
# What a GraphQL-over-HTTP client may accept: the status codes differ between the two types.
ACCEPT = ("application/json", "application/graphql-response+json", "*/*")
# Text that only a crash or a leak of the server's internals puts in a response: a
# Python traceback, and the database libraries' names in any case (SQLAlchemy, ...).
TRACEBACK_MARKERS = ("Traceback", 'File "')
LIBRARY_MARKERS = ("sqlalchemy", "asyncpg", "psycopg")

# 75 examples per test: 150 queries and 150 mutations in all, half as the admin, half as
# restricted roles, and 75 invalid operations; well under a minute on an idle machine.
FUZZ = settings(
    max_examples=75,
    deadline=None,
    derandomize=True,
    database=None,  # derandomized: nothing to remember between runs
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one tenant per test, shared by its examples on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


# --- the tenant each test acts in -----------------------------------------------------


@dataclass
class World:
    """A fresh tenant with an admin, one user per restricted role, and a few records."""

    id: uuid.UUID
    engine: Any
    http: httpx.AsyncClient
    tokens: dict[str, str]  # role -> bearer token of a user with that role
    ids: list[str]  # global IDs of the records, for the ID strategy
    strategies: dict[Any, st.SearchStrategy[str]] = field(default_factory=dict)

    def documents(self, kind: Any) -> st.SearchStrategy[str]:
        """hypothesis-graphql's `queries` or `mutations` for our schema, built once."""
        if kind not in self.strategies:
            scalars = custom_scalars(st.sampled_from(self.ids))
            self.strategies[kind] = (
                from_schema(SCHEMA, custom_scalars=scalars, mode=Mode.NEGATIVE)
                if kind is from_schema
                else kind(SCHEMA, custom_scalars=scalars)
            )
        return self.strategies[kind]

    async def post(self, role: str, query: str, variables: dict[str, Any], accept: str) -> httpx.Response:
        return await self.http.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {self.tokens[role]}", "Accept": accept},
        )


@pytest.fixture
async def world(engine: Any, http: httpx.AsyncClient) -> World:
    slug = f"fuzz-{uuid.uuid4().hex[:10]}"
    async with engine.begin() as conn:
        tid = await provisioning.create_tenant(conn, slug, f"Fuzz {slug}")
        users = {
            role: await provisioning.create_user(conn, tid, f"{role}@{slug}.example", role, [role])
            for role in ("admin", *RESTRICTED_ROLES)
        }
    world = World(tid, engine, http, {r: issue_token(SECRET, tid, u) for r, u in users.items()}, [])
    build = Builder(world)
    rep = users["sales_rep"]
    mine = await build.org("Fuzz Owned", owner_id=rep, kinds=["customer"])
    theirs = await build.org("Fuzz Other", owner_id=users["admin"])
    contact = await build.contact("Ada", "Fuzz", organization_id=mine, owner_id=rep, emails=["ada@fuzz.example"])
    pipeline, stages = await build.pipeline()
    opportunity = await build.opportunity("Fuzz deal", organization_id=mine, owner_id=rep)
    edge = await build.edge("partner_of", ("organization", mine), ("organization", theirs))
    # Not the admin's own id: a fuzzed userAssignRole would lock the admin test out.
    records = [
        ("Organization", mine),
        ("Organization", theirs),
        ("Contact", contact),
        ("Pipeline", pipeline),
        ("Opportunity", opportunity),
        ("Relationship", edge),
        ("User", users["sales_rep"]),
        *(("Stage", s) for s in stages.values()),
    ]
    world.ids = [gid(type_name, id_) for type_name, id_ in records]
    return world


# --- values that reach past validation ------------------------------------------------


def to_ast(value: Any) -> graphql.ValueNode:
    """A JSON value as a GraphQL literal (for the JSON scalar)."""
    if value is None:
        return gnodes.Null
    if isinstance(value, bool):
        return gnodes.Boolean(value)
    if isinstance(value, int):
        return gnodes.Int(value)
    if isinstance(value, float):
        return gnodes.Float(value)
    if isinstance(value, str):
        return gnodes.String(value)
    if isinstance(value, list):
        return gnodes.List([to_ast(v) for v in value])
    return gnodes.Object(
        [graphql.ObjectFieldNode(name=graphql.NameNode(value=k), value=to_ast(v)) for k, v in value.items()]
    )


NAMES = st.from_regex(r"[_A-Za-z][_0-9A-Za-z]{0,7}", fullmatch=True)  # object keys in a GraphQL literal
JSON_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
JSON_VALUES = st.recursive(
    JSON_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(NAMES, inner, max_size=3), max_leaves=8
)
CURSORS = st.lists(JSON_LEAVES, max_size=3).map(
    lambda values: base64.urlsafe_b64encode(json.dumps(values).encode()).decode()
)
DECIMALS = st.decimals(allow_nan=True, allow_infinity=True) | st.integers().map(Decimal)


def custom_scalars(world_ids: st.SearchStrategy[str]) -> dict[str, st.SearchStrategy[graphql.ValueNode]]:
    return {
        "Date": (st.dates().map(lambda d: d.isoformat()) | st.text(max_size=12)).map(gnodes.String),
        "DateTime": (
            st.datetimes(timezones=st.sampled_from([UTC, None])).map(lambda d: d.isoformat()) | st.text(max_size=12)
        ).map(gnodes.String),
        "Decimal": DECIMALS.map(str).map(gnodes.String) | st.integers().map(gnodes.Int),
        "JSON": JSON_VALUES.map(to_ast),
        # Mostly real records (twice the weight), else junk, bare UUIDs and IDs of no record.
        "ID": st.one_of(
            world_ids,
            world_ids,
            st.text(max_size=30),
            st.uuids().map(str),
            st.builds(
                lambda tag, u: base64.b64encode(tag.to_bytes(2, "big") + u.bytes).decode(),
                st.integers(0, 40),
                st.uuids(),
            ),
        ).map(gnodes.String),
        "String": (st.text() | CURSORS).map(gnodes.String),
    }


USER_ERRORS = graphql.parse("{ errors { __typename message } }").definitions[0].selection_set.selections[0]


def with_user_errors(document: str) -> str:
    """The mutation, also selecting each payload's typed `errors`: hypothesis-graphql
    seldom picks that interface list, yet its messages are what clients show."""
    ast = graphql.parse(document)
    (operation,) = ast.definitions
    root = SCHEMA.mutation_type
    selections = []
    for selection in operation.selection_set.selections:
        field = root.fields.get(selection.name.value) if isinstance(selection, graphql.FieldNode) else None
        payload = graphql.get_named_type(field.type) if field else None
        if isinstance(payload, graphql.GraphQLObjectType) and "errors" in payload.fields and selection.selection_set:
            selection = graphql.FieldNode(
                alias=selection.alias,
                name=selection.name,
                arguments=selection.arguments,
                directives=selection.directives,
                selection_set=graphql.SelectionSetNode(selections=(*selection.selection_set.selections, USER_ERRORS)),
            )
        selections.append(selection)
    operation = graphql.OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=operation.variable_definitions,
        directives=operation.directives,
        selection_set=graphql.SelectionSetNode(selections=tuple(selections)),
    )
    return graphql.print_ast(graphql.DocumentNode(definitions=(operation,)))


@st.composite
def operations(draw: st.DrawFn, kind: Any, world: World) -> tuple[str, dict[str, Any]]:
    """A query or mutation, as literals or with variables."""
    document = draw(world.documents(kind))
    if document.startswith("mutation"):
        document = with_user_errors(document)
    if draw(st.booleans()):
        return lift_arguments(document)
    return document, {}


# --- what every answer must be --------------------------------------------------------


async def check(world: World, role: str, operation: tuple[str, dict[str, Any]], accept: str) -> None:
    query, variables = operation
    response = await world.post(role, query, variables, accept)
    sent = query + json.dumps(variables, ensure_ascii=False)
    where = f"as {role}, Accept: {accept}: {query}\nvariables: {variables}"
    assert response.status_code < 500, f"HTTP {response.status_code} {response.text[:2000]}\n{where}"
    try:
        body = response.json()
    except ValueError:
        raise AssertionError(f"not JSON: HTTP {response.status_code} {response.text[:2000]}\n{where}") from None
    text = response.text
    # The fuzzed text itself may come back in a message: only what the request did not hold counts.
    leaked = [m for m in TRACEBACK_MARKERS if m in text and m not in sent]
    leaked += [m for m in LIBRARY_MARKERS if m in text.lower() and m not in sent.lower()]
    assert not leaked, f"the response shows the server's internals ({leaked}): {text[:3000]}\n{where}"
    assert isinstance(body, dict), f"not a GraphQL response: {text[:2000]}\n{where}"
    # The server masks an unexpected exception in a resolver as a 200 with this code: a
    # crash all the same (its traceback is in the server's log under the request id).
    crashed = [
        e
        for e in body.get("errors") or []
        if isinstance(e, dict) and (e.get("extensions") or {}).get("code") == "INTERNAL_SERVER_ERROR"
    ]
    assert not crashed, f"the server crashed: {crashed}\n{where}"
    errors = list(body.get("errors") or [])
    # Typed errors in mutation payloads (ValidationError, NotFound, ...) need a message too.
    for payload in (body.get("data") or {}).values() if query.lstrip().startswith("mutation") else ():
        errors += (payload.get("errors") or []) if isinstance(payload, dict) else []
    for error in errors:
        assert isinstance(error, dict) and isinstance(error.get("message"), str) and error["message"].strip(), (
            f"an error without a message: {error}\n{where}"
        )


@given(data=st.data())
@FUZZ
async def test_fuzzed_queries_as_admin(world: World, data: st.DataObject) -> None:
    operation = data.draw(operations(queries, world), label="query")
    await check(world, "admin", operation, data.draw(st.sampled_from(ACCEPT), label="accept"))


@given(data=st.data())
@FUZZ
async def test_fuzzed_queries_as_restricted_roles(world: World, data: st.DataObject) -> None:
    role = data.draw(st.sampled_from(RESTRICTED_ROLES), label="role")
    operation = data.draw(operations(queries, world), label="query")
    await check(world, role, operation, data.draw(st.sampled_from(ACCEPT), label="accept"))


@given(data=st.data())
@FUZZ
async def test_fuzzed_mutations_as_admin(world: World, data: st.DataObject) -> None:
    operation = data.draw(operations(mutations, world), label="mutation")
    await check(world, "admin", operation, data.draw(st.sampled_from(ACCEPT), label="accept"))


@given(data=st.data())
@FUZZ
async def test_fuzzed_mutations_as_restricted_roles(world: World, data: st.DataObject) -> None:
    role = data.draw(st.sampled_from(RESTRICTED_ROLES), label="role")
    operation = data.draw(operations(mutations, world), label="mutation")
    await check(world, role, operation, data.draw(st.sampled_from(ACCEPT), label="accept"))


@given(data=st.data())
@FUZZ
async def test_fuzzed_invalid_operations(world: World, data: st.DataObject) -> None:
    """Operations with one schema violation each (hypothesis-graphql's negative mode):
    refused with a message, never a crash."""
    role = data.draw(st.sampled_from(("admin", *RESTRICTED_ROLES)), label="role")
    operation = data.draw(operations(from_schema, world), label="operation")
    await check(world, role, operation, data.draw(st.sampled_from(ACCEPT), label="accept"))
