"""Who is asking: the user and tenant behind a request or a job."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

# The row scopes a role rule may grant, narrowest first (readside/scope.py reads them
# through each record type's strategy; crm_graph.platform.authz enforces them).
SCOPES = ("own", "team", "tenant")


@dataclass(frozen=True)
class Identity:
    """What authentication established: the tenant, and a user or an API key."""

    tenant_id: uuid.UUID
    user_id: uuid.UUID | None = None
    api_key_id: uuid.UUID | None = None
    api_key_role: str | None = None  # an API key acts with exactly this role
    method: str = "jwt"  # jwt | oidc | api_key | dev


@dataclass(frozen=True, eq=False)
class Actor:
    tenant_id: uuid.UUID
    user_id: uuid.UUID | None
    roles: tuple[str, ...] = ()
    team_id: uuid.UUID | None = None
    email: str | None = None
    # Users of the actor's team and all its sub-teams (the actor included): the
    # owners whose records the `team` scope covers.
    team_user_ids: tuple[uuid.UUID, ...] = ()
    api_key_id: uuid.UUID | None = None
    policy_version: int = 0
    # crm_graph.platform.authz.enforcer.Permissions (scope, allows, field_allowed, and
    # generation: a counter that moves when the tenant's rules change); None only for
    # system actors in tests.
    permissions: Any = None
    # The users of the team subtree as the database listed them (in id order; the
    # actor is among them only if it is a member): what ActorCache re-checks.
    team_members: tuple[uuid.UUID, ...] = ()
