"""Bounded least-recently-used caches: the process's caches of checked documents,
costs, walks, compiled statements and predicates, each bounded in entries and in
weight (an estimate of the bytes an entry holds), so that no stream of requests grows
the heap without end.

Every cache takes a share of one memory budget (`CRM_CACHE_MEMORY_MB`, set by
`configure` when the app starts); `weights()` reports what each holds.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from typing import Any

DEFAULT_BUDGET = 96 * 2**20
_BUDGET = [DEFAULT_BUDGET]
_ALL: weakref.WeakSet[LRU] = weakref.WeakSet()


class LRU:
    """An LRU of at most `size` entries and at most `share` of the memory budget in
    weight (an entry weighs what `put` is told: its estimated bytes). An entry heavier
    than the whole allowance is not kept."""

    def __init__(self, name: str, size: int, share: float) -> None:
        self.name = name
        self.size = size
        self.share = share
        self.weight = 0
        self._entries: OrderedDict[Any, Any] = OrderedDict()
        self._weights: dict[Any, int] = {}
        self.hits = 0
        self.misses = 0
        _ALL.add(self)

    @property
    def max_weight(self) -> int:
        return int(_BUDGET[0] * self.share)

    def get(self, key: Any) -> Any:
        found = self._entries.get(key)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self._entries.move_to_end(key)
        return found

    def put(self, key: Any, value: Any, weight: int) -> None:
        if weight > self.max_weight:
            return
        self.weight += weight - self._weights.get(key, 0)
        self._weights[key] = weight
        self._entries[key] = value
        self._entries.move_to_end(key)
        self._shrink()

    def _shrink(self) -> None:
        limit = self.max_weight
        while self._entries and (len(self._entries) > self.size or self.weight > limit):
            evicted, _ = self._entries.popitem(last=False)
            self.weight -= self._weights.pop(evicted)

    def clear(self) -> None:
        self._entries.clear()
        self._weights.clear()
        self.weight = 0

    def __len__(self) -> int:
        return len(self._entries)


def configure(budget_bytes: int) -> None:
    """Set the memory budget every cache shares (and shrink them to it)."""
    _BUDGET[0] = budget_bytes
    for cache in list(_ALL):
        cache._shrink()


def weights() -> dict[str, int]:
    """Estimated bytes held per cache name (caches of one name summed)."""
    out: dict[str, int] = {}
    for cache in list(_ALL):
        out[cache.name] = out.get(cache.name, 0) + cache.weight
    return out
