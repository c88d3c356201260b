"""Authorization costs (issue 3 figures).

1. A permission check with 10,000 policy lines in the tenant: the raw Casbin
   enforce call, and the compiled lookup the API actually does per check.
2. The nested 50 organizations x 10 contacts x 5 interactions query as a sales rep
   (row scopes on) versus as an admin, alternating, same process and database.

Run: .venv/bin/python bench/authz_bench.py   (or `make bench`)
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time
import uuid
from typing import Any

import httpx
import sqlalchemy as sa

from crm_graph.kernel.db import make_engine
from crm_graph.platform.authz.enforcer import PolicyStore
from crm_graph.platform.authz.models import PolicyRule
from crm_graph.platform.identity.auth import issue_token
from crm_graph.platform.identity.models import Tenant, User

SECRET = "bench-secret-of-at-least-thirty-two-bytes"
NESTED = """{ organizations(first: 50, orderBy: {field: NAME}) { edges { node { id name
  contacts(first: 10) { edges { node { id firstName lastName
    interactions(first: 5) { edges { node { id kind subject occurredAt } } } } } } } } } }"""


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


async def add_policy_lines(engine: Any, tenant_id: uuid.UUID, n: int) -> None:
    rng = random.Random(1)
    objects = ["organization", "contact", "opportunity", "interaction", "task", "relationship"]
    rows = [
        {
            "tenant_id": tenant_id,
            "ptype": "p",
            "subject": f"custom_role_{i % 500}",
            "object": f"{rng.choice(objects)}.field_{i}",
            "action": rng.choice(["read", "update"]),
            "scope": rng.choice(["own", "team", "tenant"]),
            "effect": rng.choice(["allow", "deny"]),
        }
        for i in range(n)
    ]
    async with engine.begin() as conn:
        await conn.execute(sa.insert(PolicyRule.__table__), rows)
        await conn.execute(
            sa.update(Tenant.__table__)
            .where(Tenant.__table__.c.id == tenant_id)
            .values(policy_version=Tenant.__table__.c.policy_version + 1)
        )


async def permission_checks(engine: Any, tenant_id: uuid.UUID) -> dict[str, float]:
    store = PolicyStore()
    async with engine.connect() as conn:
        version = (
            await conn.execute(sa.select(Tenant.__table__.c.policy_version).where(Tenant.__table__.c.id == tenant_id))
        ).scalar_one()
        lines = (
            await conn.execute(
                sa.select(sa.func.count())
                .select_from(PolicyRule.__table__)
                .where(PolicyRule.__table__.c.tenant_id == tenant_id)
            )
        ).scalar_one()
        started = time.perf_counter()
        perms = await store.permissions(conn, tenant_id, version, ("sales_rep",))
        load_ms = (time.perf_counter() - started) * 1000
    tenant_wide = store._tenants[tenant_id][1]
    rng = random.Random(2)
    objects = ["organization", "contact", "opportunity", "interaction", "task", "relationship"]
    requests = [(rng.choice(objects), rng.choice(["read", "create", "update", "archive"])) for _ in range(2000)]
    whole, role_set, cached = [], [], []
    for obj, act in requests[:200]:  # the whole tenant's 10,000 lines: slow, so fewer samples
        t0 = time.perf_counter()
        tenant_wide.enforce("sales_rep", perms.domain, obj, act, "own")
        whole.append((time.perf_counter() - t0) * 1000)
    for obj, act in requests:
        t0 = time.perf_counter()
        perms.enforcer.enforce(perms.subject, perms.domain, obj, act, "own")
        role_set.append((time.perf_counter() - t0) * 1000)
    for obj, act in requests:
        t0 = time.perf_counter()
        perms.scope(obj, act)
        cached.append((time.perf_counter() - t0) * 1000)
    return {
        "policy_lines": lines,
        "load_and_compile_ms": round(load_ms, 1),
        "tenant_wide_enforce_p50_ms": round(pct(whole, 0.5), 3),
        "tenant_wide_enforce_p99_ms": round(pct(whole, 0.99), 3),
        "check_uncached_p50_ms": round(pct(role_set, 0.5), 4),
        "check_uncached_p99_ms": round(pct(role_set, 0.99), 4),
        "check_p50_ms": round(pct(cached, 0.5), 5),
        "check_p99_ms": round(pct(cached, 0.99), 5),
    }


async def scoped_query_slowdown(app: Any, tokens: dict[str, str], rounds: int = 30) -> dict[str, float]:
    timings: dict[str, list[float]] = {name: [] for name in tokens}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
        for token in tokens.values():  # warm caches and plans
            await client.post("/graphql", json={"query": NESTED}, headers={"Authorization": f"Bearer {token}"})
        for _ in range(rounds):
            for name, token in tokens.items():
                t0 = time.perf_counter()
                r = await client.post("/graphql", json={"query": NESTED}, headers={"Authorization": f"Bearer {token}"})
                timings[name].append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200 and not r.json().get("errors"), r.text[:300]
    medians = {name: statistics.median(v) for name, v in timings.items()}
    return {
        "admin_median_ms": round(medians["admin"], 1),
        "rep_median_ms": round(medians["rep"], 1),
        "rep_over_admin": round(medians["rep"] / medians["admin"], 3),
    }


async def run(database_url: str, redis_url: str) -> dict[str, Any]:
    from crm_graph.app import create_app
    from crm_graph.kernel.settings import Settings
    from crm_graph.seed import seed_demo

    await seed_demo(database_url, organizations=300, seed=11)
    engine = make_engine(database_url, 2)
    async with engine.connect() as conn:
        tenant_id = (
            await conn.execute(sa.select(Tenant.__table__.c.id).where(Tenant.__table__.c.slug == "demo"))
        ).scalar_one()
        users = dict(
            (
                await conn.execute(
                    sa.select(User.__table__.c.email, User.__table__.c.id).where(
                        User.__table__.c.tenant_id == tenant_id
                    )
                )
            ).all()
        )
    await add_policy_lines(engine, tenant_id, 10_000)
    checks = await permission_checks(engine, tenant_id)
    await engine.dispose()
    # Cost budgets off, as in the HTTP benchmark: 62 back-to-back queries of cost 3,601
    # spend a tenant's budget once they are fast enough (and then measure a 429).
    app = create_app(
        Settings(database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, rate_limit_enabled=False)
    )
    tokens = {
        "admin": issue_token(SECRET, tenant_id, users["admin@demo.example"]),
        "rep": issue_token(SECRET, tenant_id, users["rep1@demo.example"]),
    }
    async with app.router.lifespan_context(app):
        slowdown = await scoped_query_slowdown(app, tokens)
    return {
        "permission_check": checks,
        "nested_50x10x5_scoped_vs_admin": slowdown,
        "targets": {"check_p99_ms": "< 1", "rep_over_admin": "< 1.15"},
    }


if __name__ == "__main__":
    from bench.common import bench_database, report

    async def main() -> None:
        async with bench_database("authz") as (database_url, redis_url):
            report("authz", await run(database_url, redis_url))

    asyncio.run(main())
