"""Row scopes as SQL predicates: every read and write of an entity passes through
`row_scope`, so lists, counts, node lookups, nested loaders, graph walks, events and
both read paths (ordinary and compiled) see the same rows. Nothing is filtered in
Python after paging.

A rule's scope is read through the entity's declared strategy (readside/spec.py:
Owned, Participants, Assigned, Inherits, About, TenantWide):
- tenant: the actor's tenant (always; PostgreSQL row-level security repeats it),
  narrowed only by what the strategy inherits (a child needs a readable parent);
- team / own: as the strategy says; a scope the strategy does not honour selects
  nothing (`false`) -- it is also refused when a rule is granted (authz/rules.py);
- no rule: no rows (`false`), indistinguishable from an empty table.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from crm_graph.kernel.actor import SCOPES, Actor
from crm_graph.readside.spec import (
    About,
    Assigned,
    Entity,
    Inherits,
    Owned,
    Participants,
    Ref,
    TenantWide,
    declared,
    entities,
    entity,
)

__all__ = ["endpoint_types", "honoured", "row_scope", "visible_record", "within"]

_ALL = SCOPES
_TENANT_ONLY = ("tenant",)


def row_scope(entity: Entity, t: Any, actor: Actor, action: str = "read") -> Any:
    """SQL: the row `t` of `entity` is one the actor may `action`."""
    tenant = t.c.tenant_id == actor.tenant_id
    if actor.permissions is None:
        return tenant
    scope = actor.permissions.scope(entity.record_type, action)
    if scope is None:
        return sa.false()
    narrower = within(entity, t, actor, scope)
    return tenant if narrower is None else sa.and_(tenant, narrower)


def within(entity: Entity, t: Any, actor: Actor, scope: str) -> Any | None:
    """SQL: the row `t` lies within `scope` as `entity`'s strategy reads it; None when
    that is every row of the tenant. The actor's rules are row_scope's business."""
    strategy = entity.scope
    if scope not in honoured(entity):
        return sa.false()
    if isinstance(strategy, TenantWide):
        return None
    if isinstance(strategy, Inherits):
        return sa.and_(
            *(_parent_visible(entity, name, t, actor, scope, strategy.active_parents) for name in strategy.references)
        )
    if scope == "tenant":
        return None
    if isinstance(strategy, Owned):
        return _user_in(t.c[strategy.column], actor, scope)
    if isinstance(strategy, Participants):
        mine = _user_in(t.c[strategy.column], actor, scope)
        if scope != "own" or actor.user_id is None:
            return mine
        p = strategy.through.alias("own_p")
        took_part = sa.exists().where(p.c[strategy.parent_column] == t.c.id, p.c[strategy.user_column] == actor.user_id)
        return sa.or_(mine, took_part)
    if isinstance(strategy, Assigned):
        clauses = []
        if strategy.user_column is not None:
            clauses.append(_user_in(t.c[strategy.user_column], actor, scope))
        if strategy.team_column is not None:
            clauses.append(_team_in(t.c[strategy.team_column], strategy.teams, actor, scope))
        return sa.or_(*clauses)
    if isinstance(strategy, About):
        ref = _ref(entity, strategy.reference)
        types = [e.record_type for e in _targets(ref) if not isinstance(e.scope, About)]
        return visible_record(t.c[ref.type_column], t.c[ref.fk], actor, archived=True, types=types, scope=scope)
    raise TypeError(f"{entity.name}: unknown row-scope strategy {strategy!r}")


def _user_in(column: Any, actor: Actor, scope: str) -> Any:
    if scope == "team":
        return column.in_(list(actor.team_user_ids)) if actor.team_user_ids else sa.false()
    return sa.false() if actor.user_id is None else column == actor.user_id


def _team_in(column: Any, teams: Any, actor: Actor, scope: str) -> Any:
    """The actor's team (`own`: a queue the actor belongs to), or any team of its
    subtree (`team`: a manager sees the queues below)."""
    if actor.team_id is None:
        return sa.false()
    if scope == "own":
        return column == actor.team_id
    top = (
        sa.select(teams.c.id)
        .where(teams.c.id == actor.team_id, teams.c.tenant_id == actor.tenant_id)
        .cte("scope_teams", recursive=True, nesting=True)
    )
    child = teams.alias("scope_child")
    tree = top.union_all(sa.select(child.c.id).where(child.c.parent_id == top.c.id))
    return column.in_(sa.select(tree.c.id))


def _parent_visible(child: Entity, name: str, t: Any, actor: Actor, scope: str, active: bool) -> Any:
    ref = _ref(child, name)
    if ref.type_column is not None:
        types = [e.record_type for e in _targets(ref)]
        return visible_record(t.c[ref.type_column], t.c[ref.fk], actor, archived=not active, types=types, scope=scope)
    parent = entity(ref.target)
    p = parent.table.alias(f"ip_{parent.record_type}")
    return sa.exists().where(*_readable(parent, p, t.c[ref.fk], actor, scope, archived=not active))


def _readable(target: Entity, p: Any, id_: Any, actor: Actor, scope: str, archived: bool) -> list[Any]:
    """WHERE clauses: `p` is the row `id_`, the actor may read it, and it lies within
    `scope` (the scope of the rule on the row that refers to it)."""
    where = [p.c.id == id_, row_scope(target, p, actor)]
    narrower = within(target, p, actor, scope)
    if narrower is not None:
        where.append(narrower)
    if not archived and "archived_at" in p.c:
        where.append(p.c.archived_at.is_(None))
    return where


def visible_record(
    record_type: Any,
    record_id: Any,
    actor: Actor,
    *,
    types: Sequence[str],
    archived: bool = False,
    scope: str = "tenant",
) -> Any:
    """SQL: the record (record_type, record_id), one of `types`, exists, is readable,
    lies within `scope` and (unless `archived`) is not archived."""
    whens = []
    for name in types:
        target = declared(name)
        if scope not in honoured(target):
            continue  # nothing of this type lies within `scope`: the CASE's else
        v = target.table.alias(f"v_{name}")
        whens.append((record_type == name, sa.exists().where(*_readable(target, v, record_id, actor, scope, archived))))
    return sa.case(*whens, else_=sa.false()) if whens else sa.false()


def _ref(owner: Entity, name: str) -> Ref:
    for ref in owner.refs:
        if ref.name == name:
            return ref
    raise LookupError(f"{owner.name}'s row scope names no reference {name!r}")


def endpoint_types(owner: Entity) -> tuple[str, ...]:
    """The record types `owner`'s polymorphic references are declared to name
    (`Ref.record_types`), in declaration order: a relationship's endpoints."""
    found: dict[str, None] = {}
    for ref in owner.refs:
        if ref.type_column is not None and ref.record_types is not None:
            found.update(dict.fromkeys(ref.record_types))
    return tuple(found)


def _targets(ref: Ref) -> list[Entity]:
    if ref.type_column is None:
        return [entity(ref.target)]
    if ref.record_types is not None:
        return [declared(name) for name in ref.record_types]
    return sorted(entities(), key=lambda e: e.record_type)


# --- what a strategy honours --------------------------------------------------------


def honoured(target: Entity, _seen: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The scopes a rule on `target` may have: what its strategy can tell apart."""
    strategy = target.scope
    if isinstance(strategy, TenantWide):
        return _TENANT_ONLY
    if isinstance(strategy, Inherits):
        if target.name in _seen:
            raise ValueError(f"row scopes inherit in a cycle: {' -> '.join((*_seen, target.name))}")
        found = set(_ALL)
        for name in strategy.references:
            ref = _ref(target, name)
            if ref.type_column is not None:
                return _TENANT_ONLY  # `own` would mean something else for each type named
            found &= set(honoured(entity(ref.target), (*_seen, target.name)))
        return tuple(s for s in _ALL if s in found)
    if isinstance(strategy, (Owned, Participants, Assigned, About)):
        return _ALL
    raise TypeError(f"{target.name} declares no row-scope strategy")


def check_declarations() -> None:
    """At start-up: every entity's strategy names columns and references that exist,
    and no inheritance cycles. Raises ValueError/LookupError otherwise."""
    for e in entities():
        strategy = e.scope
        columns: list[str] = []
        if isinstance(strategy, (Owned, Participants)):
            columns = [strategy.column]
        elif isinstance(strategy, Assigned):
            columns = [c for c in (strategy.user_column, strategy.team_column) if c is not None]
        elif isinstance(strategy, (Inherits, About)):
            names = strategy.references if isinstance(strategy, Inherits) else (strategy.reference,)
            for name in names:
                ref = _ref(e, name)
                columns.append(ref.fk)
                _targets(ref)
            if isinstance(strategy, About) and _ref(e, strategy.reference).type_column is None:
                raise ValueError(f"{e.name}: About needs a polymorphic reference")
        missing = [c for c in columns if c not in e.table.c]
        if missing:
            raise ValueError(f"{e.name}'s row scope names columns its table lacks: {missing}")
        honoured(e)


def scope_columns(target: Entity) -> tuple[str, ...]:
    """The columns whose values decide whether a row lies within an `own`/`team` scope."""
    strategy = target.scope
    if isinstance(strategy, (Owned, Participants)):
        return (strategy.column,)
    if isinstance(strategy, Assigned):
        return tuple(c for c in (strategy.user_column, strategy.team_column) if c is not None)
    if isinstance(strategy, Inherits):
        refs = [_ref(target, name) for name in strategy.references]
        return tuple(c for r in refs for c in (r.fk, r.type_column) if c is not None)
    if isinstance(strategy, About):
        ref = _ref(target, strategy.reference)
        return tuple(c for c in (ref.fk, ref.type_column) if c is not None)
    return ()


# --- one predicate for every user of the same kind ------------------------------------


def bound_actor(actor: Actor) -> Actor:
    """The actor with its ids as parameters (`scope_values` gives their values), so
    that a predicate built for it serves every user of the same `scope_shape`."""
    return dataclasses.replace(
        actor,
        tenant_id=sa.bindparam("a_tenant", type_=sa.Uuid),  # type: ignore[arg-type]  # ids become bind parameters on purpose
        user_id=None if actor.user_id is None else sa.bindparam("a_user", type_=sa.Uuid),  # type: ignore[arg-type]  # ids become bind parameters on purpose
        team_id=None if actor.team_id is None else sa.bindparam("a_team_id", type_=sa.Uuid),  # type: ignore[arg-type]  # ids become bind parameters on purpose
        team_user_ids=tuple(sa.bindparam(f"a_team{i}", type_=sa.Uuid) for i in range(len(actor.team_user_ids))),  # type: ignore[misc]  # ids become bind parameters on purpose
    )


def scope_values(actor: Actor) -> dict[str, Any]:
    """The values of the parameters of a predicate built for `bound_actor(actor)`."""
    values: dict[str, Any] = {"a_tenant": actor.tenant_id}
    if actor.user_id is not None:
        values["a_user"] = actor.user_id
    if actor.team_id is not None:
        values["a_team_id"] = actor.team_id
    values.update({f"a_team{i}": u for i, u in enumerate(actor.team_user_ids)})
    return values


def scope_shape(actor: Actor) -> tuple[Any, ...]:
    """What of the actor shapes its row-scope predicates once its ids are parameters:
    the tenant's rules for its roles (version, and the generation every process bumps
    when they change), whether it is a user and has a team, and the size of its team."""
    return (
        actor.tenant_id,
        tuple(sorted(actor.roles)),
        actor.policy_version,
        # The generation every process bumps when the tenant's rules change (the
        # actor's permissions read it live); a system actor without rules has none.
        0 if actor.permissions is None else actor.permissions.generation(),
        actor.user_id is None,
        actor.team_id is None,
        len(actor.team_user_ids),
        actor.permissions is None,
    )
