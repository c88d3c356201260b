"""Reading the outbox as a reader may see it: catch-up by polling (`events` query).

An event is visible when its record is visible to the reader now (archived ones
included), or when the record no longer exists and the reader may read every record
of its type. Fields the reader may not read are left out of `changes`, and an event
that only reports changed fields, every one of them hidden from the reader, is not
visible at all (it would arrive as an empty change). The predicate is SQL, so pages
never come back short.

Events are kept `event_retention_days`; a cursor from before the oldest kept event
is refused (`CursorExpired`) rather than silently resumed later, so the client knows
it missed events and must resynchronise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.kernel.actor import Actor
from crm_graph.kernel.lru import LRU
from crm_graph.platform.events import outbox
from crm_graph.platform.events.models import OutboxEvent, OutboxHead
from crm_graph.readside.query import Executor
from crm_graph.readside.scope import bound_actor, endpoint_types, row_scope, scope_shape, scope_values
from crm_graph.readside.spec import Entity, entities

OUTBOX = OutboxEvent.__table__
HEADS = OutboxHead.__table__
MAX_PAGE = 100
# Event kinds that say something beyond their changed fields (that the record came,
# went or was merged): kept even when every field they carry is hidden.
LIFECYCLE = ("created", "archived", "deleted", "merged", "restored")


class CursorExpired(Exception):
    """`after` names an event older than the retention: the events after it are gone."""

    def __init__(self, oldest: int) -> None:
        super().__init__(
            f"Events after this cursor are no longer kept (the oldest kept is {outbox.event_id(oldest)}): "
            "resynchronise (read the records again), then follow from the newest event."
        )
        self.oldest = oldest


def _sees_everything_of(actor: Actor, entity: Entity) -> bool:
    """May the actor read every record of this type, whatever it held?

    Only then may it see events of records that no longer exist. Edges also need
    every endpoint type: a deleted edge's events name both its ends.
    """
    permissions = actor.permissions
    if permissions is None:
        return True
    types = (entity.record_type, *endpoint_types(entity))
    return all(permissions.scope(t, "read") == "tenant" for t in types)


def _not_only_hidden(hidden: list[str]) -> Any:
    """The event carries no changes, a field the reader may read, or is a lifecycle event."""
    empty = sa.cast(sa.literal("{}"), pg.JSONB)
    lifecycle = sa.or_(*(OUTBOX.c.type.like(f"%.{kind}") for kind in LIFECYCLE))
    remaining = OUTBOX.c.changes.op("-")(sa.cast(sa.literal(sorted(hidden), pg.ARRAY(sa.Text)), pg.ARRAY(sa.Text)))
    return sa.or_(OUTBOX.c.changes == empty, remaining != empty, lifecycle)


def _visible(actor: Actor) -> Any:
    whens = []
    for entity in entities():
        t = entity.table.alias(f"e_{entity.record_type}")
        visible = sa.exists().where(t.c.id == OUTBOX.c.record_id, row_scope(entity, t, actor))
        gone = sa.not_(sa.exists().where(t.c.id == OUTBOX.c.record_id))
        rule = sa.or_(visible, gone) if _sees_everything_of(actor, entity) else visible
        hidden = entity.hidden_columns(actor)
        if hidden:
            rule = sa.and_(rule, _not_only_hidden(list(hidden)))
        whens.append((OUTBOX.c.record_type == entity.record_type, rule))
    return sa.case(*whens, else_=sa.false())


# Built per kind of actor (scope_shape) and event types, its ids as parameters: the
# predicate is a CASE over every record type with an EXISTS each, and building it cost
# about 14 ms, per subscription started and per page of catch-up. An entry (a CASE
# over every record type) holds about PREDICATE_BYTES of expression objects.
_PREDICATES = LRU("event_predicates", 256, share=0.1)
PREDICATE_BYTES = 200_000


def _predicate(actor: Actor, types: Sequence[str] | None) -> tuple[list[Any], frozenset[str]]:
    key = (scope_shape(actor), tuple(types) if types else None)
    found = _PREDICATES.get(key)
    if found is None:
        bound = bound_actor(actor)
        where = [OUTBOX.c.tenant_id == bound.tenant_id, _visible(bound)]
        if types:
            where.append(OUTBOX.c.type.in_(list(types)))
        # The actor's parameters the predicate really uses: a tenant-wide role's uses
        # none of its user's ids, so all its users can share one evaluation.
        dialect = pg.dialect()  # type: ignore[no-untyped-call]  # SQLAlchemy's dialect classes are untyped
        compiled = sa.select(sa.literal(1)).where(*where).compile(dialect=dialect)
        found = (where, frozenset(compiled.params) & frozenset(scope_values(actor)))
        _PREDICATES.put(key, found, PREDICATE_BYTES)
    return found  # type: ignore[no-any-return]  # the cache holds Any; it is the tuple built above


def visibility(actor: Actor, types: Sequence[str] | None) -> tuple[list[Any], dict[str, Any]]:
    """The WHERE clauses of the events `actor` may see (of `types`, when given), and
    the values of their parameters."""
    where, _ = _predicate(actor, types)
    return where, scope_values(actor)


def sharing_key(actor: Actor) -> tuple[Any, ...]:
    """Actors with equal keys see exactly the same events: one evaluation serves them all."""
    _, used = _predicate(actor, None)
    values = scope_values(actor)
    return scope_shape(actor), tuple(sorted((name, values[name]) for name in used))


async def check_after(db: Executor, tenant_id: Any, after: int) -> None:
    """Raise CursorExpired when events after `after` were deleted by the retention."""
    oldest = (await db.execute(sa.select(sa.func.min(OUTBOX.c.seq)).where(OUTBOX.c.tenant_id == tenant_id))).scalar()
    if oldest is None:  # every event pruned (or none yet): the next one is head + 1
        head = (await db.execute(sa.select(HEADS.c.seq).where(HEADS.c.tenant_id == tenant_id))).scalar()
        oldest = (head or 0) + 1
    if after + 1 < oldest:
        raise CursorExpired(oldest)


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
