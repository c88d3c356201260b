"""The typed context every resolver receives."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from crm_graph.api.kit.fields import may_use
from crm_graph.api.kit.loaders import Loaders
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.db import RequestDB
from crm_graph.kernel.settings import Settings

if TYPE_CHECKING:
    from crm_graph.api.kit.fields import Policy


@dataclass
class Context:
    actor: Actor
    db: RequestDB
    loaders: Loaders = field(init=False)
    request_id: str = ""
    # An actor taken from crm_graph.platform.authz.actors.ActorCache is not yet checked
    # against the database: `reload` loads it afresh (raising UnknownActor when the
    # user is gone). A compiled read checks it inside its own statement instead.
    reload: Callable[[], Awaitable[Actor]] | None = None
    # The app's settings, for the few resolvers that need them (embedTokenCreate signs
    # with CRM_JWT_SECRET); None outside a request.
    settings: Settings | None = None
    # Authenticated by an embed token (crm_graph.platform.identity.embed): it may not mint more of them.
    embedded: bool = False

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db, self.actor)

    async def check_actor(self) -> None:
        """Load the actor afresh unless it was loaded (or checked) in this request."""
        if self.reload is not None:
            reload, self.reload = self.reload, None
            self.actor = await reload()
            self.loaders = Loaders(self.db, self.actor)

    async def authorize(self, policy: Policy) -> bool:
        return may_use(self.actor, policy)

    def allows(self, policy: Policy) -> bool:
        """`authorize`, synchronous: the compiled path asks from its worker thread."""
        return may_use(self.actor, policy)
