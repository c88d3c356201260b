"""Organization mutations."""

from __future__ import annotations

from typing import Optional

import strawberry
from strawberry.scalars import JSON

from crm_graph.api.kit.builder import gql_enum
from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.mutations import archive_mutations, mutation
from crm_graph.domains.accounts import service
from crm_graph.domains.accounts.models import LifecycleStage, OrganizationKind

gql_enum(OrganizationKind)
gql_enum(LifecycleStage)
UNSET = strawberry.UNSET


@strawberry.input(description="A new organization; only the name is required.")
class OrganizationCreateInput:
    name: str
    kinds: list[OrganizationKind] = strawberry.field(
        default_factory=list, description="What it is to you; none by default."
    )
    industry: Optional[str] = None
    region: Optional[str] = None
    country: Optional[str] = strawberry.field(default=None, description="ISO 3166-1 alpha-2 code.")
    website: Optional[str] = None
    size: Optional[int] = strawberry.field(default=None, description="Number of employees.")
    lifecycle_stage: LifecycleStage = strawberry.field(
        default=LifecycleStage.LEAD, description="Where it is in its relation with you; LEAD by default."
    )
    tags: list[str] = strawberry.field(default_factory=list)
    owner_id: Optional[strawberry.ID] = strawberry.field(default=None, description="Defaults to you.")
    attributes: Optional[JSON] = None


@strawberry.input(description="Only the fields you give change; null clears a field.")
class OrganizationUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = strawberry.field(
        default=None, description="Fail with Conflict if the record moved on."
    )
    name: Optional[str] = UNSET
    kinds: Optional[list[OrganizationKind]] = UNSET
    industry: Optional[str] = UNSET
    region: Optional[str] = UNSET
    country: Optional[str] = UNSET
    website: Optional[str] = UNSET
    size: Optional[int] = UNSET
    lifecycle_stage: Optional[LifecycleStage] = UNSET
    tags: Optional[list[str]] = UNSET
    owner_id: Optional[strawberry.ID] = UNSET
    attributes: Optional[JSON] = UNSET


IDS = {"owner_id": "User"}

FIELDS = {
    "organization_create": mutation(
        "organizationCreate",
        OrganizationCreateInput,
        entity="Organization",
        policy=Policy("organization", "create"),
        handler=service.create_organization,
        ids=IDS,
        description="Create an organization, owned by you unless ownerId says otherwise.",
    ),
    "organization_update": mutation(
        "organizationUpdate",
        OrganizationUpdateInput,
        entity="Organization",
        policy=Policy("organization", "update"),
        handler=service.update_organization,
        ids=IDS,
        description="Change some fields of an organization.",
    ),
    **archive_mutations("Organization", (service.archive_organization, service.restore_organization)),
}
