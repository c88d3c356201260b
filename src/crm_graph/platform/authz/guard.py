"""The permission check every use case starts with, whoever calls it (API or job)."""

from __future__ import annotations

from crm_graph.kernel.actor import Actor
from crm_graph.kernel.errors import Forbidden


def require(actor: Actor, obj: str, action: str) -> None:
    """Raise Forbidden unless the actor's roles allow `action` on `obj` at some scope."""
    if actor.permissions is not None and not actor.permissions.allows(obj, action):
        raise Forbidden(f"Not allowed to {action} {obj}.")
