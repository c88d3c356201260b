"""One statement per shape: shared by users of the same roles, parameters for what
varies, and never used again once the tenant's rules change."""

from __future__ import annotations

import gc
import types
from typing import Any

import orjson
import sqlalchemy as sa
from tests.compiled.paths import Both

from crm_graph.api.schema import schema
from crm_graph.compiled.cache import STATEMENTS, WALKS
from crm_graph.domains.contacts.models import Contact
from crm_graph.kernel.db import statement_counter
from crm_graph.platform.authz.models import PolicyRule
from crm_graph.platform.identity.models import Tenant

REPS = """{ opportunities(first: 5) { totalCount edges { node { name owner { email } } } }
  viewer { email } interactions(first: 3) { totalCount } }"""


async def test_users_of_the_same_roles_share_a_statement_and_see_their_own_rows(as_user):
    STATEMENTS.clear()
    one = orjson.loads(await as_user("rep1@demo.example").same(REPS))
    size = len(STATEMENTS)
    two = orjson.loads(await as_user("rep2@demo.example").same(REPS))
    assert len(STATEMENTS) == size  # rep2 reused rep1's statement ...
    assert one != two  # ... with their own ids: own opportunities, own viewer
    assert {e["node"]["owner"]["email"] for e in two["data"]["opportunities"]["edges"]} == {"rep2@demo.example"}
    await as_user("manager@demo.example").same(REPS)
    assert len(STATEMENTS) == size + 1  # another role, another statement


async def test_cursors_and_ids_are_parameters_skip_is_shape(as_user):
    both = as_user("admin@demo.example")
    q = """query($c: String, $id: ID!, $s: Boolean!) { organizations(first: 2, after: $c) { pageInfo { endCursor }
        edges { node { name } } } node(id: $id) { id ... on Organization { name } } __typename @skip(if: $s) }"""
    first = orjson.loads(await both.same("{ organizations(first: 3) { edges { cursor node { id } } } }"))
    edges = first["data"]["organizations"]["edges"]
    STATEMENTS.clear()
    for e in edges:
        await both.same(q, {"c": e["cursor"], "id": e["node"]["id"], "s": False})
    assert len(STATEMENTS) == 1
    await both.same(q, {"c": None, "id": edges[0]["node"]["id"], "s": False})
    await both.same(q, {"c": None, "id": edges[0]["node"]["id"], "s": True})
    assert len(STATEMENTS) == 3


async def test_a_policy_change_is_seen_at_once(tenant, engine, app_engine):
    both = Both(app_engine, tenant.id, tenant.admin_id)
    q = "{ contacts(first: 5) { totalCount edges { node { emails } } } }"
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(Contact.__table__).values(
                tenant_id=tenant.id, first_name="Ada", last_name="Lovelace", emails=["ada@example.com"]
            )
        )
    await both.same(q)
    async with engine.begin() as conn:  # what roleGrant does: a rule and a new policy version
        await conn.execute(
            sa.insert(PolicyRule.__table__).values(
                tenant_id=tenant.id,
                ptype="p",
                subject="admin",
                object="contact.emails",
                action="*",
                scope="tenant",
                effect="deny",
            )
        )
        t = Tenant.__table__
        await conn.execute(sa.update(t).where(t.c.id == tenant.id).values(policy_version=t.c.policy_version + 1))
    out = await both.falls_back(q)
    assert out.reason == "forbidden_field" and out.errors


async def test_one_statement_answers_the_operation(as_user):
    both = as_user("rep1@demo.example")
    q = """{ organizations(first: 20) { totalCount pageInfo { hasNextPage } edges { node { name owner { name }
        contacts(first: 5) { edges { node { lastName interactions(first: 3) { edges { node { subject } } } } } } } } }
        viewer { name } }"""
    await both.same(q)
    from crm_graph import compiled
    from graphql import get_operation_ast, parse

    document = parse(q)
    ctx = await both._context()
    try:
        async with statement_counter() as n:
            await compiled.execute(schema, ctx, document, get_operation_ast(document), {})
    finally:
        await ctx.db.close()
    assert n[0] == 1


def _objects_held(root: Any) -> int:
    """How many objects the garbage collector tracks behind `root` (functions, classes
    and modules aside: those are shared by every statement)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(
            obj, (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.MethodType)
        ):
            continue
        seen.add(id(obj))
        stack.extend(o for o in gc.get_referents(obj) if gc.is_tracked(o))
    return len(seen)


async def test_a_cached_statement_holds_its_text_not_an_expression_tree(as_user):
    # A full cache of expression trees held two million objects, which every full
    # collection of the garbage collector walks: seconds during which no request moves.
    both = as_user("rep1@demo.example")
    q = """{ organizations(first: 20) { totalCount pageInfo { hasNextPage } edges { node { name owner { name }
        contacts(first: 5) { edges { node { lastName interactions(first: 3) { edges { node { subject } } } } } } } } }
        opportunities(first: 5, filter: {status: [OPEN, WON], currency: ["EUR", "USD", "GBP"]}) {
          edges { node { name status } } } }"""
    STATEMENTS.clear()
    WALKS.clear()
    await both.same(q)

    [(key, found)] = STATEMENTS._entries.items()
    assert "IN (" in found.sql and "POSTCOMPILE" not in found.sql  # IN lists expanded once, at compile time
    assert _objects_held(found) < 20, _objects_held(found)
    assert _objects_held(key) < 20, _objects_held(key)
    [walked] = WALKS._entries.values()
    assert _objects_held(walked) < 100, _objects_held(walked)
