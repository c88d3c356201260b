"""Contact mutations."""

from __future__ import annotations

from typing import Optional

import strawberry
from strawberry.scalars import JSON

from crm_graph.api.kit.builder import gql_enum
from crm_graph.api.kit.fields import Policy
from crm_graph.api.kit.mutations import archive_mutations, mutation
from crm_graph.domains.accounts.models import LifecycleStage
from crm_graph.domains.contacts import service

gql_enum(LifecycleStage)
UNSET = strawberry.UNSET


@strawberry.input(description="A new contact; only the first and last names are required.")
class ContactCreateInput:
    first_name: str
    last_name: str
    emails: list[str] = strawberry.field(default_factory=list, description="Stored lower-cased, without repeats.")
    phones: list[str] = strawberry.field(
        default_factory=list,
        description="Phone numbers, preferred first; giving any needs the right to write contact.phones.",
    )
    title: Optional[str] = None
    organization_id: Optional[strawberry.ID] = strawberry.field(default=None, description="An active Organization.")
    lifecycle_stage: LifecycleStage = strawberry.field(
        default=LifecycleStage.LEAD, description="Where the person is in their relation with you; LEAD by default."
    )
    tags: list[str] = strawberry.field(default_factory=list)
    owner_id: Optional[strawberry.ID] = strawberry.field(default=None, description="Defaults to you.")
    email_opt_in: bool = False
    sms_opt_in: bool = False
    do_not_call: bool = False
    attributes: Optional[JSON] = None


@strawberry.input(description="Only the fields you give change; null clears a field.")
class ContactUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = strawberry.field(
        default=None, description="Fail with Conflict if the record moved on."
    )
    first_name: Optional[str] = UNSET
    last_name: Optional[str] = UNSET
    emails: Optional[list[str]] = strawberry.field(
        default=UNSET, description="The whole new list of email addresses; needs the right to write contact.emails."
    )
    phones: Optional[list[str]] = strawberry.field(
        default=UNSET, description="The whole new list of phone numbers; needs the right to write contact.phones."
    )
    title: Optional[str] = UNSET
    organization_id: Optional[strawberry.ID] = UNSET
    lifecycle_stage: Optional[LifecycleStage] = UNSET
    tags: Optional[list[str]] = UNSET
    owner_id: Optional[strawberry.ID] = UNSET
    email_opt_in: Optional[bool] = UNSET
    sms_opt_in: Optional[bool] = UNSET
    do_not_call: Optional[bool] = UNSET
    attributes: Optional[JSON] = UNSET


@strawberry.input(description="Fold duplicate contacts into one; the merged contacts are archived.")
class ContactMergeInput:
    survivor_id: strawberry.ID = strawberry.field(description="The contact that remains.")
    merged_ids: list[strawberry.ID] = strawberry.field(
        description="Contacts whose interactions, edges, opportunities, tasks, addresses and tags move to the survivor."
    )
    expected_version: Optional[int] = strawberry.field(default=None, description="Of the survivor.")


IDS = {"organization_id": "Organization", "owner_id": "User"}

FIELDS = {
    "contact_create": mutation(
        "contactCreate",
        ContactCreateInput,
        entity="Contact",
        policy=Policy("contact", "create"),
        handler=service.create_contact,
        ids=IDS,
        description="Create a contact, owned by you unless ownerId says otherwise.",
    ),
    "contact_update": mutation(
        "contactUpdate",
        ContactUpdateInput,
        entity="Contact",
        policy=Policy("contact", "update"),
        handler=service.update_contact,
        ids=IDS,
        description="Change some fields of a contact; changing emails or phones needs the right to write them.",
    ),
    **archive_mutations("Contact", (service.archive_contact, service.restore_contact)),
    "contact_merge": mutation(
        "contactMerge",
        ContactMergeInput,
        entity="Contact",
        policy=Policy("contact", "update"),
        handler=service.merge_contacts,
        ids={"survivor_id": "Contact", "merged_ids": "Contact"},
        description="Merge duplicates into a survivor, all or nothing.",
    ),
}
