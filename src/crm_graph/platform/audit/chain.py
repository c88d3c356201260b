"""The per-tenant hash chain of audit entries: verifying it (how an entry is hashed is
crm_graph.kernel.chain, re-exported here).

Each entry's hash is sha256 over the previous entry's hash and a canonical JSON of
the entry, so editing, inserting or deleting an entry breaks every hash after it,
and deleting the newest ones no longer matches the chain's head. Entries are appended
by crm_graph.kernel.journal, with the unit of work's outbox events, in one statement.
"""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa

from crm_graph.kernel.chain import HASHED as HASHED
from crm_graph.kernel.chain import SECRET_MARKERS as SECRET_MARKERS
from crm_graph.kernel.chain import Entry as Entry
from crm_graph.kernel.chain import entry_hash as entry_hash
from crm_graph.kernel.chain import hashed_parts as hashed_parts
from crm_graph.kernel.chain import redact as redact
from crm_graph.platform.audit.models import AuditEntry, AuditHead

LOG = AuditEntry.__table__
HEADS = AuditHead.__table__


async def verify(conn: Any, tenant_id: uuid.UUID) -> list[str]:
    """Problems found in a tenant's chain; empty when it is intact."""
    problems: list[str] = []
    prev, expected_seq = "", 1
    result = await conn.stream(sa.select(LOG).where(LOG.c.tenant_id == tenant_id).order_by(LOG.c.seq))
    async for row in result:
        data = dict(row._mapping)
        if data["seq"] != expected_seq:
            problems.append(f"entry {expected_seq} is missing (next is {data['seq']})")
        if data["prev_hash"] != prev:
            problems.append(f"entry {data['seq']}: does not follow the entry before it")
        if entry_hash(data["prev_hash"], data) != data["hash"]:
            problems.append(f"entry {data['seq']}: its content was changed")
        prev, expected_seq = data["hash"], data["seq"] + 1
    head = (await conn.execute(sa.select(HEADS).where(HEADS.c.tenant_id == tenant_id))).first()
    if head is None and expected_seq > 1:
        problems.append("the chain's head is missing: entries may have been removed from its end")
    elif head is not None and (head.seq != expected_seq - 1 or head.hash != prev):
        problems.append(
            f"the chain ends at entry {expected_seq - 1} but its head says {head.seq}: entries were removed"
        )
    return problems
