"""The accounts domain's event types."""

from __future__ import annotations

from crm_graph.domains.accounts.models import Organization
from crm_graph.kernel.catalog import EventType, lifecycle

EVENT_TYPES: list[EventType] = lifecycle("organization", Organization.__table__)
