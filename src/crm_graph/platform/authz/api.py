"""Role and rule administration (admins only): roles, rules, role assignments."""

from __future__ import annotations

import enum
from typing import Optional

import strawberry

from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.mutations import mutation
from crm_graph.platform.authz import service


@strawberry.enum(description="Which records of a type a rule covers.")
class PermissionScope(enum.Enum):
    OWN = strawberry.enum_value(
        "own", description="Records the user owns (or is assigned, or takes part in, as the type says)."
    )
    TEAM = strawberry.enum_value("team", description="Records of the user's team and the teams below it.")
    TENANT = strawberry.enum_value("tenant", description="Every record of the tenant.")


@strawberry.enum(description="Whether a rule grants or refuses.")
class PermissionEffect(enum.Enum):
    ALLOW = strawberry.enum_value("allow", description="The rule grants the action.")
    DENY = strawberry.enum_value("deny", description="The rule refuses the action; a deny wins over any allow.")


@strawberry.input(description="A new role, with no permissions but those it inherits until rules are granted.")
class RoleCreateInput:
    name: str = strawberry.field(description="Unique name, lower snake case, e.g. support_agent.")
    description: Optional[str] = strawberry.field(default=None, description="What the role is for.")
    inherits: list[str] = strawberry.field(default_factory=list, description="Roles whose permissions this one gets.")


@strawberry.input(description="A rule: `role` may (or, with DENY, may not) do `action` on `object` within `scope`.")
class RoleGrantInput:
    role: str = strawberry.field(description="Name of the role the rule is for.")
    object: str = strawberry.field(description="A record type (organization, contact, ...), `<type>.<field>`, or *.")
    action: str = strawberry.field(description="read, create, update, archive, delete, or *.")
    scope: PermissionScope = PermissionScope.TENANT
    effect: PermissionEffect = PermissionEffect.ALLOW


@strawberry.input(description="The rule to remove: by `id`, or by its role, object, action, scope and effect.")
class RoleRevokeInput:
    id: Optional[strawberry.ID] = strawberry.field(default=None, description="Global ID of the PolicyRule.")
    role: Optional[str] = strawberry.field(default=None, description="Name of the role the rule is for.")
    object: Optional[str] = strawberry.field(default=None, description="A record type, `<type>.<field>`, or *.")
    action: Optional[str] = strawberry.field(default=None, description="read, create, update, archive, delete, or *.")
    scope: Optional[PermissionScope] = strawberry.field(
        default=PermissionScope.TENANT, description="Which records the rule covers."
    )
    effect: Optional[PermissionEffect] = strawberry.field(
        default=PermissionEffect.ALLOW, description="Whether the rule grants or refuses."
    )


@strawberry.input(description="The roles a user has.")
class UserAssignRoleInput:
    user_id: strawberry.ID = strawberry.field(description="Global ID of the User.")
    roles: list[str] = strawberry.field(description="The user's roles from now on (replacing the current ones).")


FIELDS = {
    "role_create": mutation(
        "roleCreate",
        RoleCreateInput,
        entity="Role",
        policy=Policy("role", "create"),
        handler=service.create_role,
        description="Create a role; grant it rules with roleGrant.",
    ),
    "role_grant": mutation(
        "roleGrant",
        RoleGrantInput,
        entity="PolicyRule",
        record_field="rule",
        policy=Policy("policy", "create"),
        handler=service.grant,
        description="Add a rule to a role; it applies to its users' next requests.",
    ),
    "role_revoke": mutation(
        "roleRevoke",
        RoleRevokeInput,
        entity="PolicyRule",
        record_field="rule",
        policy=Policy("policy", "delete"),
        handler=service.revoke,
        description="Remove a rule from a role.",
    ),
    "user_assign_role": mutation(
        "userAssignRole",
        UserAssignRoleInput,
        entity="User",
        policy=Policy("user", "update"),
        handler=service.assign_roles,
        ids={"user_id": "User"},
        description="Replace a user's roles.",
    ),
}
