"""Escalation through scoped rules: an `own` or `team` rule on a record type that has
no owner used to act tenant-wide (a role with `user update OWN` let a rep make
themselves admin). Such a rule is refused when granted, a default rule like it stops
the start-up, and one already stored allows nothing. Role assignment needs holding
the roles given or taken away.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm_graph.platform.authz.models import PolicyRule
from crm_graph.platform.identity.models import Tenant, User

GRANT = """mutation($i: RoleGrantInput!) { roleGrant(input: $i) {
  rule { object scope } errors { __typename ... on ValidationError { code path } } } }"""
ASSIGN = """mutation($u: ID!, $r: [String!]!) { userAssignRole(input: {userId: $u, roles: $r}) {
  user { roles } errors { __typename path } } }"""

# Written by hand: every record type with no owner, and an action on it a scoped rule
# would have widened to the whole tenant. `*` covers them all.
OWNERLESS = [
    ("user", "update"),
    ("team", "update"),
    ("role", "create"),
    ("policy", "create"),
    ("relationship", "delete"),
    ("relationship_kind", "create"),
    ("pipeline", "update"),
    ("stage", "update"),
    ("webhook", "update"),
    ("webhook_delivery", "read"),
    ("*", "*"),
]


async def _rules(engine, tenant_id, obj):
    t = PolicyRule.__table__
    async with engine.connect() as conn:
        rows = await conn.execute(sa.select(t.c.scope).where(t.c.tenant_id == tenant_id, t.c.object == obj))
        return sorted(rows.scalars())


async def _version(engine, tenant_id):
    t = Tenant.__table__
    async with engine.connect() as conn:
        return (await conn.execute(sa.select(t.c.policy_version).where(t.c.id == tenant_id))).scalar_one()


async def _roles(engine, user_id):
    t = User.__table__
    async with engine.connect() as conn:
        return list((await conn.execute(sa.select(t.c.roles).where(t.c.id == user_id))).scalar_one())


@pytest.mark.parametrize("scope", ["OWN", "TEAM"])
@pytest.mark.parametrize(("obj", "action"), OWNERLESS)
async def test_a_scope_an_ownerless_type_cannot_honour_is_refused_when_granted(tenant, gql, engine, obj, action, scope):
    before = (await _rules(engine, tenant.id, obj), await _version(engine, tenant.id))
    data = await gql(GRANT, {"i": {"role": "sales_rep", "object": obj, "action": action, "scope": scope}})
    assert data["roleGrant"] == {
        "rule": None,
        "errors": [{"__typename": "ValidationError", "code": "SCOPE_NOT_HONOURED", "path": ["input", "scope"]}],
    }
    assert (await _rules(engine, tenant.id, obj), await _version(engine, tenant.id)) == before


@pytest.mark.parametrize(
    ("obj", "scope"),
    [
        ("opportunity", "OWN"),
        ("interaction", "OWN"),
        ("task", "TEAM"),
        ("api_key", "OWN"),
        ("notification", "OWN"),
        ("opportunity_stage_change", "OWN"),
        ("audit_entry", "OWN"),
        ("audit_entry", "TEAM"),
        ("user", "TENANT"),
        ("opportunity.amount", "OWN"),
    ],
)
async def test_scopes_a_type_honours_are_granted(gql, obj, scope):
    data = await gql(GRANT, {"i": {"role": "analyst", "object": obj, "action": "read", "scope": scope}})
    assert data["roleGrant"] == {"rule": {"object": obj, "scope": scope.lower()}, "errors": []}


async def test_a_rule_on_an_undeclared_record_type_is_refused(gql):
    data = await gql(GRANT, {"i": {"role": "analyst", "object": "opportunty", "action": "read"}})
    assert data["roleGrant"] == {
        "rule": None,
        "errors": [{"__typename": "ValidationError", "code": "UNKNOWN_TYPE", "path": ["input", "object"]}],
    }


async def test_a_stored_rule_the_type_cannot_honour_allows_nothing(tenant, engine):
    """A rule granted before such rules were refused (or written by hand) must not act
    tenant-wide: the rep cannot reach any user through it, itself included."""
    rep = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    async with engine.begin() as conn:
        await conn.execute(
            sa.insert(PolicyRule.__table__),
            [
                {
                    "tenant_id": tenant.id,
                    "ptype": "p",
                    "subject": "sales_rep",
                    "object": "user",
                    "action": "update",
                    "scope": scope,
                    "effect": "allow",
                }
                for scope in ("own", "team")
            ],
        )
        t = Tenant.__table__
        await conn.execute(sa.update(t).where(t.c.id == tenant.id).values(policy_version=t.c.policy_version + 1))
    client = tenant.client(rep)
    viewer = (await client("{ viewer { id } }"))["viewer"]["id"]
    data = await client(ASSIGN, {"u": viewer, "r": ["sales_rep", "admin"]})
    assert data["userAssignRole"]["user"] is None and data["userAssignRole"]["errors"]
    assert await _roles(engine, rep) == ["sales_rep"]


async def test_a_rep_who_may_update_users_cannot_make_themselves_admin(tenant, gql, engine):
    await gql(GRANT, {"i": {"role": "sales_rep", "object": "user", "action": "update"}})
    rep = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    client = tenant.client(rep)
    viewer = (await client("{ viewer { id } }"))["viewer"]["id"]
    data = await client(ASSIGN, {"u": viewer, "r": ["sales_rep", "admin"]})
    assert data["userAssignRole"] == {"user": None, "errors": [{"__typename": "Forbidden", "path": ["input", "roles"]}]}
    assert await _roles(engine, rep) == ["sales_rep"]


async def test_role_assignment_gives_and_takes_only_roles_the_caller_holds(tenant, gql, engine):
    await gql('mutation { roleCreate(input: {name: "user_admin"}) { errors { message } } }')
    for action in ("read", "update"):
        await gql(GRANT, {"i": {"role": "user_admin", "object": "user", "action": action}})
    manager = tenant.client(await tenant.user(f"m@{tenant.slug}.example", ["sales_manager", "user_admin"]))
    rep = await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"])
    users = (await gql("{ users(first: 10) { edges { node { id email } } } }"))["users"]["edges"]
    ids = {e["node"]["email"].split("@")[0]: e["node"]["id"] for e in users}

    refused = [
        (ids["rep"], ["sales_rep", "admin"]),  # giving a role the manager does not hold
        (ids["admin"], []),  # taking one away
        (ids["m"], ["sales_manager", "user_admin", "admin"]),
    ]  # nor to oneself
    for user, roles in refused:
        data = await manager(ASSIGN, {"u": user, "r": roles})
        assert data["userAssignRole"] == {
            "user": None,
            "errors": [{"__typename": "Forbidden", "path": ["input", "roles"]}],
        }
    assert await _roles(engine, rep) == ["sales_rep"]
    assert await _roles(engine, tenant.admin_id) == ["admin"]

    data = await manager(ASSIGN, {"u": ids["rep"], "r": ["sales_rep", "sales_manager"]})
    assert data["userAssignRole"] == {"user": {"roles": ["sales_rep", "sales_manager"]}, "errors": []}
    # Who may write rules gains nothing from a role: the admin gives any.
    data = await gql(ASSIGN, {"u": ids["rep"], "r": ["analyst"]})
    assert data["userAssignRole"] == {"user": {"roles": ["analyst"]}, "errors": []}
