"""Compiled statements, kept per shape of operation and kind of actor.

Key: the document, the operation name, the actor's tenant, roles, policy version
and policy generation (bumped in every process when a tenant's rules change), how
many users its team scope covers, and the shape the walk found (fields kept by
@skip/@include, page sizes, which filters and bounds are given, orderings, node
types). Every value a client sends (ids, cursors, filter values, path ends) is a
parameter, so new values never compile a new statement. A policy change moves the
version or the generation, so older statements are never used again and age out (LRU).

Both caches are bounded in entries and in their share of the memory budget
(crm_graph.kernel.lru): an entry weighs its texts (document, shape, SQL, variables) and a
fixed overhead for its objects.
"""

from __future__ import annotations

from typing import Any

from crm_graph.kernel.actor import Actor
from crm_graph.kernel.lru import LRU
from crm_graph.readside.scope import scope_shape

MAX_ENTRIES = 256


def cache_key(document_key: str, operation_name: str | None, actor: Actor, shape: list[Any]) -> tuple[Any, ...]:
    return (
        document_key,
        operation_name,
        *scope_shape(actor),
        # One string, not a tree of tuples: a cache of a thousand walks of large
        # operations would otherwise hold most of a million small objects, which every
        # full collection of the garbage collector walks.
        repr(shape),
    )


STATEMENTS = LRU("statements", MAX_ENTRIES, share=0.4)
# Per operation, variables and actor: the statement's key and its parameter values.
# Walks of variables longer than WALKED_VARIABLES (printed) are redone, not kept: they
# would push out the walks of everyday requests.
WALKS = LRU("walks", 4 * MAX_ENTRIES, share=0.13)
WALKED_VARIABLES = 4096
ENTRY_BYTES = 2048  # a cached entry's tuples, dicts and small objects


def statement_weight(key: tuple[Any, ...], sql: str, defaults: dict[str, Any]) -> int:
    return ENTRY_BYTES + len(key[0]) + len(key[-1]) + 2 * len(sql) + 64 * len(defaults)


def walk_weight(printed_variables: bytes, values: dict[str, Any]) -> int:
    # The values come from the variables: about their printed size again.
    return ENTRY_BYTES + 2 * len(printed_variables) + 64 * len(values)
