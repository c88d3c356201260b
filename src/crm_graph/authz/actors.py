"""Building the Actor of a request (or job) from its authenticated Identity."""

from __future__ import annotations

import sqlalchemy as sa

from crm_graph.authz.enforcer import POLICIES
from crm_graph.db import RequestDB
from crm_graph.identity.actor import Actor, Identity

# The user, the tenant's policy version and the users of the user's team subtree,
# in one statement.
_USER = sa.text("""
SELECT u.id, u.email, u.roles, u.team_id, t.policy_version,
       ARRAY(
         WITH RECURSIVE subtree(id) AS (
           SELECT u.team_id WHERE u.team_id IS NOT NULL
           UNION
           SELECT tm.id FROM teams tm JOIN subtree s ON tm.parent_id = s.id
         )
         SELECT m.id FROM users m WHERE m.team_id IN (SELECT id FROM subtree) AND m.archived_at IS NULL
       ) AS team_user_ids
FROM users u JOIN tenants t ON t.id = u.tenant_id
WHERE u.id = :user_id AND u.tenant_id = :tenant_id AND u.archived_at IS NULL
""")
_VERSION = sa.text("SELECT policy_version FROM tenants WHERE id = :tenant_id")


class UnknownActor(Exception):
    """The identity names a user that no longer exists or is deactivated."""


async def load_actor(db: RequestDB, identity: Identity) -> Actor:
    if identity.user_id is None:
        version = (await db.execute(_VERSION, {"tenant_id": identity.tenant_id})).scalar_one_or_none()
        if version is None:
            raise UnknownActor("unknown tenant")
        roles: tuple[str, ...] = (identity.api_key_role,) if identity.api_key_role else ()
        permissions = await POLICIES.permissions(db, identity.tenant_id, version, roles)
        return Actor(identity.tenant_id, None, roles, api_key_id=identity.api_key_id, policy_version=version,
                     permissions=permissions)
    row = (await db.execute(_USER, {"user_id": identity.user_id, "tenant_id": identity.tenant_id})).first()
    if row is None:
        raise UnknownActor("unknown user")
    roles = tuple(row.roles)
    team = tuple(row.team_user_ids)
    if row.id not in team:
        team = (*team, row.id)
    permissions = await POLICIES.permissions(db, identity.tenant_id, row.policy_version, roles)
    return Actor(identity.tenant_id, row.id, roles, row.team_id, row.email, team, None, row.policy_version,
                 permissions)
