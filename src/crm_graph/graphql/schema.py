"""The schema: Query, Mutation, and the check that every root field has a policy."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import strawberry
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.types.base_scalars import DateTimeDefinition

from crm_graph.graphql import (
    accounts,
    authz,
    contacts,
    embed,
    events,
    identity,
    interactions,
    notifications,
    opportunities,
    queries,
    relationships,
    subscriptions,
    tenant_settings,
    webhooks,
)
from crm_graph.graphql.fields import check_policies
from crm_graph.graphql.masking import MaskUnexpectedErrors
from crm_graph.graphql.mutations import MODULE, error_types
from crm_graph.readside.query import sendable
from crm_graph.readside.spec import entities

MUTATION_MODULES = [accounts, contacts, relationships, opportunities, interactions, authz, identity, events, webhooks,
                    notifications, tenant_settings, embed]


def _mutation_type() -> Any:
    namespace: dict[str, Any] = {"__module__": MODULE}
    for module in MUTATION_MODULES:
        namespace.update(module.FIELDS)
    return strawberry.type(type("Mutation", (), namespace))


Mutation = _mutation_type()


def _query_type() -> Any:
    """The entity connections, node/nodes/viewer and graph queries, plus the root
    query fields other modules declare (their QUERY_FIELDS)."""
    namespace: dict[str, Any] = {"__module__": MODULE, **queries.QUERY_FIELDS}
    for module in MUTATION_MODULES:
        namespace.update(getattr(module, "QUERY_FIELDS", {}))
    return strawberry.type(type("Query", (), namespace))


SUBSCRIPTION_MODULES = [subscriptions, notifications]


def _subscription_type() -> Any:
    """The root subscription fields modules declare (their SUBSCRIPTION_FIELDS)."""
    namespace: dict[str, Any] = {"__module__": MODULE}
    for module in SUBSCRIPTION_MODULES:
        for name, field in module.SUBSCRIPTION_FIELDS.items():
            # root_field makes plain fields; only this flag makes Strawberry subscribe to them.
            field.is_subscription = True
            namespace[name] = field
    return strawberry.type(type("Subscription", (), namespace))


def _node_types() -> list[Any]:
    from crm_graph.graphql import types

    return [getattr(types, e.name) for e in entities()]


def _instant(value: object) -> object:
    """A DateTime input: ISO 8601 (Strawberry's parser), and an instant PostgreSQL can
    be sent, within the years 1 to 9999 in UTC: `0001-01-01T00:00:00+14:00` is valid
    text but no timestamptz, and must be refused as bad input, not fail in the driver."""
    parsed = DateTimeDefinition.parse_value(value)  # type: ignore[misc]
    if isinstance(parsed, datetime) and not sendable(parsed):
        raise StrawberryInputCoercionError(
            f'Value cannot represent a DateTime: "{value}". It is outside the years 1 to 9999 in UTC.')
    return parsed


DATETIME = dataclasses.replace(DateTimeDefinition, parse_value=_instant)


def build_schema() -> strawberry.Schema:
    built = strawberry.Schema(
        query=_query_type(),
        mutation=Mutation,
        subscription=_subscription_type(),
        types=[*_node_types(), *error_types()],
        config=StrawberryConfig(auto_camel_case=True, scalar_map={datetime: DATETIME}),
        # Strawberry's own execution serves only what arrives over WebSocket and SSE,
        # after crm_graph.graphql.http.prepare has checked it like any operation.
        extensions=[MaskUnexpectedErrors],
    )
    check_policies(built)
    return built


schema = build_schema()
