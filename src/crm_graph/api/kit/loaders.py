"""Per-request DataLoaders, generic over the declared entities and relations."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from strawberry.dataloader import DataLoader

from crm_graph.kernel.actor import Actor
from crm_graph.readside import query
from crm_graph.readside.query import Page, PageArgs
from crm_graph.readside.spec import Entity, Many


class Loaders:
    """`NodeByIdLoader`s per entity, and page / count loaders per (relation, arguments)."""

    def __init__(self, db: query.Executor, actor: Actor) -> None:
        self._db = db
        self._actor = actor
        self._nodes: dict[str, DataLoader[uuid.UUID, Mapping[str, Any] | None]] = {}
        self._pages: dict[tuple[Any, ...], DataLoader[uuid.UUID, Page]] = {}
        self._counts: dict[tuple[Any, ...], DataLoader[uuid.UUID, int]] = {}
        self._other: dict[tuple[Any, ...], DataLoader[Any, Any]] = {}

    def batch(self, key: tuple[Any, ...], load_fn: Callable[[list[Any]], Awaitable[list[Any]]]) -> DataLoader[Any, Any]:
        """A loader for a query that is not a plain relation (graph walks), cached by `key`."""
        loader = self._other.get(key)
        if loader is None:
            loader = self._other[key] = DataLoader(load_fn=load_fn)
        return loader

    def node(self, entity: Entity) -> DataLoader[uuid.UUID, Mapping[str, Any] | None]:
        loader = self._nodes.get(entity.name)
        if loader is None:

            async def load(ids: list[uuid.UUID]) -> list[Mapping[str, Any] | None]:
                rows = await query.fetch_by_ids(self._db, entity, self._actor, ids)
                return [rows.get(i) for i in ids]

            loader = self._nodes[entity.name] = DataLoader(load_fn=load)
        return loader

    def page(self, parent: Entity, many: Many, args: PageArgs) -> DataLoader[uuid.UUID, Page]:
        key = (parent.name, many.name, args)
        loader = self._pages.get(key)
        if loader is None:

            async def load(ids: list[uuid.UUID]) -> list[Page]:
                pages = await query.fetch_many_pages(self._db, parent, many, self._actor, ids, args)
                return [pages[i] for i in ids]

            loader = self._pages[key] = DataLoader(load_fn=load)
        return loader

    def count(self, parent: Entity, many: Many, args: PageArgs) -> DataLoader[uuid.UUID, int]:
        key = (parent.name, many.name, args.filters, args.include_archived, args.extra)
        loader = self._counts.get(key)
        if loader is None:

            async def load(ids: list[uuid.UUID]) -> list[int]:
                counts = await query.count_many(self._db, parent, many, self._actor, ids, args)
                return [counts.get(i, 0) for i in ids]

            loader = self._counts[key] = DataLoader(load_fn=load)
        return loader
