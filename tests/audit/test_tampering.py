"""`crm-graph audit verify` finds every way of tampering with a tenant's chain at the
database: any hashed column of an entry changed, an entry inserted, entries
reordered, the chain cut at its start, middle or end. Each case starts from an
intact chain of three entries that the command passes, tampers once, and expects
the command to fail naming the damage."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from crm_graph.platform.audit.chain import HASHED, entry_hash
from crm_graph.platform.audit.models import AuditEntry

LOG = AuditEntry.__table__
CREATE = """mutation($name: String!) { organizationCreate(input: {name: $name}) { organization { id } } }"""

# A changed value for each hashed column of entry 2 (tenant_id moves it to the other tenant).
CHANGED: dict[str, Callable[[dict[str, Any], Any], Any]] = {
    "tenant_id": lambda row, other: other.id,
    "seq": lambda row, other: 7,
    "occurred_at": lambda row, other: row["occurred_at"] + timedelta(microseconds=1),
    "actor_user_id": lambda row, other: uuid.uuid4(),
    "actor_api_key_id": lambda row, other: uuid.uuid4(),
    "action": lambda row, other: "organization.deleted",
    "record_type": lambda row, other: "contact",
    "record_id": lambda row, other: uuid.uuid4(),
    "changes": lambda row, other: {"name": [None, "Forged"]},
    "request_id": lambda row, other: "forged-request",
    "client_address": lambda row, other: "203.0.113.7",
    "prev_hash": lambda row, other: "0" * 64,
    "hash": lambda row, other: "0" * 64,
}


def test_every_hashed_column_is_tampered_with_below():
    assert set(HASHED) | {"prev_hash", "hash"} == set(CHANGED)


async def command(slug: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "crm_graph",
        "audit",
        "verify",
        "--tenant",
        slug,
        env=dict(os.environ),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    return process.returncode or 0, out.decode() + err.decode()


async def entries(conn: Any, tenant_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await conn.execute(sa.select(LOG).where(LOG.c.tenant_id == tenant_id).order_by(LOG.c.seq))
    return [dict(row._mapping) for row in rows]


async def set_values(conn: Any, row: dict[str, Any], **values: Any) -> None:
    await conn.execute(sa.update(LOG).where(LOG.c.id == row["id"]).values(**values))


async def insert_forged_at_end(conn: Any, rows: list[dict[str, Any]]) -> None:
    """An entry after the last, its hash computed as the app would: only the head
    (which the forger left alone) can tell."""
    last = rows[-1]
    forged = {
        **last,
        "id": uuid.uuid4(),
        "seq": last["seq"] + 1,
        "prev_hash": last["hash"],
        "changes": {"name": [None, "Forged"]},
    }
    forged["hash"] = entry_hash(last["hash"], forged)
    await conn.execute(sa.insert(LOG).values(**forged))


async def insert_forged_in_middle(conn: Any, rows: list[dict[str, Any]]) -> None:
    """Entries 2 and 3 move up one and a forged entry 2 follows entry 1."""
    for row in reversed(rows[1:]):
        await set_values(conn, row, seq=row["seq"] + 1)
    forged = {**rows[1], "id": uuid.uuid4(), "prev_hash": rows[0]["hash"], "action": "organization.deleted"}
    forged["hash"] = entry_hash(rows[0]["hash"], forged)
    await conn.execute(sa.insert(LOG).values(**forged))


async def swap_two(conn: Any, rows: list[dict[str, Any]]) -> None:
    second, third = rows[1], rows[2]
    await set_values(conn, second, seq=-1)
    await set_values(conn, third, seq=second["seq"])
    await set_values(conn, second, seq=third["seq"])


async def delete_seqs(conn: Any, rows: list[dict[str, Any]], *seqs: int) -> None:
    await conn.execute(sa.delete(LOG).where(LOG.c.id.in_([r["id"] for r in rows if r["seq"] in seqs])))


STRUCTURAL: dict[str, tuple[Callable[[Any, list[dict[str, Any]]], Awaitable[None]], str]] = {
    "insert at the end": (insert_forged_at_end, "the chain ends at entry 4 but its head says 3"),
    "insert in the middle": (insert_forged_in_middle, "entry 3: does not follow the entry before it"),
    "reorder": (swap_two, "entry 2: does not follow the entry before it"),
    "cut the start": (lambda conn, rows: delete_seqs(conn, rows, 1), "entry 1 is missing (next is 2)"),
    "cut the middle": (lambda conn, rows: delete_seqs(conn, rows, 2), "entry 2 is missing (next is 3)"),
    "cut the end": (lambda conn, rows: delete_seqs(conn, rows, 3), "the chain ends at entry 2 but its head says 3"),
    "truncate": (lambda conn, rows: delete_seqs(conn, rows, 1, 2, 3), "the chain ends at entry 0 but its head says 3"),
}


@pytest.fixture
async def chained(tenant, gql, engine) -> list[dict[str, Any]]:
    for name in ("A", "B", "C"):
        await gql(CREATE, {"name": name})
    assert await command(tenant.slug) == (0, f"{tenant.slug}: ok\n")
    async with engine.connect() as conn:
        return await entries(conn, tenant.id)


@pytest.mark.parametrize("column", list(CHANGED))
async def test_a_changed_column_is_detected(tenant, other, engine, chained, column):
    async with engine.begin() as conn:
        await set_values(conn, chained[1], **{column: CHANGED[column](chained[1], other)})

    status, output = await command(tenant.slug)
    assert status == 1 and "BROKEN" in output, output
    assert "entry 2" in output or "entry 3" in output, output


@pytest.mark.parametrize("case", list(STRUCTURAL))
async def test_inserted_reordered_and_removed_entries_are_detected(tenant, engine, chained, case):
    tamper, says = STRUCTURAL[case]
    async with engine.begin() as conn:
        await tamper(conn, chained)

    status, output = await command(tenant.slug)
    assert status == 1 and "BROKEN" in output, output
    assert says in output, output
