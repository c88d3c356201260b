"""The typed context every resolver receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crm_graph.db import RequestDB
from crm_graph.graphql.loaders import Loaders
from crm_graph.identity.actor import Actor

if TYPE_CHECKING:
    from crm_graph.graphql.fields import Policy


@dataclass
class Context:
    actor: Actor
    db: RequestDB
    loaders: Loaders = field(init=False)
    request_id: str = ""

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db, self.actor)

    async def authorize(self, policy: "Policy") -> bool:
        """May the actor use a root field guarded by `policy`?

        Allowed when the actor's roles grant the action at some scope; which rows
        that covers is the row scope's business (SQL predicates).
        """
        if policy.resource == "node" or (policy.resource, policy.action) == ("user", "read_self"):
            return True  # per-record: row scopes decide what each ID resolves to
        permissions = self.actor.permissions
        return permissions is not None and permissions.allows(policy.resource, policy.action)
