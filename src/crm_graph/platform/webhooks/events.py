"""The webhooks domain's event types: the endpoints themselves (never their secrets)."""

from __future__ import annotations

from crm_graph.kernel.catalog import EventType, lifecycle
from crm_graph.platform.webhooks.models import Webhook

EVENT_TYPES: list[EventType] = [
    *lifecycle("webhook", Webhook.__table__, actions=("created", "updated")),
    EventType("webhook.deleted", "webhook", "A webhook endpoint was deleted.", ("url",)),
    EventType(
        "webhook.secret_rotated",
        "webhook",
        "A webhook's signing secret was rotated; the previous one still verifies until previous_secret_expires_at.",
        ("previous_secret_expires_at",),
    ),
]
