"""Root fields are declared here, each with the policy that guards it.

`root_field(policy=Policy("organization", "read"), ...)` or `root_field(public=True, ...)`.
`check_policies(schema)` refuses a schema with a root field that declares neither,
so a new field cannot ship without authorization being thought about.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.extensions import FieldExtension
from strawberry.types import Info

from crm_graph.api.kit.errors import forbidden
from crm_graph.kernel.actor import Actor

POLICY_KEY = "crm_policy"


@dataclass(frozen=True)
class Policy:
    resource: str  # record type, e.g. "organization"; "node" means per-record
    action: str  # read | create | update | archive | delete | ...


PUBLIC = Policy("*", "public")


class Authorize(FieldExtension):
    """Checks the field's policy for the request's actor before the resolver runs."""

    def __init__(self, policy: Policy) -> None:
        self.policy = policy

    async def resolve_async(self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any) -> Any:
        if self.policy is not PUBLIC:
            authorize = info.context.authorize
            if not await authorize(self.policy):
                raise forbidden(f"Not allowed to {self.policy.action} {self.policy.resource}.")
        return await next_(source, info, **kwargs)


def root_field(
    *,
    resolver: Callable[..., Any],
    policy: Policy | None = None,
    public: bool = False,
    description: str | None = None,
    name: str | None = None,
) -> Any:
    if (policy is None) == (not public):
        raise TypeError("a root field declares exactly one of `policy` or `public=True`")
    chosen = PUBLIC if public else policy
    return strawberry.field(
        resolver=resolver,
        description=description,
        name=name,
        extensions=[Authorize(chosen)],  # type: ignore[arg-type]  # Strawberry types extensions as instances of its own base; Authorize is one
        metadata={POLICY_KEY: chosen},
    )


def check_policies(schema: strawberry.Schema) -> None:
    """Raise if a root field of Query, Mutation or Subscription has no declared policy."""
    missing = []
    for root in (schema.query, schema.mutation, schema.subscription):
        if root is None:
            continue
        definition = root.__strawberry_definition__  # type: ignore[attr-defined]  # set by @strawberry.type
        for f in definition.fields:
            if POLICY_KEY not in (f.metadata or {}):
                missing.append(f"{definition.name}.{f.python_name}")
    if missing:
        raise TypeError("root fields without a policy (use root_field): " + ", ".join(missing))


def may_use(actor: Actor, policy: Policy) -> bool:
    """May the actor use a root field guarded by `policy`?

    Allowed when the actor's roles grant the action at some scope; which rows
    that covers is the row scope's business (SQL predicates).
    """
    if policy.resource == "node" or (policy.resource, policy.action) == ("user", "read_self"):
        return True  # per-record: row scopes decide what each ID resolves to
    permissions = actor.permissions
    return permissions is not None and permissions.allows(policy.resource, policy.action)
