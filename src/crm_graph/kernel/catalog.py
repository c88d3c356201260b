"""Event types as declarations: what can happen to which record, with what payload.

A domain declares its event types as a list of `EventType` values (the lifecycle ones
made by `lifecycle()`, the others by hand) in its manifest; crm_graph.domains.enabled composes
them into the one `CATALOG`. The unit of work refuses an undeclared type, webhooks subscribe
only to declared ones, and the API lists them (`eventTypes`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import sqlalchemy as sa

from crm_graph.kernel.chain import SECRET_MARKERS

LIFECYCLE = ("created", "updated", "archived", "restored")
# Bookkeeping every record has; a change event never carries it.
_BOOKKEEPING = frozenset({"id", "tenant_id", "created_at", "updated_at", "version", "archived_at"})


@dataclass(frozen=True)
class EventType:
    name: str  # `<record type>.<what happened>`, past tense: opportunity.stage_changed
    record_type: str
    description: str
    payload_fields: tuple[str, ...] = ()  # the fields its `changes` may hold

    @property
    def family(self) -> str:
        """What `organization.*` names: the part before the first dot."""
        return self.name.split(".", 1)[0]


class UndeclaredEvent(LookupError):
    """A use case emitted an event type no domain declared (a programming error)."""


def payload_of(table: sa.Table, *, omit: Iterable[str] = ()) -> tuple[str, ...]:
    """A record's fields as a change event carries them: no bookkeeping, no secret."""
    left_out = _BOOKKEEPING | set(omit)
    return tuple(
        c.name for c in table.columns if c.name not in left_out and not any(m in c.name for m in SECRET_MARKERS)
    )


def lifecycle(
    record_type: str,
    table: sa.Table,
    *,
    noun: str | None = None,
    actions: Iterable[str] = LIFECYCLE,
    omit: Iterable[str] = (),
) -> list[EventType]:
    """The derived `<type>.created/updated/archived/restored` event types of a record type."""
    noun = noun or record_type.replace("_", " ")
    fields = payload_of(table, omit=omit)
    said = {
        "created": (f"A {noun} was created: its fields, each from null.", fields),
        "updated": (f"A {noun} changed: the changed fields, before and after.", fields),
        "archived": (f"A {noun} was archived (hidden from lists, kept for history).", ("archived_at",)),
        "restored": (f"An archived {noun} was restored.", ("archived_at",)),
    }
    return [EventType(f"{record_type}.{action}", record_type, *said[action]) for action in actions]


class Catalog:
    """Every declared event type, by name."""

    def __init__(self, types: Iterable[EventType] = ()) -> None:
        self._by_name: dict[str, EventType] = {}
        self.families: frozenset[str] = frozenset()
        self.load(types)

    def load(self, types: Iterable[EventType]) -> None:
        """Declare `types` too; a name declared twice is an error."""
        for event_type in types:
            if event_type.name in self._by_name:
                raise ValueError(f"event type {event_type.name} is declared twice")
            self._by_name[event_type.name] = event_type
        self.families = frozenset(t.family for t in self._by_name.values())

    def __iter__(self) -> Iterator[EventType]:
        return iter(sorted(self._by_name.values(), key=lambda t: t.name))

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> EventType | None:
        return self._by_name.get(name)

    def require(self, name: str, record_type: str) -> EventType:
        declared = self._by_name.get(name)
        if declared is None:
            raise UndeclaredEvent(f"event type {name!r} is not declared: add it to its domain's event types")
        if declared.record_type != record_type:
            raise UndeclaredEvent(
                f"event type {name!r} is declared for {declared.record_type} records, not {record_type}"
            )
        return declared

    def pattern_problem(self, pattern: str) -> str | None:
        """Why a webhook's event type pattern matches nothing (None when it is fine):
        `*`, a family (`organization.*`) or a declared type (`organization.created`)."""
        if pattern == "*" or pattern in self._by_name:
            return None
        if pattern.endswith(".*") and pattern[:-2] in self.families:
            return None
        if pattern.endswith(".*"):
            return f"No event type of the family {pattern[:-2]!r}; see the eventTypes query."
        return f"{pattern!r} is not an event type; see the eventTypes query (or use a family: organization.*, or *)."


# Every domain's event types: filled once by crm_graph.domains.enabled, over DOMAINS.
CATALOG = Catalog()
