"""Approval requests, asked for and decided by other domains' use cases.

The asking use case has already checked that its actor may submit the record, and
the deciding one that its actor may approve it (a rule on the record's type, such as
`quote approve`): these functions keep the request's own rules: one pending request
per record, and nobody decides their own request.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.approvals.models import ApprovalRequest, ApprovalStatus
from crm_graph.kernel import writes
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.errors import Forbidden

TABLE: sa.Table = ApprovalRequest.__table__
PENDING, APPROVED, REJECTED, CANCELLED = (s.value for s in ApprovalStatus)


async def request(uow: UnitOfWork, record_type: str, record_id: uuid.UUID, kind: str, reason: str) -> Mapping[str, Any]:
    """A new pending request for the record; one still pending is cancelled first."""
    existing = await pending(uow, record_type, record_id)
    if existing is not None:
        await close(uow, existing, CANCELLED)
    values = {
        "record_type": record_type,
        "record_id": record_id,
        "kind": kind,
        "reason": reason,
        "status": PENDING,
        "requested_by_id": uow.actor_id,
    }
    return await writes.insert(uow, TABLE, "approval_request", values)


async def pending(uow: UnitOfWork, record_type: str, record_id: uuid.UUID) -> Mapping[str, Any] | None:
    """The record's pending request, locked; None when there is none."""
    stmt = (
        sa.select(TABLE)
        .where(
            TABLE.c.tenant_id == uow.tenant_id,
            TABLE.c.record_type == record_type,
            TABLE.c.record_id == record_id,
            TABLE.c.status == PENDING,
        )
        .with_for_update()
    )
    row = (await uow.execute(stmt)).first()
    return dict(row._mapping) if row is not None else None


async def decide(uow: UnitOfWork, found: Mapping[str, Any], approved: bool, comment: str | None) -> Mapping[str, Any]:
    """Approve or reject a pending request, as the unit of work's actor."""
    if found["requested_by_id"] is not None and found["requested_by_id"] == uow.actor_id:
        raise Forbidden("You cannot decide an approval you requested; another approver must.")
    status = APPROVED if approved else REJECTED
    return await close(uow, found, status, comment)


async def close(
    uow: UnitOfWork, found: Mapping[str, Any], status: str, comment: str | None = None
) -> Mapping[str, Any]:
    changes: dict[str, Any] = {"status": status, "decided_at": sa.func.now(), "comment": comment}
    if status != CANCELLED:
        changes["decided_by_id"] = uow.actor_id
    return await writes.update(
        uow, TABLE, "approval_request", found["id"], changes, event=f"approval_request.{status}", before=found
    )
