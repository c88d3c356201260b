"""The outbox's scheduled jobs: the relay's safety net and retention."""

from __future__ import annotations

from typing import Any

from crm_graph.platform.events import relay, streams


async def sweep_outbox(ctx: dict[str, Any]) -> int:
    """Relay what has waited more than 30 s: the net under a missed NOTIFY."""
    return await relay.sweep(ctx["engine"], ctx["redis"], retention_days=ctx["settings"].event_retention_days)


async def prune_events(ctx: dict[str, Any]) -> int:
    """Drop relayed events past CRM_EVENT_RETENTION_DAYS from the outbox and the streams."""
    return await streams.prune(ctx["engine"], ctx["redis"], retention_days=ctx["settings"].event_retention_days)
