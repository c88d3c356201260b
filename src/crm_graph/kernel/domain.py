"""What a domain is made of, declared in one value: its `manifest.DOMAIN`.

A domain lives in one folder (`crm_graph/domains/<name>/`, or a platform service's in
`crm_graph/platform/<name>/`) and names its parts here; `crm_graph.domains.enabled`
lists the domains this build serves, and every central list (tables, read
declarations, the schema's roots, default role rules, jobs, notification kinds,
tenant set-up) is a loop over that one list. Nothing registers itself on import.

The GraphQL surface is named by module path, not imported here: a manifest stays
cheap to import (the worker, migrations and the seed read it without building the
schema), and the schema imports the surfaces when it is built.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any

# (role, object, action, scope, effect): see crm_graph.platform.authz.defaults.
Rule = tuple[str, str, str, str, str]
# Called with (connection, tenant_id, new_id) in the transaction that creates a tenant;
# new_id() gives a fresh UUID for the rows it writes.
TenantSetup = Callable[[Any, uuid.UUID, Callable[[], uuid.UUID]], Awaitable[None]]


@dataclass(frozen=True)
class Domain:
    """One domain's parts. Every field is optional but `name`."""

    name: str
    description: str = ""
    # Modules whose SQLModel tables the domain owns (Alembic and the tests read them).
    tables: tuple[ModuleType, ...] = ()
    # Read declarations (crm_graph.readside.spec.Entity): types, fields, relations, scopes.
    entities: tuple[Any, ...] = ()
    # Root connection fields: field name -> entity name, guarded by the entity's read policy.
    root_lists: Mapping[str, str] | None = None
    # Module paths of the GraphQL surface: each may hold FIELDS (mutations), QUERY_FIELDS
    # and SUBSCRIPTION_FIELDS.
    api: tuple[str, ...] = ()
    # Module path of fields added to generated types (EXTRA_FIELDS: {type: {field: ...}})
    # and extra types (TYPES); imported before the generated types are built.
    type_fields: str | None = None
    # Default role rules every new tenant starts with.
    rules: tuple[Rule, ...] = ()
    # arq jobs (plain `async def job(ctx, ...)`) and cron jobs (arq.cron(...)).
    jobs: tuple[Callable[..., Any], ...] = ()
    cron_jobs: tuple[Any, ...] = ()
    # Kinds of notification the domain raises (crm_graph.kernel.notices refuses others).
    notification_kinds: tuple[str, ...] = ()
    # Event types the domain emits beyond the derived `<type>.created/updated/...`.
    events: tuple[Any, ...] = ()
    # Work done once when a tenant is created (built-in kinds, the default pipeline).
    tenant_setup: TenantSetup | None = None
    # Demo data: called by `crm-graph seed --demo` in domain order.
    seed: Callable[..., Any] | None = None


def grant(role: str, objects: tuple[str, ...], actions: tuple[str, ...], scope: str) -> list[Rule]:
    """Allow rules for every (object, action) pair: the shape most default rules take."""
    return [(role, o, a, scope, "allow") for o in objects for a in actions]
