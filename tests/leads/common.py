"""Operations and helpers the leads tests share."""

from __future__ import annotations

import uuid
from typing import Any

from crm_graph.readside.ids import from_global_id, to_global_id
from crm_graph.readside.spec import entity

ERRORS = "errors { __typename message path ... on ValidationError { code } ... on Conflict { currentVersion } }"
LEAD = """id firstName lastName company emails phones title source status disqualifiedReason score campaignId
  country region industry attributes emailOptIn smsOptIn doNotCall formPosts version archivedAt convertedAt
  owner { id } convertedOrganization { id name } convertedContact { id firstName lastName emails }
  convertedOpportunity { id name } mergedInto { id }"""
DUPLICATES = "duplicates { reasons similarity record { __typename id } }"
CREATE = (
    f"mutation($input: LeadCreateInput!) {{ leadCreate(input: $input) {{ lead {{ {LEAD} }} {DUPLICATES} {ERRORS} }} }}"
)
UPDATE = f"mutation($input: LeadUpdateInput!) {{ leadUpdate(input: $input) {{ lead {{ {LEAD} }} {ERRORS} }} }}"
ASSIGN = f"mutation($input: LeadAssignInput!) {{ leadAssign(input: $input) {{ lead {{ {LEAD} }} {ERRORS} }} }}"
MERGE = f"mutation($input: LeadMergeInput!) {{ leadMerge(input: $input) {{ lead {{ {LEAD} }} {ERRORS} }} }}"
CONVERT = f"mutation($input: LeadConvertInput!) {{ leadConvert(input: $input) {{ lead {{ {LEAD} }} {ERRORS} }} }}"
ARCHIVE = f"mutation($input: RecordArchiveInput!) {{ leadArchive(input: $input) {{ lead {{ {LEAD} }} {ERRORS} }} }}"
RESTORE = f"mutation($input: RecordArchiveInput!) {{ leadRestore(input: $input) {{ lead {{ {LEAD} }} {ERRORS} }} }}"
READ = f"query($id: ID!) {{ node(id: $id) {{ ... on Lead {{ {LEAD} }} }} }}"
RULE = "id name position method countries regions industries sources team { id } owner { id } version"
RULE_CREATE = f"mutation($input: LeadAssignmentRuleCreateInput!) {{ leadAssignmentRuleCreate(input: $input) {{ leadAssignmentRule {{ {RULE} }} {ERRORS} }} }}"
RULE_UPDATE = f"mutation($input: LeadAssignmentRuleUpdateInput!) {{ leadAssignmentRuleUpdate(input: $input) {{ leadAssignmentRule {{ {RULE} }} {ERRORS} }} }}"
SCORING = "id name field operator value attribute points maxPoints version"
SCORING_CREATE = f"mutation($input: LeadScoringRuleCreateInput!) {{ leadScoringRuleCreate(input: $input) {{ leadScoringRule {{ {SCORING} }} {ERRORS} }} }}"
SCORING_UPDATE = f"mutation($input: LeadScoringRuleUpdateInput!) {{ leadScoringRuleUpdate(input: $input) {{ leadScoringRule {{ {SCORING} }} {ERRORS} }} }}"
FORM = "id name key fields origins honeypotField rateLimitPerMinute campaignId version createdBy { id }"
FORM_CREATE = (
    f"mutation($input: LeadFormCreateInput!) {{ leadFormCreate(input: $input) {{ leadForm {{ {FORM} }} {ERRORS} }} }}"
)
FORM_UPDATE = (
    f"mutation($input: LeadFormUpdateInput!) {{ leadFormUpdate(input: $input) {{ leadForm {{ {FORM} }} {ERRORS} }} }}"
)
TEAM_CREATE = "mutation($input: TeamCreateInput!) { teamCreate(input: $input) { team { id } errors { message } } }"


def gid(entity_name: str, id_: uuid.UUID | None = None) -> str:
    return to_global_id(entity(entity_name), id_ or uuid.uuid4())


def raw_id(global_id: str) -> uuid.UUID:
    found = from_global_id(global_id)
    assert found is not None
    return found[1]


def ok(data: dict[str, Any], field: str, record: str = "lead") -> dict[str, Any]:
    assert data[field]["errors"] == [], data[field]["errors"]
    return data[field][record]


def problems(data: dict[str, Any], field: str) -> set[tuple[tuple[str, ...], str]]:
    """{(path, code or typename)} of a refused mutation, which must have returned no record."""
    payload = data[field]
    assert all(v is None for k, v in payload.items() if k not in ("errors", "duplicates")), payload
    assert payload["errors"], payload
    return {(tuple(e["path"] or ()), e.get("code") or e["__typename"]) for e in payload["errors"]}


async def create(gql: Any, **given: Any) -> dict[str, Any]:
    return ok(await gql(CREATE, {"input": {"lastName": "Lovelace", **given}}), "leadCreate")


async def team(gql: Any, name: str) -> str:
    data = await gql(TEAM_CREATE, {"input": {"name": name}})
    return str(data["teamCreate"]["team"]["id"])
