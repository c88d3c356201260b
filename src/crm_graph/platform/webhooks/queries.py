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
        Col("url", str),
        Col("event_types", list[str], description="Event types sent: exact (`organization.created`), `organization.*` or `*`."),
        Col("description", str | None),
        Col("disabled_at", datetime | None, description="Set when the endpoint answered 410 or failed for 5 days."),
        Col("disabled_reason", str | None),
        Col("failing_since", datetime | None, description="Start of the current run of failed attempts."),
        Col("previous_secret_expires_at", datetime | None,
            description="Until then the secret before the last rotation still signs requests."),
        Col("created_at", datetime),
        Col("updated_at", datetime),
        Col("version", int),
    ],
    refs=[Ref("created_by", "User", "created_by_id")],
    orders=[Order("created_at", lambda t: [t.c.created_at])],
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
        Col("event_type", str),
        Col("status", str, description="pending, succeeded, failed or dead (retries exhausted)."),
        Col("attempts", int),
        Col("next_attempt_at", datetime | None),
        Col("last_status_code", int | None),
        Col("last_error", str | None),
        Col("last_duration_ms", int | None),
        Col("response_excerpt", str | None, description="The first 1 KB of the last response body."),
        Col("created_at", datetime),
        Col("updated_at", datetime),
        Col("version", int),
    ],
    refs=[Ref("webhook", "Webhook", "webhook_id")],
    filters=[
        Filter("webhook", FilterOp.REF, ("webhook_id",), entity="Webhook"),
        Filter("status", FilterOp.EQ_ANY, ("status",), str),
    ],
    orders=[Order("created_at", lambda t: [t.c.created_at])],
    default_order="created_at",
    default_descending=True,
    archivable=False,
    scope=Inherits("webhook"),
    description="One event sent (or being sent) to one webhook; `webhook-id` is its id.",
)
