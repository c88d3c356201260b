"""Bulk loads that scale: a table's secondary indexes set aside while COPY fills it.

PostgreSQL maintains every index of a table row by row during COPY; with the demo
tables' fifty-odd secondary indexes (several of them GIN trigram indexes) that made a
100,000-organization seed load at 0.72 of the rows per second of a 10,000 one, and the
gap widens as the indexes outgrow memory. Building an index once over the loaded
table is a sort, not a hundred million random insertions.

`indexes_set_aside` reads the definitions from `pg_indexes` (so they are exactly what
the migrations made), drops the indexes and runs the same definitions again when the
block ends, all inside the caller's transaction: a failed load rolls the drops back
with the rows. Indexes behind constraints (primary keys, unique constraints) stay:
foreign keys check against them during the load. The tables are locked (ACCESS
EXCLUSIVE) until the transaction ends, which suits a volume seed, not a live tenant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import sqlalchemy as sa
import structlog
from sqlalchemy.ext.asyncio import AsyncConnection

log = structlog.get_logger(__name__)

# Memory for each index build (the session's default is 64 MB); local to the transaction.
BUILD_MEMORY = "256MB"

_SECONDARY = sa.text("""
    SELECT i.indexname, i.indexdef
    FROM pg_indexes i
    WHERE i.schemaname = current_schema() AND i.tablename = ANY(:tables)
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                      WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)
    ORDER BY i.tablename, i.indexname""")


async def secondary_indexes(conn: AsyncConnection, tables: Sequence[str]) -> dict[str, str]:
    """Name -> definition of the indexes of `tables` that no constraint relies on."""
    rows = await conn.execute(_SECONDARY, {"tables": list(tables)})
    return {name: definition for name, definition in rows.tuples()}


@asynccontextmanager
async def indexes_set_aside(conn: AsyncConnection, tables: Sequence[str]) -> AsyncIterator[dict[str, str]]:
    """Drop the secondary indexes of `tables` for the block; build them again after it
    (only if it succeeds: on an exception the caller's transaction rolls back the drops)."""
    definitions = await secondary_indexes(conn, tables)
    for name in definitions:
        await conn.execute(sa.text(f'DROP INDEX "{name}"'))
    log.info("seed.indexes_dropped", count=len(definitions))
    yield definitions
    await conn.execute(sa.text(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'"))
    for definition in definitions.values():
        await conn.execute(sa.text(definition))
    log.info("seed.indexes_rebuilt", count=len(definitions))
