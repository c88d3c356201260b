"""Row scopes as SQL predicates: every read of an entity passes through `row_scope`.

Tenant isolation is the floor for every actor; role-based row scopes (own / team)
are added here as predicates, never as filtering in Python after paging.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from crm_graph.identity.actor import Actor
from crm_graph.readside.spec import Entity


def row_scope(entity: Entity, table: sa.Table | Any, actor: Actor) -> Any:
    return table.c.tenant_id == actor.tenant_id
