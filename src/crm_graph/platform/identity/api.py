"""API key management (apiKeyCreate, apiKeyRevoke, the apiKeys connection), user
deactivation (userDeactivate, userReactivate) and teams (teamCreate, teamUpdate, userSetTeam).

`FIELDS` go on Mutation and `QUERY_FIELDS` on Query. The key's secret appears in
exactly one place, apiKeyCreate's payload; the ApiKey type has no field for it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

import strawberry

from crm_graph.api.kit import types
from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.mutations import mutation
from crm_graph.api.kit.roots import connection_root_field
from crm_graph.platform.identity import api_keys, teams, users
from crm_graph.platform.identity.api_keys import API_KEY

# Generated from the API_KEY declaration (see builder.py); named here so the payload
# below can refer to it.
ApiKeyType: Any = getattr(types, API_KEY.name)


@strawberry.input(description="A new API key. It acts with exactly one role, whoever uses it.")
class ApiKeyCreateInput:
    name: str = strawberry.field(description='What the key is for, e.g. "Billing sync".')
    role: str = strawberry.field(
        description="A role of this tenant, e.g. integration; one you hold unless you may grant roles."
    )
    expires_at: Optional[datetime] = strawberry.field(default=None, description="Never expires if omitted.")


@strawberry.input(description="The API key to revoke.")
class ApiKeyRevokeInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the ApiKey.")


@strawberry.input(description="The user to deactivate or reactivate.")
class UserActivationInput:
    id: strawberry.ID = strawberry.field(description="The user.")
    expected_version: int | None = strawberry.field(
        default=None, description="Refuse with a Conflict if the user has changed since this version."
    )


@strawberry.input(description="A new team, at the top of the tree or under a parent team.")
class TeamCreateInput:
    name: str = strawberry.field(description='Unique in the tenant, e.g. "Sales West".')
    parent_id: strawberry.ID | None = strawberry.field(default=None, description="The team it belongs under.")


@strawberry.input(description="Rename a team or move it; fields left out stay as they are.")
class TeamUpdateInput:
    id: strawberry.ID = strawberry.field(description="The team.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="The new name.")
    parent_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description="The new parent team; null moves the team to the top of the tree. "
        "Not the team itself or one of its sub-teams.",
    )
    expected_version: int | None = strawberry.field(
        default=None, description="Refuse with a Conflict if the team has changed since this version."
    )


@strawberry.input(description="The team a user belongs to from now on.")
class UserSetTeamInput:
    user_id: strawberry.ID = strawberry.field(description="The user.")
    team_id: strawberry.ID | None = strawberry.field(description="The team; null for none.")
    expected_version: int | None = strawberry.field(
        default=None, description="Refuse with a Conflict if the user has changed since this version."
    )


FIELDS = {
    "user_deactivate": mutation(
        "userDeactivate",
        UserActivationInput,
        entity="User",
        policy=Policy(users.RECORD_TYPE, "archive"),
        handler=users.deactivate_user,
        description="Deactivate a user: their sign-in stops working at once, their API keys are revoked and "
        "their webhooks disabled. You cannot deactivate yourself.",
    ),
    "user_reactivate": mutation(
        "userReactivate",
        UserActivationInput,
        entity="User",
        policy=Policy(users.RECORD_TYPE, "archive"),
        handler=users.reactivate_user,
        description="Let a deactivated user sign in again. Their revoked keys and disabled webhooks stay off.",
    ),
    "team_create": mutation(
        "teamCreate",
        TeamCreateInput,
        entity="Team",
        policy=Policy(teams.RECORD_TYPE, "create"),
        handler=teams.create_team,
        ids={"parent_id": "Team"},
        description="Create a team.",
    ),
    "team_update": mutation(
        "teamUpdate",
        TeamUpdateInput,
        entity="Team",
        policy=Policy(teams.RECORD_TYPE, "update"),
        handler=teams.update_team,
        ids={"parent_id": "Team"},
        description="Rename a team or move it under another. A move changes what the managers above it see "
        "at once, open subscriptions included.",
    ),
    "user_set_team": mutation(
        "userSetTeam",
        UserSetTeamInput,
        entity="User",
        policy=Policy(users.RECORD_TYPE, "update"),
        handler=teams.set_user_team,
        ids={"user_id": "User", "team_id": "Team"},
        description="Put a user in a team, or in none. Their managers' team scope follows at once, open "
        "subscriptions included.",
    ),
    "api_key_create": mutation(
        "apiKeyCreate",
        ApiKeyCreateInput,
        entity=API_KEY.name,
        policy=Policy(api_keys.RECORD_TYPE, "create"),
        handler=api_keys.create_api_key,
        extra_fields={
            "secret": (
                str,
                "The full key (crm_<prefix>_<secret>) for `Authorization: Bearer`. Shown only now: store it.",
            )
        },
        description="Create an API key; the response holds its secret, which cannot be read again.",
    ),
    "api_key_revoke": mutation(
        "apiKeyRevoke",
        ApiKeyRevokeInput,
        entity=API_KEY.name,
        policy=Policy(api_keys.RECORD_TYPE, "revoke"),
        handler=api_keys.revoke_api_key,
        description="Revoke an API key: requests using it are refused from now on.",
    ),
}

QUERY_FIELDS = {
    "api_keys": connection_root_field(
        "api_keys", API_KEY.name, "API keys of the tenant (never their secrets), newest first."
    ),
}
