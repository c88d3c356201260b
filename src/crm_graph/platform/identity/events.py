"""The identity domain's event types: API keys, users' roles and tenant settings."""

from __future__ import annotations

from crm_graph.kernel.catalog import EventType, lifecycle, payload_of
from crm_graph.platform.identity.api_key_models import ApiKey
from crm_graph.platform.identity.models import Team

EVENT_TYPES: list[EventType] = [
    EventType(
        "api_key.created",
        "api_key",
        "An API key was created (never its secret).",
        payload_of(ApiKey.__table__, omit=("last_used_at", "revoked_at")),
    ),
    EventType("api_key.revoked", "api_key", "An API key was revoked.", ("revoked_at",)),
    EventType("user.roles_changed", "user", "A user's roles changed.", ("roles",)),
    EventType(
        "user.deactivated",
        "user",
        "A user was deactivated: they can no longer sign in, their API keys are revoked and their webhooks disabled.",
        ("archived_at",),
    ),
    EventType(
        "user.reactivated",
        "user",
        "A deactivated user may sign in again (keys and webhooks stay off).",
        ("archived_at",),
    ),
    EventType("user.team_changed", "user", "A user was put in another team (or in none).", ("team_id",)),
    *lifecycle("team", Team.__table__, actions=("created", "updated")),
    EventType(
        "team.moved",
        "team",
        "A team was moved under another parent (or to the top), and renamed if asked.",
        ("name", "parent_id"),
    ),
    EventType("tenant.settings_updated", "tenant", "The workspace's settings changed.", ("cors_origins",)),
]
