"""Notices: telling one user about something (a task coming due, a webhook disabled).

Each domain declares the kinds of notice it raises in its manifest
(`Domain.notification_kinds`); crm_graph.domains.enabled installs them, with the writer
the notifications domain provides, over DOMAINS. A domain or a platform service raises
a notice with `NOTICES.notify(conn, ...)` without importing the notifications domain,
and a kind no domain declared is refused at write time (a programming error, as an
undeclared event type is).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Iterable, Mapping
from typing import Any, Protocol


class UndeclaredNotificationKind(LookupError):
    """A notice of a kind no domain declared in its manifest's `notification_kinds`."""


class Writer(Protocol):
    """Stores one notice in the caller's transaction; None when its dedupe key exists."""

    def __call__(
        self,
        conn: Any,
        *,
        tenant_id: uuid.UUID,
        user_id: uuid.UUID,
        kind: str,
        title: str,
        dedupe_key: str,
        body: str | None = None,
        record_type: str | None = None,
        record_id: uuid.UUID | None = None,
    ) -> Awaitable[Mapping[str, Any] | None]: ...


class Notices:
    """The declared kinds of notice, and the one writer that stores them."""

    def __init__(self) -> None:
        self.kinds: frozenset[str] = frozenset()
        self._writer: Writer | None = None

    def install(self, kinds: Iterable[str], writer: Writer | None) -> None:
        """Declare `kinds` (a kind declared twice is an error) and the writer."""
        declared = set(self.kinds)
        for kind in kinds:
            if kind in declared:
                raise ValueError(f"notification kind {kind!r} is declared twice")
            declared.add(kind)
        self.kinds = frozenset(declared)
        self._writer = writer

    def require(self, kind: str) -> str:
        if kind not in self.kinds:
            raise UndeclaredNotificationKind(
                f"notification kind {kind!r} is not declared: add it to its domain's notification_kinds"
            )
        return kind

    async def notify(
        self,
        conn: Any,
        *,
        tenant_id: uuid.UUID,
        user_id: uuid.UUID,
        kind: str,
        title: str,
        dedupe_key: str,
        body: str | None = None,
        record_type: str | None = None,
        record_id: uuid.UUID | None = None,
    ) -> Mapping[str, Any] | None:
        """Store a notice for `user_id` on the caller's connection (see the writer)."""
        self.require(kind)
        if self._writer is None:
            raise LookupError("no domain stores notifications: the notifications domain is not in DOMAINS")
        return await self._writer(
            conn,
            tenant_id=tenant_id,
            user_id=user_id,
            kind=kind,
            title=title,
            dedupe_key=dedupe_key,
            body=body,
            record_type=record_type,
            record_id=record_id,
        )


# Every domain's notification kinds: filled once by crm_graph.domains.enabled, over DOMAINS.
NOTICES = Notices()
