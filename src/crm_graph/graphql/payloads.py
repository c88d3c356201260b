"""Webhook payload queries: a GraphQL document run as the webhook's creator for each
event, whose result is the payload (as Saleor's subscription payloads shape theirs).

The document is one query operation; it may declare any of the variables
`$recordId: ID!`, `$eventId: String!`, `$eventType: String!`. It runs through the same
scopes, field rules and row-level security as the API, as the creator would see it.
"""

from __future__ import annotations

import uuid
from typing import Any

from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    validate,
)

from crm_graph.authz.actors import UnknownActor, load_actor
from crm_graph.db import RequestDB
from crm_graph.graphql.context import Context
from crm_graph.identity.actor import Identity
from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import entity_by_record_type

MAX_LENGTH = 10_000


def problems(document: str) -> list[str]:
    """Why the document cannot be a payload query (empty: it can)."""
    from crm_graph.graphql.schema import schema

    if len(document) > MAX_LENGTH:
        return [f"At most {MAX_LENGTH} characters."]
    try:
        parsed = parse(document)
    except GraphQLError as exc:
        return [exc.message]
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return ["Give exactly one query operation."]
    return [e.message for e in validate(schema._schema, parsed)]


async def shape(app_engine: Any, tenant_id: uuid.UUID, creator_id: uuid.UUID | None, document: str,
                event: dict[str, Any]) -> dict[str, Any]:
    """The payload for one event: {"event": ..., "data": ..., "errors"?: [...]}."""
    from crm_graph.graphql.schema import schema

    entity = entity_by_record_type(event["record_type"])
    summary = {"id": event["id"], "type": event["type"], "occurred_at": event["occurred_at"],
               "record_id": to_global_id(entity, uuid.UUID(str(event["record_id"]))) if entity else None}
    if creator_id is None:
        return {"event": summary, "data": None, "errors": [{"message": "The webhook's creator no longer exists."}]}
    db = RequestDB(app_engine, tenant_id, request_id=f"webhook:{event['id']}")
    try:
        try:
            actor = await load_actor(db, Identity(tenant_id, creator_id))
        except UnknownActor:
            return {"event": summary, "data": None, "errors": [{"message": "The webhook's creator no longer exists."}]}
        result = await schema.execute(
            document,
            variable_values={"recordId": summary["record_id"], "eventId": event["id"], "eventType": event["type"]},
            context_value=Context(actor=actor, db=db, request_id=f"webhook:{event['id']}"),
        )
    finally:
        await db.close()
    payload: dict[str, Any] = {"event": summary, "data": result.data}
    if result.errors:
        payload["errors"] = [e.formatted for e in result.errors]
    return payload
