"""Reading the outbox as a reader may see it: catch-up by polling (`events` query).

An event is visible when its record is visible to the reader now (archived ones
included), or when the record no longer exists and the reader may read every record
of its type. Fields the reader may not read are left out of `changes`. The
predicate is SQL, so pages never come back short.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from crm_graph.events.models import OutboxEvent
from crm_graph.identity.actor import Actor
from crm_graph.lru import LRU
from crm_graph.readside.query import Executor
from crm_graph.readside.scope import (
    ENDPOINT_TYPES,
    bound_actor,
    row_scope,
    scope_shape,
    scope_values,
)
from crm_graph.readside.spec import entities

OUTBOX = OutboxEvent.__table__
MAX_PAGE = 100


def _sees_everything_of(actor: Actor, record_type: str) -> bool:
    """May the actor read every record of this type, whatever it held?

    Only then may it see events of records that no longer exist. Edges also need
    every endpoint type: a deleted edge's events name both its ends.
    """
    permissions = actor.permissions
    if permissions is None:
        return True
    types = (record_type, *ENDPOINT_TYPES) if record_type == "relationship" else (record_type,)
    return all(permissions.scope(t, "read") == "tenant" for t in types)


def _visible(actor: Actor) -> Any:
    whens = []
    for entity in entities():
        t = entity.table.alias(f"e_{entity.record_type}")
        visible = sa.exists().where(t.c.id == OUTBOX.c.record_id, row_scope(entity, t, actor))
        gone = sa.not_(sa.exists().where(t.c.id == OUTBOX.c.record_id))
        rule = sa.or_(visible, gone) if _sees_everything_of(actor, entity.record_type) else visible
        whens.append((OUTBOX.c.record_type == entity.record_type, rule))
    return sa.case(*whens, else_=sa.false())


# Built per kind of actor (scope_shape) and event types, its ids as parameters: the
# predicate is a CASE over every record type with an EXISTS each, and building it cost
# about 14 ms, per subscription started and per page of catch-up. An entry (a CASE
# over every record type) holds about PREDICATE_BYTES of expression objects.
_PREDICATES = LRU("event_predicates", 256, share=0.1)
PREDICATE_BYTES = 200_000


def visibility(actor: Actor, types: Sequence[str] | None) -> tuple[list[Any], dict[str, Any]]:
    """The WHERE clauses of the events `actor` may see (of `types`, when given), and
    the values of their parameters."""
    key = (scope_shape(actor), tuple(types) if types else None)
    where = _PREDICATES.get(key)
    if where is None:
        bound = bound_actor(actor)
        where = [OUTBOX.c.tenant_id == bound.tenant_id, _visible(bound)]
        if types:
            where.append(OUTBOX.c.type.in_(list(types)))
        _PREDICATES.put(key, where, PREDICATE_BYTES)
    return where, scope_values(actor)


def strip_hidden(actor: Actor, record_type: str, changes: dict[str, Any]) -> dict[str, Any]:
    from crm_graph.readside.spec import entity_by_record_type

    entity = entity_by_record_type(record_type)
    if entity is None:
        return changes
    hidden = entity.hidden_columns(actor)
    return {k: v for k, v in changes.items() if k not in hidden}


async def events_after(
    db: Executor, actor: Actor, after: int, types: Sequence[str] | None, first: int
) -> tuple[list[Any], bool]:
    """Visible events with seq > after, oldest first; and whether more follow."""
    where, values = visibility(actor, types)
    stmt = sa.select(OUTBOX).where(OUTBOX.c.seq > after, *where).order_by(OUTBOX.c.seq).limit(first + 1)
    rows = [r._mapping for r in (await db.execute(stmt, values)).all()]
    return rows[:first], len(rows) > first
