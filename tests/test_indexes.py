"""Every foreign key and every column a list filter or ordering reads is indexed."""

from __future__ import annotations

import sqlalchemy as sa

from crm_graph.domains import enabled  # noqa: F401  (every domain's declarations)
from crm_graph.kernel.db import make_engine
from crm_graph.readside.spec import FilterOp, entities

# Boolean flags are left to the tenant index: an index on them would not be selective.
UNINDEXED_OK = {("contacts", "email_opt_in")}
SMALL_TABLES = {
    "users",
    "teams",
    "relationship_kinds",
    "stages",
    "pipelines",
    "opportunity_stage_changes",
    "roles",
    "policy_rules",
    "api_keys",
}


async def _indexed_columns(url: str) -> dict[str, set[str]]:
    """Table -> columns that lead some index (or follow tenant_id in one)."""
    engine = make_engine(url)
    query = sa.text("""
        SELECT t.relname AS table_name, i.indkey::int2[] AS keys, array_agg(a.attname ORDER BY a.attnum) AS names,
               array_agg(a.attnum ORDER BY a.attnum) AS nums
        FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey)
        GROUP BY t.relname, i.indkey
    """)
    out: dict[str, set[str]] = {}
    async with engine.connect() as conn:
        for row in (await conn.execute(query)).all():
            by_num = dict(zip(row.nums, row.names))
            keys = [by_num[k] for k in row.keys if k in by_num]
            lead = keys[1:2] if keys[:1] == ["tenant_id"] else keys[:1]
            out.setdefault(row.table_name, set()).update(keys[:1] + lead)
    await engine.dispose()
    return out


async def test_every_foreign_key_is_indexed(database_url):
    indexed = await _indexed_columns(database_url)
    engine = make_engine(database_url)
    async with engine.connect() as conn:
        fks = (
            await conn.execute(
                sa.text("""
            SELECT c.conrelid::regclass::text AS table_name, a.attname AS column_name
            FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
        """)
            )
        ).all()
    await engine.dispose()
    missing = [f"{r.table_name}.{r.column_name}" for r in fks if r.column_name not in indexed.get(r.table_name, set())]
    assert not missing, f"foreign keys without an index: {missing}"


async def test_every_filter_and_ordering_column_is_indexed(database_url):
    indexed = await _indexed_columns(database_url)
    missing = []
    for entity in entities():
        table = entity.table.name
        if table in SMALL_TABLES:
            continue
        columns = {c for f in entity.filters if f.op is not FilterOp.IS_NULL for c in f.columns}
        for column in columns:
            if column not in indexed.get(table, set()) and (table, column) not in UNINDEXED_OK:
                missing.append(f"{table}.{column}")
    assert not missing, f"filter columns without an index: {sorted(missing)}"
