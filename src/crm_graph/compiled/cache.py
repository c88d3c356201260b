"""Compiled statements, kept per shape of operation and kind of actor.

Key: the document, the operation name, the actor's tenant, roles, policy version
and policy generation (bumped in every process when a tenant's rules change), how
many users its team scope covers, and the shape the walk found (fields kept by
@skip/@include, page sizes, filters, orderings, node types). Ids of the actor,
cursors and node ids are parameters. A policy change moves the version or the
generation, so older statements are never used again and age out (LRU).
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from crm_graph.authz.enforcer import POLICIES
from crm_graph.identity.actor import Actor

MAX_ENTRIES = 256


class StatementCache:
    """An LRU of at most `size` entries and, when `max_weight` is set, at most that
    much weight in all (an entry weighs what `put` is told)."""

    def __init__(self, size: int = MAX_ENTRIES, max_weight: int | None = None) -> None:
        self.size = size
        self.max_weight = max_weight
        self.weight = 0
        self._entries: OrderedDict[Any, Any] = OrderedDict()
        self._weights: dict[Any, int] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Any) -> Any:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return found

    def put(self, key: Any, value: Any, weight: int = 1) -> None:
        if self.max_weight is not None and weight > self.max_weight:
            return
        self.weight += weight - self._weights.get(key, 0)
        self._weights[key] = weight
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size or (self.max_weight is not None and self.weight > self.max_weight):
            evicted, _ = self._entries.popitem(last=False)
            self.weight -= self._weights.pop(evicted)

    def clear(self) -> None:
        self._entries.clear()
        self._weights.clear()
        self.weight = 0

    def __len__(self) -> int:
        return len(self._entries)


def cache_key(document_key: str, operation_name: str | None, actor: Actor, shape: list[Any]) -> tuple[Any, ...]:
    return (
        document_key,
        operation_name,
        actor.tenant_id,
        tuple(sorted(actor.roles)),
        actor.policy_version,
        POLICIES.generation(actor.tenant_id),
        actor.user_id is None,
        len(actor.team_user_ids),
        actor.permissions is None,
        # One string, not a tree of tuples: a cache of a thousand walks of large
        # operations would otherwise hold most of a million small objects, which every
        # full collection of the garbage collector walks.
        repr(shape),
    )


STATEMENTS = StatementCache()
# Per operation, variables and actor: the statement's key and its parameter values.
WALKS = StatementCache(4 * MAX_ENTRIES)
