"""Values that are hard to print the same way twice, and records that change between
pages, in a fresh tenant of their own."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import orjson
import pytest
import sqlalchemy as sa
from tests.compiled.paths import Both

from crm_graph.domains.accounts.models import Organization
from crm_graph.domains.relationships.models import Relationship

ORGS = Organization.__table__
EDGES = Relationship.__table__

NAMES = ['Zeta "quoted" \\ back', "Émile & Søn 🚀", "tab\there\nnewline\x01ctl", "  spaces  ", "a/b\u2028c\x7f", "Ω"]
ATTRIBUTES = [
    {},
    {"z": 1, "a": [1, 2, {"k": "v: w, x"}], "nested": {"b": True, "n": None}},
    {"text": 'with "quotes" and \\ and \n', "uni": "é🚀", "big": 9007199254740993, "neg": -5},
    {"s": "  ", "e": [], "o": {}},
]


@pytest.fixture
async def values(tenant, engine, app_engine):
    rows = []
    base = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)  # no microseconds: isoformat leaves them out
    for i, name in enumerate(NAMES):
        rows.append(
            {
                "id": uuid.uuid4(),
                "tenant_id": tenant.id,
                "name": name,
                "owner_id": tenant.admin_id,
                "kinds": ["customer", "partner"][: i % 3],
                "tags": [name, "x"],
                "size": None if i % 2 else i,
                "attributes": ATTRIBUTES[i % len(ATTRIBUTES)],
                "created_at": base.replace(microsecond=i * 1000 if i % 2 else 0),
                "updated_at": base,
            }
        )
    edges = []
    for i, strength in enumerate([0.0, 1.0, 0.5, None, 0.123456789, 0.0001]):
        edges.append(
            {
                "id": uuid.uuid4(),
                "tenant_id": tenant.id,
                "kind": "partner_of",
                "source_type": "organization",
                "source_id": rows[i]["id"],
                "target_type": "organization",
                "target_id": rows[(i + 1) % len(rows)]["id"],
                "strength": strength,
            }
        )
    async with engine.begin() as conn:
        await conn.execute(sa.insert(ORGS), rows)
        await conn.execute(sa.insert(EDGES), edges)
    return Both(app_engine, tenant.id, tenant.admin_id)


async def test_text_json_arrays_and_timestamps(values):
    body = await values.same("""{ organizations(first: 10, orderBy: {field: NAME}) { totalCount
        edges { cursor node { name kinds tags size attributes createdAt updatedAt archivedAt } } } }""")
    assert "🚀".encode() in body and b"\\u0001" in body


async def test_floats_and_float_cursors(values):
    both = values
    for direction in ("ASC", "DESC"):
        q = f"""query($c: String) {{ relationships(first: 2, after: $c, orderBy: {{field: STRENGTH, direction: {direction}}}) {{
            pageInfo {{ endCursor hasNextPage }} edges {{ cursor node {{ strength kind source {{ id }} }} }} }} }}"""
        cursor = None
        for _ in range(4):
            page = orjson.loads(await both.same(q, {"c": cursor}))
            cursor = page["data"]["relationships"]["pageInfo"]["endCursor"]
            if not page["data"]["relationships"]["pageInfo"]["hasNextPage"]:
                break


async def test_values_sql_cannot_print_alike_fall_back(values, engine, tenant):
    async with engine.begin() as conn:
        await conn.execute(
            sa.update(ORGS).where(ORGS.c.tenant_id == tenant.id, ORGS.c.name == "Ω").values(attributes={"ratio": 1.10})
        )
        await conn.execute(
            sa.update(EDGES).where(EDGES.c.tenant_id == tenant.id, EDGES.c.strength == 0.0001).values(strength=0.00001)
        )
    out = await values.run("{ organizations(first: 10) { edges { node { attributes } } } }")
    assert out.ordinary is not None and out.compiled is None and out.reason == "unrepresentable_value"
    out = await values.run("{ relationships(first: 10) { edges { node { strength } } } }")
    assert out.ordinary is not None and out.compiled is None and out.reason == "unrepresentable_value"
    out = await values.run("{ relationships(first: 10, orderBy: {field: STRENGTH}) { edges { cursor } } }")
    assert out.ordinary is not None and out.compiled is None and out.reason == "unrepresentable_value"
    # fields next to them still compile
    await values.same(
        "{ organizations(first: 10) { edges { node { name } } } relationships(first: 10) { totalCount } }"
    )


async def test_a_record_archived_between_pages(values, engine, tenant):
    q = """query($c: String, $arch: Boolean = false) { organizations(first: 2, after: $c, includeArchived: $arch) { totalCount
        pageInfo { endCursor hasNextPage hasPreviousPage } edges { cursor node { name archivedAt } } } }"""
    first = orjson.loads(await values.same(q))
    edges = first["data"]["organizations"]["edges"]
    async with engine.begin() as conn:  # the last record of page one, and the first of page two
        await conn.execute(
            sa.update(ORGS)
            .where(
                ORGS.c.tenant_id == tenant.id,
                ORGS.c.name.in_([NAMES[0], NAMES[1], NAMES[2], NAMES[3], NAMES[4], NAMES[5]][1:2]),
            )
            .values(archived_at=sa.func.now())
        )
    for c in (edges[-1]["cursor"], edges[0]["cursor"], None):
        await values.same(q, {"c": c})
        await values.same(q, {"c": c, "arch": True})
    await values.same("""{ organizations(last: 3, includeArchived: true) { pageInfo { startCursor hasPreviousPage } edges { node { name } } }
        o: organizations(first: 10) { edges { node { id relationships(first: 5) { totalCount edges { node { source { id } target { id } } } } } } } }""")
