"""Organization use cases. Each runs in the caller's unit of work."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crm_graph.domains.accounts.models import Organization
from crm_graph.kernel import writes
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import UnitOfWork
from crm_graph.kernel.validation import Checker
from crm_graph.platform.identity.models import User

TABLE = Organization.__table__
FIELDS = (
    "name",
    "kinds",
    "industry",
    "region",
    "country",
    "website",
    "size",
    "lifecycle_stage",
    "tags",
    "owner_id",
    "attributes",
)


def _normalize(data: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in data.items() if k in FIELDS}
    if out.get("name") is not None:
        out["name"] = out["name"].strip()
    if out.get("country") is not None:
        out["country"] = out["country"].strip().upper()
    for key in ("kinds", "tags"):
        if key in out:
            out[key] = list(dict.fromkeys(out[key] or []))  # dedupe, keep order
    if "attributes" in out and out["attributes"] is None:
        out["attributes"] = {}
    return out


async def _validate(uow: UnitOfWork, data: dict[str, Any], *, creating: bool) -> None:
    check = Checker(data)
    check.text("name", required=creating or "name" in data, max_length=200)
    check.text("industry", max_length=100)
    check.text("region", max_length=100)
    check.code("country", 2, "ISO 3166-1 country")
    check.url("website")
    check.number("size", low=0)
    check.tags("tags")
    check.json_object("attributes")
    check.done()
    await writes.require_exists(uow, User.__table__, "user", data.get("owner_id"), ("owner_id",))


async def create_organization(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    if values.get("owner_id") is None:  # the input's default is an explicit null
        values["owner_id"] = actor.user_id
    await _validate(uow, values, creating=True)
    return await writes.insert(uow, TABLE, "organization", values)


async def update_organization(uow: UnitOfWork, actor: Actor, data: dict[str, Any]) -> Mapping[str, Any]:
    values = _normalize(data)
    await _validate(uow, values, creating=False)
    return await writes.update(
        uow, TABLE, "organization", data["id"], values, expected_version=data.get("expected_version")
    )


archive_organization, restore_organization = writes.archive_use_cases(TABLE, "organization")
