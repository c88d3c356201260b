"""Row scopes as SQL predicates: every read and write of an entity passes through
`row_scope`, so lists, counts, node lookups, nested loaders and graph walks all see
the same rows. Nothing is filtered in Python after paging.

- tenant: the actor's tenant (always; PostgreSQL row-level security repeats it);
- team:   owned by a user of the actor's team subtree (a manager sees the reps');
- own:    owned by the actor; for interactions also those the actor took part in;
- none:   no rows (`false`), indistinguishable from an empty table.
Edges are visible only when both their endpoints are.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa

from crm_graph.authz.enforcer import POLICIES
from crm_graph.identity.actor import Actor
from crm_graph.readside.spec import Entity, entity_by_record_type
from crm_graph.relationships.models import ENDPOINT_TYPES


def _owner_predicate(entity: Entity, t: Any, actor: Actor, scope: str) -> Any:
    owner = t.c[entity.owner_column]
    if scope == "team":
        return owner.in_(list(actor.team_user_ids)) if actor.team_user_ids else sa.false()
    if actor.user_id is None:
        return sa.false()
    own = owner == actor.user_id
    if entity.record_type == "interaction":
        from crm_graph.interactions.models import InteractionParticipant

        p = InteractionParticipant.__table__.alias("own_p")
        own = sa.or_(own, sa.exists().where(p.c.interaction_id == t.c.id, p.c.user_id == actor.user_id))
    return own


def row_scope(entity: Entity, t: Any, actor: Actor, action: str = "read") -> Any:
    tenant = t.c.tenant_id == actor.tenant_id
    if actor.permissions is None:
        return tenant
    scope = actor.permissions.scope(entity.record_type, action)
    if scope is None:
        return sa.false()
    clauses = [tenant]
    if scope != "tenant" and entity.owner_column is not None:
        clauses.append(_owner_predicate(entity, t, actor, scope))
    if entity.record_type == "relationship" and action == "read":
        clauses.append(visible_record(t.c.source_type, t.c.source_id, actor))
        clauses.append(visible_record(t.c.target_type, t.c.target_id, actor))
    return sa.and_(*clauses)


def visible_record(record_type: Any, record_id: Any, actor: Actor, archived: bool = False) -> Any:
    """SQL: the record (record_type, record_id) exists, is readable and (unless
    `archived`) not archived."""
    whens = []
    for name in ENDPOINT_TYPES:
        entity = entity_by_record_type(name)
        assert entity is not None
        t = entity.table.alias(f"v_{name}")
        where = [t.c.id == record_id, row_scope(entity, t, actor)]
        if not archived:
            where.append(t.c.archived_at.is_(None))
        exists = sa.exists().where(*where)
        whens.append((record_type == name, exists))
    return sa.case(*whens, else_=sa.false())


# --- one predicate for every user of the same kind ------------------------------------

def bound_actor(actor: Actor) -> Actor:
    """The actor with its ids as parameters (`scope_values` gives their values), so
    that a predicate built for it serves every user of the same `scope_shape`."""
    return dataclasses.replace(
        actor,
        tenant_id=sa.bindparam("a_tenant", type_=sa.Uuid),
        user_id=None if actor.user_id is None else sa.bindparam("a_user", type_=sa.Uuid),
        team_user_ids=tuple(sa.bindparam(f"a_team{i}", type_=sa.Uuid) for i in range(len(actor.team_user_ids))),
    )


def scope_values(actor: Actor) -> dict[str, Any]:
    """The values of the parameters of a predicate built for `bound_actor(actor)`."""
    values: dict[str, Any] = {"a_tenant": actor.tenant_id}
    if actor.user_id is not None:
        values["a_user"] = actor.user_id
    values.update({f"a_team{i}": u for i, u in enumerate(actor.team_user_ids)})
    return values


def scope_shape(actor: Actor) -> tuple[Any, ...]:
    """What of the actor shapes its row-scope predicates once its ids are parameters:
    the tenant's rules for its roles (version, and the generation every process bumps
    when they change), whether it is a user, and the size of its team."""
    return (actor.tenant_id, tuple(sorted(actor.roles)), actor.policy_version, POLICIES.generation(actor.tenant_id),
            actor.user_id is None, len(actor.team_user_ids), actor.permissions is None)
