"""Bulk loads that scale: a table's secondary indexes set aside while COPY fills it.

PostgreSQL maintains every index of a table row by row during COPY; with the demo
tables' fifty-odd secondary indexes (several of them GIN trigram indexes) that made a
100,000-organization seed load at 0.72 of the rows per second of a 10,000 one, and the
gap widens as the indexes outgrow memory. Building an index once over the loaded
table is a sort, not a hundred million random insertions.

`indexes_set_aside` reads the definitions from `pg_indexes` (so they are exactly what
the migrations made), drops the indexes and runs the same definitions again when the
block ends, all inside the caller's transaction: a failed load rolls the drops back
with the rows. `constraints_set_aside` does the same for the keys (primary and unique)
and foreign keys, whose indexes are what is left. The tables are locked (ACCESS
EXCLUSIVE) until the transaction ends, which suits a volume seed, not a live tenant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

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


_CONSTRAINTS = sa.text("""
    WITH bulk AS (SELECT oid FROM pg_class
                  WHERE relnamespace = current_schema()::regnamespace AND relname = ANY(:tables))
    SELECT c.conrelid::regclass::text AS tbl, c.conname, c.contype, pg_get_constraintdef(c.oid) AS def
    FROM pg_constraint c
    WHERE (c.contype IN ('p', 'u', 'f') AND c.conrelid IN (SELECT oid FROM bulk))
       OR (c.contype = 'f' AND c.confrelid IN (SELECT oid FROM bulk))
    ORDER BY c.contype = 'f', tbl, c.conname""")


async def key_constraints(conn: AsyncConnection, tables: Sequence[str]) -> list[tuple[str, str, str, str]]:
    """(table, name, type, definition) of the primary keys and unique constraints of
    `tables`, and of every foreign key from or to them: keys first."""
    rows = await conn.execute(_CONSTRAINTS, {"tables": list(tables)})
    return [(t, name, kind, definition) for t, name, kind, definition in rows.tuples()]


@asynccontextmanager
async def constraints_set_aside(conn: AsyncConnection, tables: Sequence[str]) -> AsyncIterator[list[Any]]:
    """Drop the keys and foreign keys of `tables` for the block; add them again after it,
    which checks every row once (a sort per key, a join per foreign key).

    While COPY loads a table with its keys in place, every row is an insertion at a
    random place of each key's index (the ids are random) and a look-up, per foreign
    key, in the parent's: cheap while those indexes fit in memory, ever dearer as they
    outgrow it, which is what made a large seed's rate fall with its size. Nothing is
    trusted: the constraints come back validated, exactly as the migrations defined
    them (`pg_get_constraintdef`); a violation fails the seed and rolls it all back."""
    constraints = await key_constraints(conn, tables)
    for table, name, _, _ in reversed(constraints):  # foreign keys first: they depend on the keys
        await conn.execute(sa.text(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"'))
    log.info("seed.constraints_dropped", count=len(constraints))
    yield constraints
    await conn.execute(sa.text(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'"))
    for table, name, _, definition in constraints:
        await conn.execute(sa.text(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'))
    log.info("seed.constraints_added", count=len(constraints))


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
