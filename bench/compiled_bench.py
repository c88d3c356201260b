"""The compiled read path against the ordinary executor, in process, on one connection:
q1 (50 organizations x 10 contacts x 5 interactions) as a sales rep (row scopes on).

Reports per-request wall time of each path (parse and validation excluded: both get
the same document), the compiled statement's execution time inside PostgreSQL
(EXPLAIN ANALYZE), and checks that both answer the same bytes.

    CRM_DATABASE_URL=... CRM_REDIS_URL=... .venv/bin/python -m bench.compiled_bench [organizations]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import asyncpg as asyncpg_dialect

from bench.common import bench_database, report
from crm_graph import compiled
from crm_graph.api.schema import schema
from crm_graph.api.transport.context import Context
from crm_graph.compiled.build import Builder
from crm_graph.compiled.root import statement
from crm_graph.compiled.selection import Operation
from crm_graph.kernel.actor import Identity
from crm_graph.kernel.db import APP_ROLE, RequestDB, make_engine
from crm_graph.platform.authz.actors import load_actor
from crm_graph.platform.identity.models import User
from graphql import get_operation_ast, parse

Q1 = """{ organizations(first: 50) { edges { node { id name industry createdAt
  contacts(first: 10) { edges { node { id firstName lastName
    interactions(first: 5) { edges { node { id kind subject occurredAt } } } } } } } } } }"""
ROUNDS = 40
PLAN_FILE = os.environ.get("CRM_BENCH_PLAN")  # write the statement and its plan there


async def _explain(ctx: Context, document: Any, operation: Any) -> float:
    builder = Builder(Operation(schema, document, operation, {}), ctx.actor, emit=True)
    stmt = await statement(builder, ctx)
    compiled_stmt = stmt.compile(dialect=asyncpg_dialect.dialect())
    params = {**compiled_stmt.params, **builder.values}
    # EXPLAIN of the same text with the same parameters, on the request's own connection.
    conn = await ctx.db._connection()
    raw = (await conn.get_raw_connection()).driver_connection
    if PLAN_FILE:
        text_plan = await raw.fetch(
            "EXPLAIN (ANALYZE, BUFFERS) " + compiled_stmt.string, *[params[n] for n in compiled_stmt.positiontup]
        )
        Path(PLAN_FILE).write_text(compiled_stmt.string + "\n\n" + "\n".join(r[0] for r in text_plan))
    plan = await raw.fetchval(
        "EXPLAIN (ANALYZE, FORMAT JSON) " + compiled_stmt.string, *[params[n] for n in compiled_stmt.positiontup]
    )
    plan = orjson.loads(plan) if isinstance(plan, str) else plan  # SQLAlchemy's json codec may decode it
    return float(plan[0]["Execution Time"])


async def main(organizations: int) -> None:
    async with bench_database("compiled") as (url, _redis):
        from crm_graph.seed import seed_demo

        await seed_demo(url, organizations=organizations, seed=7)
        engine = make_engine(url, 2, role=APP_ROLE)
        owner = make_engine(url, 1)
        async with owner.connect() as conn:
            user = User.__table__
            row = (
                await conn.execute(sa.select(user.c.id, user.c.tenant_id).where(user.c.email == "rep1@demo.example"))
            ).one()
        await owner.dispose()
        db = RequestDB(engine, row.tenant_id)
        actor = await load_actor(db, Identity(row.tenant_id, row.id))
        document = parse(Q1)
        operation = get_operation_ast(document)
        times: dict[str, list[float]] = {"compiled": [], "ordinary": []}
        body = ordinary = b""
        for _ in range(ROUNDS):
            start = time.perf_counter()
            body = await compiled.execute(schema, Context(actor=actor, db=db), document, operation, {})
            times["compiled"].append(time.perf_counter() - start)
            start = time.perf_counter()
            result = await schema.execute(Q1, context_value=Context(actor=actor, db=db))
            ordinary = orjson.dumps({"data": result.data})
            times["ordinary"].append(time.perf_counter() - start)
        assert body == ordinary, "the paths answer differently"
        walks = []
        for _ in range(ROUNDS):  # the compiled path's Python work before the statement
            start = time.perf_counter()
            await statement(
                Builder(Operation(schema, document, operation, {}), actor, emit=False), Context(actor=actor, db=db)
            )
            walks.append(time.perf_counter() - start)
        sql_ms = statistics.median([await _explain(Context(actor=actor, db=db), document, operation) for _ in range(5)])
        await db.close()
        await engine.dispose()
    medians = {k: statistics.median(v) * 1000 for k, v in times.items()}
    report(
        "compiled-q1",
        {
            "query": "q1 as sales_rep",
            "organizations_seeded": organizations,
            "rounds": ROUNDS,
            "response_bytes": len(body),
            "ordinary_ms_median": round(medians["ordinary"], 2),
            "compiled_ms_median": round(medians["compiled"], 2),
            "compiled_statement_execution_ms_median": round(sql_ms, 2),
            "compiled_walk_ms_median": round(statistics.median(walks) * 1000, 2),
            "speedup": round(medians["ordinary"] / medians["compiled"], 1),
        },
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
