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

        Every actor here is an authenticated user of its own tenant, and tenant
        isolation is applied in SQL on every read and write. Per-role rules (Casbin)
        plug in here and in the row scopes.
        """
        return self.actor.user_id is not None
