"""Generated queries (hypothesis-graphql, from our schema) answered both ways, as an
admin, a sales rep and an analyst of the demo tenant: the compiled answer is the
ordinary one byte for byte, or the compiled path stepped aside (fell back) and the
ordinary path answered (with its errors, if any).

Page sizes are kept small, every connection gets `first` when the generator gave it
neither `first` nor `last` (and loses `last` when it has both), and random cursors
are dropped, so most operations reach the compiler instead of failing validation
of their arguments (cursors are tested by hand). IDs are real global IDs of the demo
tenant (of every type, and of the other tenant), or junk.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes as gnodes
from hypothesis_graphql import queries
from tests.generated_documents import SCHEMA, lift_arguments

import graphql
from crm_graph.compiled.root import connections

ROOT_FIELDS = [*connections(), "node", "nodes", "viewer"]
ROLES = ("admin@demo.example", "rep1@demo.example", "analyst@demo.example")
TALLY: dict[str, int] = {}

GENERATED = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)

CURSORS = st.lists(st.none() | st.integers() | st.text(max_size=5), max_size=3).map(
    lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode()
)


def scalars(ids: list[str]) -> dict[str, Any]:
    json_leaves = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=5)
    return {
        "Date": st.dates().map(lambda d: gnodes.String(d.isoformat())),
        "DateTime": st.datetimes(timezones=st.just(UTC)).map(lambda d: gnodes.String(d.isoformat())),
        "Decimal": st.decimals(allow_nan=False, allow_infinity=False, places=2).map(lambda d: gnodes.String(str(d))),
        "JSON": json_leaves.map(lambda v: gnodes.String(str(v))),
        "ID": st.one_of(st.sampled_from(ids), st.sampled_from(ids), st.text(max_size=8)).map(gnodes.String),
        "String": st.one_of(st.text(max_size=6), CURSORS, st.sampled_from(["partner_of", "a", "sales_rep"])).map(
            gnodes.String
        ),
    }


class _Pages(graphql.Visitor):
    """Small pages; `first` where a connection has neither `first` nor `last`."""

    def __init__(self, type_info: graphql.TypeInfo) -> None:
        super().__init__()
        self.type_info = type_info

    def enter_field(self, node: graphql.FieldNode, *_: Any) -> graphql.FieldNode | None:
        definition = self.type_info.get_field_def()
        if definition is None or "first" not in definition.args:
            return None
        args = []
        given = {a.name.value for a in node.arguments or () if not isinstance(a.value, graphql.NullValueNode)}
        for a in node.arguments or ():
            if a.name.value in ("first", "last") and a.name.value not in given:
                continue  # null: as if absent
            if a.name.value in ("after", "before") or (a.name.value == "last" and "first" in given):
                continue  # random cursors are refused; cursors are tested by hand
            if a.name.value in ("first", "last") and isinstance(a.value, graphql.IntValueNode):
                a = graphql.ArgumentNode(
                    name=a.name, value=graphql.IntValueNode(value=str(abs(int(a.value.value)) % 4))
                )
            args.append(a)
        if not any(a.name.value in ("first", "last") for a in args):
            args.append(
                graphql.ArgumentNode(name=graphql.NameNode(value="first"), value=graphql.IntValueNode(value="2"))
            )
        return graphql.FieldNode(
            alias=node.alias,
            name=node.name,
            arguments=tuple(args),
            directives=node.directives,
            selection_set=node.selection_set,
        )


def small_pages(document: str) -> str:
    type_info = graphql.TypeInfo(SCHEMA)
    return graphql.print_ast(
        graphql.visit(graphql.parse(document), graphql.TypeInfoVisitor(type_info, _Pages(type_info)))
    )


@pytest.fixture(scope="module")
async def demo_ids(demo: Any, as_user_module: Any) -> list[str]:
    ids: list[str] = []
    for email in ("admin@demo.example", "admin@other.example"):
        out = await as_user_module(email).run("""{ organizations(first: 3) { edges { node { id } } }
            contacts(first: 3) { edges { node { id } } } opportunities(first: 2) { edges { node { id } } }
            relationships(first: 2) { edges { node { id } } } users(first: 3) { edges { node { id } } }
            tasks(first: 2) { edges { node { id } } } interactions(first: 2) { edges { node { id } } } }""")
        for connection in orjson.loads(out.ordinary)["data"].values():
            ids += [e["node"]["id"] for e in connection["edges"]]
    return ids


@pytest.fixture(scope="module")
def strategy(demo_ids: list[str]) -> Any:
    return queries(SCHEMA, fields=ROOT_FIELDS, custom_scalars=scalars(demo_ids), allow_x00=False)


@given(data=st.data())
@GENERATED
async def test_generated_queries_answer_alike(as_user_module: Any, strategy: Any, data: st.DataObject) -> None:
    email = data.draw(st.sampled_from(ROLES), label="role")
    query, variables = small_pages(data.draw(strategy, label="query")), {}
    # hypothesis-graphql can merge fields of one name and different types (`source`
    # of a Relationship and of a webhook delivery): such a document is not a query.
    assume(not graphql.validate(SCHEMA, graphql.parse(query)))
    if data.draw(st.booleans(), label="as variables"):
        query, variables = lift_arguments(query)
    out = await as_user_module(email).run(query, variables)
    where = f"as {email}: {query}\nvariables: {variables}"
    if out.errors:
        assert out.compiled is None, f"compiled where the ordinary path has errors {out.errors}\n{where}"
    elif out.compiled is not None:
        assert out.compiled == out.ordinary, f"{out.compiled!r}\n!=\n{out.ordinary!r}\n{where}"
    key = "compiled" if out.compiled is not None else f"fallback:{out.reason}"
    TALLY[key] = TALLY.get(key, 0) + 1


def test_zz_most_generated_queries_compile() -> None:
    """Runs after the generated ones (file order): most of them took the compiled path."""
    print("generated queries:", TALLY)
    if TALLY:
        assert TALLY.get("compiled", 0) >= sum(TALLY.values()) // 2, TALLY
