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
    OWN = "own"
    TEAM = "team"
    TENANT = "tenant"


@strawberry.enum
class PermissionEffect(enum.Enum):
    ALLOW = "allow"
    DENY = "deny"


@strawberry.input
class RoleCreateInput:
    name: str
    description: Optional[str] = None
    inherits: list[str] = strawberry.field(default_factory=list, description="Roles whose permissions this one gets.")


@strawberry.input(description="A rule: `role` may (or, with DENY, may not) do `action` on `object` within `scope`.")
class RoleGrantInput:
    role: str
    object: str = strawberry.field(description="A record type (organization, contact, ...), `<type>.<field>`, or *.")
    action: str = strawberry.field(description="read, create, update, archive, delete, or *.")
    scope: PermissionScope = PermissionScope.TENANT
    effect: PermissionEffect = PermissionEffect.ALLOW


@strawberry.input(description="The rule to remove: by `id`, or by its role, object, action, scope and effect.")
class RoleRevokeInput:
    id: Optional[strawberry.ID] = None
    role: Optional[str] = None
    object: Optional[str] = None
    action: Optional[str] = None
    scope: Optional[PermissionScope] = PermissionScope.TENANT
    effect: Optional[PermissionEffect] = PermissionEffect.ALLOW


@strawberry.input
class UserAssignRoleInput:
    user_id: strawberry.ID
    roles: list[str] = strawberry.field(description="The user's roles from now on (replacing the current ones).")


FIELDS = {
    "role_create": mutation(
        "roleCreate", RoleCreateInput, entity="Role", policy=Policy("role", "create"), handler=service.create_role,
    ),
    "role_grant": mutation(
        "roleGrant", RoleGrantInput, entity="PolicyRule", record_field="rule", policy=Policy("policy", "create"),
        handler=service.grant,
    ),
    "role_revoke": mutation(
        "roleRevoke", RoleRevokeInput, entity="PolicyRule", record_field="rule", policy=Policy("policy", "delete"),
        handler=service.revoke,
    ),
    "user_assign_role": mutation(
        "userAssignRole", UserAssignRoleInput, entity="User", policy=Policy("user", "update"),
        handler=service.assign_roles, ids={"user_id": "User"},
    ),
}
