"""Dropping cached permissions in every process when a tenant's rules change.

Requests re-check the tenant's policy_version anyway; this reaches processes that
hold permissions for longer (open subscriptions, workers) within moments.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from crm_graph.kernel import broadcast
from crm_graph.kernel.db import DomainEvent
from crm_graph.platform.authz.enforcer import POLICIES, PolicyStore
from crm_graph.platform.authz.service import POLICY_EVENTS

CHANNEL = "crm:policy"
log = logging.getLogger(__name__)


def announcer(redis: Any) -> Callable[[uuid.UUID, list[DomainEvent]], Awaitable[None]]:
    async def announce(tenant_id: uuid.UUID, events: list[DomainEvent]) -> None:
        if any(e.type in POLICY_EVENTS for e in events):
            POLICIES.invalidate(tenant_id)
            try:
                await redis.publish(CHANNEL, str(tenant_id))
            except Exception:
                # Other processes still see the new policy_version on their next
                # request; only long-lived holders wait for their next refresh.
                log.warning("policy change not announced: Redis unavailable", exc_info=True)

    return announce


async def listen(redis: Any, store: PolicyStore = POLICIES) -> None:
    """Runs until cancelled; reconnects after Redis errors."""
    await broadcast.listen(redis, CHANNEL, lambda data: store.invalidate(uuid.UUID(data.decode())))
