"""A bounded least-recently-used cache: the process's caches of checked documents,
costs, compiled statements and predicates, each bounded in entries (and, where entries
vary in size, in weight), so that no workload grows the heap without end."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any


class LRU:
    """An LRU of at most `size` entries and, when `max_weight` is set, at most that
    much weight in all (an entry weighs what `put` is told)."""

    def __init__(self, size: int, max_weight: int | None = None) -> None:
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
