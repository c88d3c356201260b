"""The schema: Query, Mutation, and the check that every root field has a policy."""

from __future__ import annotations

import dataclasses
import importlib
from datetime import datetime
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.exceptions import StrawberryInputCoercionError
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.types.base_scalars import DateTimeDefinition, DecimalDefinition

from crm_graph.api.kit import roots
from crm_graph.api.kit.builder import MODULE
from crm_graph.api.kit.fields import check_policies
from crm_graph.api.kit.masking import MaskUnexpectedErrors
from crm_graph.api.kit.mutations import error_types
from crm_graph.domains.enabled import DOMAINS, root_lists
from crm_graph.platform.events.sharing import SharingExecutor
from crm_graph.readside.query import sendable
from crm_graph.readside.spec import entities


def _surfaces(attribute: str) -> dict[str, Any]:
    """The root fields every domain's API modules declare under `attribute`, in DOMAINS order."""
    fields: dict[str, Any] = {}
    for domain in DOMAINS:
        for path in domain.api:
            for name, field in getattr(importlib.import_module(path), attribute, {}).items():
                if name in fields:
                    raise ValueError(f"root field {name} is declared twice (again by {path})")
                fields[name] = field
    return fields


def _mutation_type() -> Any:
    namespace: dict[str, Any] = {"__module__": MODULE, **_surfaces("FIELDS")}
    return strawberry.type(
        type("Mutation", (), namespace),
        description="Every write: each takes one `input` and returns a payload with the record and `errors` as data.",
    )


def _query_type() -> Any:
    """Each domain's root lists, node/nodes/viewer (roots), and the root query fields
    domains declare (their QUERY_FIELDS)."""
    namespace: dict[str, Any] = {"__module__": MODULE, **roots.query_fields(root_lists()), **_surfaces("QUERY_FIELDS")}
    return strawberry.type(type("Query", (), namespace), description="Every read, each within what the viewer may see.")


def _subscription_type() -> Any:
    """The root subscription fields domains declare (their SUBSCRIPTION_FIELDS)."""
    namespace: dict[str, Any] = {"__module__": MODULE}
    for name, field in _surfaces("SUBSCRIPTION_FIELDS").items():
        # root_field makes plain fields; only this flag makes Strawberry subscribe to them.
        field.is_subscription = True
        namespace[name] = field
    return strawberry.type(
        type("Subscription", (), namespace),
        description="Live changes over WebSocket or SSE, each within what the subscriber may see.",
    )


def _node_types() -> list[Any]:
    from crm_graph.api.kit import types

    return [getattr(types, e.name) for e in entities()]


def _instant(value: object) -> object:
    """A DateTime input: ISO 8601 (Strawberry's parser), and an instant PostgreSQL can
    be sent, within the years 1 to 9999 in UTC: `0001-01-01T00:00:00+14:00` is valid
    text but no timestamptz, and must be refused as bad input, not fail in the driver."""
    parsed = DateTimeDefinition.parse_value(value)  # type: ignore[misc]  # Strawberry's scalar definition is not typed as callable
    if isinstance(parsed, datetime) and not sendable(parsed):
        raise StrawberryInputCoercionError(
            f'Value cannot represent a DateTime: "{value}". It is outside the years 1 to 9999 in UTC.'
        )
    return parsed


DATETIME = dataclasses.replace(DateTimeDefinition, parse_value=_instant)
# Plain notation, as PostgreSQL prints a numeric (and so the compiled path answers):
# asyncpg decodes 100000 in an unscaled column as Decimal("1.0E+5"), which str() prints so.
DECIMAL = dataclasses.replace(DecimalDefinition, serialize=lambda value: format(Decimal(value), "f"))


def build_schema() -> strawberry.Schema:
    built = strawberry.Schema(
        query=_query_type(),
        mutation=_mutation_type(),
        subscription=_subscription_type(),
        types=[*_node_types(), *error_types()],
        config=StrawberryConfig(auto_camel_case=True, scalar_map={datetime: DATETIME, Decimal: DECIMAL}),
        # Strawberry's own execution serves only what arrives over WebSocket and SSE,
        # after crm_graph.api.transport.http.prepare has checked it like any operation.
        extensions=[MaskUnexpectedErrors],
        # Live events: one execution per event for the subscribers that would get the same answer.
        execution_context_class=SharingExecutor,
    )
    check_policies(built)
    roots.complete()
    return built


schema = build_schema()
