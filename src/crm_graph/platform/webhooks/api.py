"""Webhook management (admins only): endpoints, their secrets, tests, deliveries.

A secret appears in exactly two places, the payloads of webhookCreate and
webhookRotateSecret; the Webhook type has no field for it. A webhook acts for its
creator as they are now (crm_graph.platform.webhooks.fanout); `payloadQuery` shapes the payload
with a GraphQL document under the API's limits (crm_graph.api.kit.payloads).
"""

from __future__ import annotations

import sys
from typing import Any, Optional

import strawberry

from crm_graph.api.kit import types
from crm_graph.api.kit.builder import MODULE, make_param, page_args
from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.mutations import mutation
from crm_graph.api.kit.roots import connection_root_field
from crm_graph.platform.webhooks import service
from crm_graph.platform.webhooks.queries import WEBHOOK, WEBHOOK_DELIVERY

WebhookType: Any = getattr(types, WEBHOOK.name)
UNSET = strawberry.UNSET
READ = Policy("webhook", "read")


@strawberry.input(description="A new endpoint. Its secret is in the result, once.")
class WebhookCreateInput:
    url: str = strawberry.field(
        description="http(s) on a publicly routable address; internal, special-purpose and metadata addresses are refused, at creation and at every attempt."
    )
    event_types: list[str] = strawberry.field(
        description="Event types to send: `organization.created`, `organization.*`, or `*` for all."
    )
    description: str | None = None
    payload_query: str | None = strawberry.field(
        default=None,
        description="A query run as you for each event; its result is the payload. It may declare $recordId: ID!, $eventId: String!, $eventType: String!, and must pass the API's depth, alias, token and cost limits. Null: the payload is the event, without the fields you may not read.",
    )


@strawberry.input(description="Only the fields you give change.")
class WebhookUpdateInput:
    id: strawberry.ID
    expected_version: int | None = None
    url: str | None = UNSET
    event_types: list[str] | None = UNSET
    description: str | None = UNSET
    payload_query: str | None = strawberry.field(default=UNSET, description="Null removes the payload query.")
    enabled: bool | None = strawberry.field(
        default=UNSET, description="true re-enables a disabled endpoint; false disables it."
    )


@strawberry.input(description="The webhook to act on.")
class WebhookIdInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the Webhook.")


@strawberry.input(description="A delivery to send again.")
class WebhookRedeliverInput:
    delivery_id: strawberry.ID = strawberry.field(
        description="Global ID of the WebhookDelivery; its event is sent again, as a new delivery."
    )


def _delivery_args(kwargs: dict[str, Any]) -> Any:
    """webhookDeliveries' own arguments as the delivery list's filter."""
    filter_cls = getattr(sys.modules[MODULE], f"{WEBHOOK_DELIVERY.name}Filter")
    given = {}
    if kwargs.get("webhook_id") is not None:
        given["webhook"] = [kwargs["webhook_id"]]
    if kwargs.get("status") is not None:
        given["status"] = [kwargs["status"]]
    return page_args(
        WEBHOOK_DELIVERY, {"first": kwargs.get("first"), "after": kwargs.get("after"), "filter": filter_cls(**given)}
    )


_DELIVERY_PARAMS = [
    make_param("webhook_id", Optional[strawberry.ID], None, "Only deliveries to this Webhook (its global ID)."),
    make_param("status", Optional[str], None, "Only deliveries in this state: pending, succeeded, failed or dead."),
    make_param("first", Optional[int], 50, "At most this many deliveries (0 to 100)."),
    make_param("after", Optional[str], None, "Cursor of the edge to start after (from pageInfo.endCursor)."),
]

IDS = {"id": WEBHOOK.name}
SECRET_ONCE = "The signing secret (whsec_...). Shown only in this response: store it."

FIELDS = {
    "webhook_create": mutation(
        "webhookCreate",
        WebhookCreateInput,
        entity=WEBHOOK.name,
        policy=Policy("webhook", "create"),
        handler=service.create_webhook,
        extra_fields={"secret": (str, SECRET_ONCE)},
        description="Register an endpoint for change events; the response holds its secret, which cannot be read again.",
    ),
    "webhook_update": mutation(
        "webhookUpdate",
        WebhookUpdateInput,
        entity=WEBHOOK.name,
        policy=Policy("webhook", "update"),
        handler=service.update_webhook,
        description="Change an endpoint's address, event types, payload query or description, or re-enable it.",
    ),
    "webhook_delete": mutation(
        "webhookDelete",
        WebhookIdInput,
        entity=WEBHOOK.name,
        policy=Policy("webhook", "delete"),
        handler=service.delete_webhook,
        description="Delete an endpoint and its delivery log.",
    ),
    "webhook_rotate_secret": mutation(
        "webhookRotateSecret",
        WebhookIdInput,
        entity=WEBHOOK.name,
        policy=Policy("webhook", "update"),
        handler=service.rotate_secret,
        ids=IDS,
        extra_fields={"secret": (str, SECRET_ONCE)},
        description="A new secret; requests are signed with the old one too for 24 hours.",
    ),
    "webhook_test": mutation(
        "webhookTest",
        WebhookIdInput,
        entity=WEBHOOK_DELIVERY.name,
        record_field="delivery",
        policy=Policy("webhook", "update"),
        handler=service.test_webhook,
        ids=IDS,
        description="Send a `webhook.test` event to the endpoint (within seconds).",
    ),
    "webhook_redeliver": mutation(
        "webhookRedeliver",
        WebhookRedeliverInput,
        entity=WEBHOOK_DELIVERY.name,
        record_field="delivery",
        policy=Policy("webhook", "update"),
        handler=service.redeliver,
        ids={"delivery_id": WEBHOOK_DELIVERY.name},
        description="Send a finished delivery again: same webhook-id, fresh retry schedule.",
    ),
}

QUERY_FIELDS = {
    "webhooks": connection_root_field(
        "webhooks", WEBHOOK.name, "The tenant's webhook endpoints (never their secrets), newest first."
    ),
    "webhook_deliveries": connection_root_field(
        "webhook_deliveries",
        WEBHOOK_DELIVERY.name,
        "Deliveries, newest first; of one endpoint with `webhookId`, in one state with `status`.",
        policy=READ,
        params=_DELIVERY_PARAMS,
        arguments=_delivery_args,
    ),
}
