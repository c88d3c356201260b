"""Building the Actor of a request (or job) from its authenticated Identity.

`ActorCache` keeps the actors of recent users in the process, so a compiled read
need not load its actor first: its one statement re-reads the actor's row
(STILL_CURRENT) and answers nothing when any of it changed (roles, team, team
members, the tenant's policy version, deactivation); the request then loads the
actor afresh. Every other path loads (or re-checks) the actor before it runs.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from crm_graph.kernel.actor import Actor, Identity
from crm_graph.kernel.db import RequestDB
from crm_graph.platform.authz.enforcer import POLICIES


# The user, the tenant's policy version and the users of the user's team subtree
# (in id order), in one statement.
def _user_sql(p: str = "") -> str:
    return f"""
SELECT u.id, u.email, u.roles, u.team_id, t.policy_version,
       ARRAY(
         WITH RECURSIVE subtree(id) AS (
           SELECT u.team_id WHERE u.team_id IS NOT NULL
           UNION
           SELECT tm.id FROM teams tm JOIN subtree s ON tm.parent_id = s.id
         )
         SELECT m.id FROM users m WHERE m.team_id IN (SELECT id FROM subtree) AND m.archived_at IS NULL
         ORDER BY m.id
       ) AS team_user_ids
FROM users u JOIN tenants t ON t.id = u.tenant_id
WHERE u.id = :{p}user_id AND u.tenant_id = :{p}tenant_id AND u.archived_at IS NULL
"""


_USER = sa.text(_user_sql())
# True while the user's row still reads as it did when the actor was built.
STILL_CURRENT = sa.text(f"""EXISTS (SELECT 1 FROM ({_user_sql("g_")}) AS a
WHERE a.roles = :g_roles AND a.team_id IS NOT DISTINCT FROM :g_team_id
  AND a.policy_version = :g_policy_version AND a.team_user_ids = :g_team_user_ids)""").bindparams(
    sa.bindparam("g_user_id", type_=sa.Uuid),
    sa.bindparam("g_tenant_id", type_=sa.Uuid),
    sa.bindparam("g_roles", type_=pg.ARRAY(sa.Text)),
    sa.bindparam("g_team_id", type_=sa.Uuid),
    sa.bindparam("g_policy_version", type_=sa.Integer),
    sa.bindparam("g_team_user_ids", type_=pg.ARRAY(sa.Uuid)),
)
_VERSION = sa.text("SELECT policy_version FROM tenants WHERE id = :tenant_id")


class UnknownActor(Exception):
    """The identity names a user that no longer exists or is deactivated."""


UNKNOWN_USER = "The user does not exist or is deactivated."


async def load_actor(db: RequestDB, identity: Identity) -> Actor:
    if identity.user_id is None:
        version = (await db.execute(_VERSION, {"tenant_id": identity.tenant_id})).scalar_one_or_none()
        if version is None:
            raise UnknownActor("unknown tenant")
        roles: tuple[str, ...] = (identity.api_key_role,) if identity.api_key_role else ()
        permissions = await POLICIES.permissions(db, identity.tenant_id, version, roles)
        return Actor(
            identity.tenant_id,
            None,
            roles,
            api_key_id=identity.api_key_id,
            policy_version=version,
            permissions=permissions,
        )
    row = (await db.execute(_USER, {"user_id": identity.user_id, "tenant_id": identity.tenant_id})).first()
    if row is None:
        raise UnknownActor("unknown user")
    roles = tuple(row.roles)
    team = tuple(row.team_user_ids)
    members = team
    if row.id not in team:
        team = (*team, row.id)
    permissions = await POLICIES.permissions(db, identity.tenant_id, row.policy_version, roles)
    return Actor(
        identity.tenant_id,
        row.id,
        roles,
        row.team_id,
        row.email,
        team,
        None,
        row.policy_version,
        permissions,
        team_members=members,
    )


def still_current_values(actor: Actor) -> dict[str, Any]:
    """The parameters of STILL_CURRENT, a condition true while the user's row still
    gives this actor (users' actors only)."""
    return {
        "g_user_id": actor.user_id,
        "g_tenant_id": actor.tenant_id,
        "g_roles": list(actor.roles),
        "g_team_id": actor.team_id,
        "g_policy_version": actor.policy_version,
        "g_team_user_ids": list(actor.team_members),
    }


class ActorCache:
    """The actors of recently seen users (LRU). An entry is a hint, never trusted
    alone: see the module's docstring."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._entries: OrderedDict[Identity, Actor] = OrderedDict()

    def get(self, identity: Identity) -> Actor | None:
        actor = self._entries.get(identity)
        if actor is not None:
            self._entries.move_to_end(identity)
        return actor

    def put(self, identity: Identity, actor: Actor) -> None:
        if identity.user_id is None:
            return  # API keys: loaded per request
        self._entries[identity] = actor
        self._entries.move_to_end(identity)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def drop(self, identity: Identity) -> None:
        self._entries.pop(identity, None)
