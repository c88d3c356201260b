"""Compiled statements, kept per shape of operation and kind of actor.

Key: the document, the operation name, the actor's tenant, roles, policy version
and policy generation (bumped in every process when a tenant's rules change), how
many users its team scope covers, and the shape the walk found (fields kept by
@skip/@include, page sizes, filters, orderings, node types). Ids of the actor,
cursors and node ids are parameters. A policy change moves the version or the
generation, so older statements are never used again and age out (LRU).
"""

from __future__ import annotations

from typing import Any

from crm_graph.identity.actor import Actor
from crm_graph.lru import LRU
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


STATEMENTS = LRU(MAX_ENTRIES)
# Per operation, variables and actor: the statement's key and its parameter values.
WALKS = LRU(4 * MAX_ENTRIES)
