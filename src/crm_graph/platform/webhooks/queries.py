"""Read declarations for webhooks and their deliveries (admins only: `webhook` rules).

The Webhook type has no field for either secret: a secret is shown once, by
webhookCreate and webhookRotateSecret.
"""

from __future__ import annotations

from datetime import datetime

from crm_graph.platform.webhooks import models
from crm_graph.readside.spec import Col, Entity, Filter, FilterOp, Inherits, Order, Ref, TenantWide

WEBHOOK = Entity(
    name="Webhook",
    record_type="webhook",
    table=models.Webhook.__table__,
    tag=60,
    fields=[
        Col("url", str, description="The HTTPS address events are POSTed to."),
        Col(
            "event_types",
            list[str],
            description="Event types sent: exact (`organization.created`), `organization.*` or `*`.",
        ),
        Col("description", str | None, description="What the webhook is for, for the admins."),
        Col("disabled_at", datetime | None, description="Set when the endpoint answered 410 or failed for 5 days."),
        Col(
            "disabled_reason",
            str | None,
            description="Why it was disabled, e.g. the endpoint answered 410 Gone; null while enabled.",
        ),
        Col("failing_since", datetime | None, description="Start of the current run of failed attempts."),
        Col(
            "previous_secret_expires_at",
            datetime | None,
            description="Until then the secret before the last rotation still signs requests.",
        ),
        Col("created_at", datetime, description="When it was created (UTC, ISO 8601)."),
        Col("updated_at", datetime, description="When it last changed (UTC, ISO 8601)."),
        Col("version", int, description="Increases with every change; pass it as expectedVersion."),
    ],
    refs=[
        Ref(
            "created_by",
            "User",
            "created_by_id",
            description="The admin who created it; payload queries run as this user.",
        )
    ],
    orders=[Order("created_at", lambda t: [t.c.created_at], description="By creation time.")],
    default_order="created_at",
    default_descending=True,
    archivable=False,
    # Admins' integration settings: a webhook acts for the tenant, not for its creator's rows.
    scope=TenantWide(),
    description="An HTTPS endpoint that receives change events, signed per Standard Webhooks.",
)

WEBHOOK_DELIVERY = Entity(
    name="WebhookDelivery",
    record_type="webhook_delivery",
    table=models.WebhookDelivery.__table__,
    tag=61,
    fields=[
        Col("event_id", str | None, description="The event's id (null for webhookTest)."),
        Col("event_type", str, description="Type of the event, e.g. opportunity.stage_changed."),
        Col("status", str, description="pending, succeeded, failed or dead (retries exhausted)."),
        Col("attempts", int, description="Attempts made so far."),
        Col("next_attempt_at", datetime | None, description="When the next retry is due; null once succeeded or dead."),
        Col(
            "last_status_code",
            int | None,
            description="HTTP status of the last attempt; null if no response (timeout, refused).",
        ),
        Col("last_error", str | None, description="Why the last attempt failed, when it did."),
        Col("last_duration_ms", int | None, description="How long the last attempt took, in milliseconds."),
        Col("response_excerpt", str | None, description="The first 1 KB of the last response body."),
        Col("created_at", datetime, description="When the event was queued for this webhook (UTC, ISO 8601)."),
        Col("updated_at", datetime, description="When the delivery last changed (UTC, ISO 8601)."),
        Col("version", int, description="Increases with every attempt."),
    ],
    refs=[Ref("webhook", "Webhook", "webhook_id", description="The webhook it is sent to.")],
    filters=[
        Filter(
            "webhook",
            FilterOp.REF,
            ("webhook_id",),
            entity="Webhook",
            description="Global IDs of webhooks; deliveries to any of them.",
        ),
        Filter(
            "status",
            FilterOp.EQ_ANY,
            ("status",),
            str,
            description="Deliveries with any of these statuses: pending, succeeded, failed, dead.",
        ),
    ],
    orders=[Order("created_at", lambda t: [t.c.created_at], description="By when it was queued.")],
    default_order="created_at",
    default_descending=True,
    archivable=False,
    scope=Inherits("webhook"),
    description="One event sent (or being sent) to one webhook; `webhook-id` is its id.",
)
