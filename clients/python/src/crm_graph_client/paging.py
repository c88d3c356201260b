"""Relay connection paging: every node of every page, as an async iterator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Protocol, TypeVar

N_co = TypeVar("N_co", covariant=True)
R = TypeVar("R")


class PageInfo(Protocol):
    @property
    def has_next_page(self) -> bool: ...
    @property
    def end_cursor(self) -> str | None: ...


class Edge(Protocol[N_co]):
    @property
    def node(self) -> N_co: ...


class Connection(Protocol[N_co]):
    @property
    def page_info(self) -> PageInfo: ...
    @property
    def edges(self) -> Sequence[Edge[N_co]]: ...


async def paginate(fetch: Callable[[str | None], Awaitable[R]], select: Callable[[R], Connection[N_co] | None],
                   *, limit: int | None = None) -> AsyncIterator[N_co]:
    """Nodes page after page. `fetch(after)` runs the query for the page after that
    cursor (None: the first); `select` picks the connection out of its result:

        async for org in paginate(lambda after: crm.organizations_page(first=100, after=after),
                                  lambda page: page.organizations):
            ...
    """
    after: str | None = None
    seen = 0
    while True:
        connection = select(await fetch(after))
        if connection is None:
            return
        for edge in connection.edges:
            yield edge.node
            seen += 1
            if limit is not None and seen >= limit:
                return
        info = connection.page_info
        # "More" without a new cursor would repeat the same page forever.
        if not info.has_next_page or info.end_cursor is None or info.end_cursor == after:
            return
        after = info.end_cursor
