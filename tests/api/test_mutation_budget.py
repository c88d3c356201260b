"""The round trips of a write are pinned: `opportunityMoveStage` (the benchmark's m1)
sends a fixed number of statements and only the transaction its unit of work needs.

Every round trip to PostgreSQL on the write path costs the server a wake-up of its
backend and the tenant a longer hold of its audit and outbox heads; a regression here
shows as a lower per-tenant write rate long before it shows as a failing feature.
"""

from __future__ import annotations

import sqlalchemy as sa
from tests.api.test_opportunities import default_pipeline, ok, opportunity

from crm_graph.kernel.db import statement_counter

MOVE = """mutation($input: OpportunityMoveStageInput!) { opportunityMoveStage(input: $input) {
  opportunity { id version stage { id } } errors { __typename message } } }"""

# The actor, re-checked; the opportunity, locked, with the target stage; the update with
# its stage history (one statement); the audit entry and outbox event, staged (one
# statement; COMMIT writes them). The answer's stage is the one the use case checked,
# not read again.
STATEMENTS = 4
# BEGIN and COMMIT of the unit of work; the reads before and after it run without one.
TRANSACTION_CONTROL = 2


async def _written(tenant, table: str) -> int:
    async with tenant.engine.connect() as conn:
        return (
            await conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant.id})
        ).scalar_one()


async def test_move_stage_sends_a_pinned_number_of_statements(tenant, gql):
    pipeline = await default_pipeline(gql)
    open_stages = [
        e["node"]["id"] for e in pipeline["stages"]["edges"] if not e["node"]["isWon"] and not e["node"]["isLost"]
    ]
    deal = await opportunity(gql)
    # The first move loads the tenant's rules and caches the actor, as a running server has.
    ok(await gql(MOVE, {"input": {"id": deal["id"], "stageId": open_stages[1]}}), "opportunityMoveStage", "opportunity")
    before = {t: await _written(tenant, t) for t in ("audit_log", "outbox", "opportunity_stage_changes")}

    async with statement_counter() as n:
        moved = ok(
            await gql(MOVE, {"input": {"id": deal["id"], "stageId": open_stages[2]}}),
            "opportunityMoveStage",
            "opportunity",
        )

    assert moved["stage"]["id"] == open_stages[2] and moved["version"] == deal["version"] + 2
    # Still one audit entry, one outbox event and one history row for the move.
    assert {t: await _written(tenant, t) - before[t] for t in before} == {
        "audit_log": 1,
        "outbox": 1,
        "opportunity_stage_changes": 1,
    }
    assert (n[0], n[2]) == (STATEMENTS, TRANSACTION_CONTROL)
