"""Webhook payload queries: a GraphQL document run as the webhook's creator for each
event, whose result is the payload (as Saleor's subscription payloads shape theirs).

The document is one query operation; it may declare any of the variables
`$recordId: ID!`, `$eventId: String!`, `$eventType: String!`. It runs through the same
scopes, field rules and row-level security as the API, as the creator would see it.

It passes the API's gate (tokens, depth, aliases, directives, validation, cost) when
the webhook is saved AND each time it runs (limits may have tightened since), and
runs under the API's statement timeout and an overall time bound: a heavy query
answers an error payload instead of holding the tenant's fan-out.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from crm_graph.api.transport.context import Context
from crm_graph.api.transport.limits import operation_cost, shape_errors
from crm_graph.kernel.actor import Identity
from crm_graph.kernel.db import RequestDB
from crm_graph.kernel.settings import Settings, get_settings
from crm_graph.platform.authz.actors import UnknownActor, load_actor
from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import entity_by_record_type
from graphql import (
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    parse,
    validate,
)

MAX_LENGTH = 10_000


def problems(document: str, settings: Settings | None = None) -> list[str]:
    """Why the document cannot be a payload query (empty: it can): the API's limits
    first, each bounding the work of the next."""
    from crm_graph.api.schema import schema

    settings = settings or get_settings()
    if len(document) > MAX_LENGTH:
        return [f"At most {MAX_LENGTH} characters."]
    try:
        parsed = parse(document, max_tokens=settings.max_tokens)
    except GraphQLError as exc:
        return [exc.message]
    operations = [d for d in parsed.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != 1 or operations[0].operation is not OperationType.QUERY:
        return ["Give exactly one query operation."]
    limits = shape_errors(parsed, settings.max_depth, settings.max_aliases, settings.max_directives)
    if limits:
        return [e.message for e in limits]
    invalid = [e.message for e in validate(schema._schema, parsed)]
    if invalid:
        return invalid
    cost = operation_cost(schema._schema, parsed, operations[0], {})
    if cost > settings.max_cost:
        return [f"The query costs {cost}, more than the limit of {settings.max_cost}."]
    return []


async def shape(
    app_engine: Any, tenant_id: uuid.UUID, creator_id: uuid.UUID | None, document: str, event: dict[str, Any]
) -> dict[str, Any]:
    """The payload for one event: {"event": ..., "data": ..., "errors"?: [...]}."""
    from crm_graph.api.schema import schema

    entity = entity_by_record_type(event["record_type"])
    summary = {
        "id": event["id"],
        "type": event["type"],
        "occurred_at": event["occurred_at"],
        "record_id": to_global_id(entity, uuid.UUID(str(event["record_id"]))) if entity else None,
    }
    if creator_id is None:
        return {"event": summary, "data": None, "errors": [{"message": "The webhook's creator no longer exists."}]}
    settings = get_settings()
    refused = problems(document, settings)
    if refused:
        return {"event": summary, "data": None, "errors": [{"message": m} for m in refused]}
    timeout = settings.operation_timeout_seconds
    db = RequestDB(app_engine, tenant_id, request_id=f"webhook:{event['id']}", statement_timeout_ms=int(timeout * 1000))
    try:
        try:
            actor = await load_actor(db, Identity(tenant_id, creator_id))
        except UnknownActor:
            return {"event": summary, "data": None, "errors": [{"message": "The webhook's creator no longer exists."}]}
        try:
            async with asyncio.timeout(timeout):
                result = await schema.execute(
                    document,
                    variable_values={
                        "recordId": summary["record_id"],
                        "eventId": event["id"],
                        "eventType": event["type"],
                    },
                    context_value=Context(actor=actor, db=db, request_id=f"webhook:{event['id']}"),
                )
        except TimeoutError:
            return {
                "event": summary,
                "data": None,
                "errors": [{"message": f"The payload query took longer than {timeout:g} s."}],
            }
    finally:
        await db.close()
    payload: dict[str, Any] = {"event": summary, "data": result.data}
    if result.errors:
        payload["errors"] = [e.formatted for e in result.errors]
    return payload
