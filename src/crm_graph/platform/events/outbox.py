"""The outbox's event ids and notification channel.

Events are written by crm_graph.kernel.journal in the unit of work's transaction: a
rolled-back change leaves no event; a committed one leaves exactly one per domain
event, numbered in commit order per tenant (the head row's lock is held to commit,
so a later number is never visible before an earlier one).
"""

from __future__ import annotations

from crm_graph.kernel.journal import NOTIFY_CHANNEL as NOTIFY_CHANNEL
from crm_graph.platform.events.models import OutboxEvent, OutboxHead

OUTBOX = OutboxEvent.__table__
HEADS = OutboxHead.__table__


def event_id(seq: int) -> str:
    """The public id of an event: sortable as text, opaque enough to pass back as `after`."""
    return f"{seq:016d}"


def parse_event_id(value: str) -> int | None:
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    seq = int(value)
    return seq if seq < 2**63 else None
