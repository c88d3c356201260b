"""Change events: the `events` catch-up query (subscriptions build on the same type)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Optional

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from crm_graph.api.kit.errors import bad_input
from crm_graph.api.kit.fields import Policy, root_field
from crm_graph.api.kit.node import Node, PageInfo, make_node
from crm_graph.kernel.catalog import CATALOG
from crm_graph.platform.events import outbox
from crm_graph.platform.events.queries import MAX_PAGE, CursorExpired, check_after, events_after, strip_hidden
from crm_graph.readside.ids import to_global_id
from crm_graph.readside.spec import entity as entity_named
from crm_graph.readside.spec import entity_by_record_type
from graphql import GraphQLError

AFTER_DESCRIPTION = (
    "An event id: what came after it. An id older than the event retention is refused with "
    "CURSOR_EXPIRED (events after it were deleted, so some were missed: read the records again, "
    "then follow from the newest event); `extensions.oldest` names the oldest kept event."
)


def cursor_expired(exc: CursorExpired) -> GraphQLError:
    return GraphQLError(str(exc), extensions={"code": "CURSOR_EXPIRED", "oldest": outbox.event_id(exc.oldest)})


@strawberry.type(description="One changed field: its value before and after.")
class FieldChange:
    field: str = strawberry.field(description="The field's name as in the record's GraphQL type, e.g. lifecycleStage.")
    before: Optional[JSON] = strawberry.field(description="Its value before the change (JSON); null if it had none.")
    after: Optional[JSON] = strawberry.field(description="Its value after the change (JSON); null if it has none.")


@strawberry.type(description="Something that happened to a record, in commit order per tenant.")
class Event:
    id: str = strawberry.field(description="Sortable; pass it as `after` to resume.")
    type: str = strawberry.field(description="e.g. organization.updated, opportunity.stage_changed.")
    occurred_at: datetime = strawberry.field(description="When the change was committed (UTC, ISO 8601).")
    record_type: str = strawberry.field(description="Type of the record that changed, e.g. organization.")
    record_id: Optional[strawberry.ID] = strawberry.field(description="Global ID of the record.")
    version: Optional[int] = strawberry.field(description="The record's version after the change.")
    changes: list[FieldChange] = strawberry.field(
        description="The fields that changed, only those you may read; empty for archive and restore."
    )
    _row: strawberry.Private[Any]

    @strawberry.field(description="The user who made the change (null for API keys and jobs).")  # type: ignore[untyped-decorator]  # the decorator form of strawberry.field is typed as returning Any
    async def actor(self, info: Info) -> Optional[Annotated[User, strawberry.lazy("crm_graph.api.kit.types")]]:  # type: ignore[name-defined]  # noqa: F821  a generated type (api.kit.types), resolved lazily by Strawberry
        user_id = self._row["actor_user_id"]
        if user_id is None:
            return None
        user = entity_named("User")
        row = await info.context.loaders.node(user).load(user_id)
        return None if row is None else make_node(user, row)

    @strawberry.field(description="The record as it is now, when it still exists and is visible.")  # type: ignore[untyped-decorator]  # the decorator form of strawberry.field is typed as returning Any
    async def record(self, info: Info) -> Optional[Node]:
        entity = entity_by_record_type(self.record_type)
        if entity is None:
            return None
        row = await info.context.loaders.node(entity).load(self._row["record_id"])
        return None if row is None else make_node(entity, row)


@strawberry.type(description="One event in a page, with its cursor.")
class EventEdge:
    cursor: str = strawberry.field(description="The event's id; pass it as after to resume.")
    node: Event = strawberry.field(description="The event.")


@strawberry.type(description="Events after a point, oldest first.")
class EventConnection:
    edges: list[EventEdge] = strawberry.field(description="The events of this page, oldest first.")
    page_info: PageInfo = strawberry.field(description="hasNextPage: more events follow; endCursor: where to resume.")


def to_event(actor: Any, row: Any) -> Event:
    entity = entity_by_record_type(row["record_type"])
    changes = strip_hidden(actor, row["record_type"], row["changes"])
    return Event(
        id=outbox.event_id(row["seq"]),
        type=row["type"],
        occurred_at=row["occurred_at"],
        record_type=row["record_type"],
        record_id=strawberry.ID(to_global_id(entity, row["record_id"])) if entity else None,
        version=row["record_version"],
        changes=[FieldChange(field=k, before=v[0], after=v[1]) for k, v in sorted(changes.items())],
        _row=row,
    )


async def resolve_events(
    info: Info,
    after: Annotated[Optional[str], strawberry.argument(description=AFTER_DESCRIPTION)] = None,
    types: Annotated[
        Optional[list[str]],
        strawberry.argument(
            description="Only events of these types (exact names, e.g. contact.updated); all when omitted."
        ),
    ] = None,
    first: Annotated[int, strawberry.argument(description=f"At most this many events (0 to {MAX_PAGE}).")] = 50,
) -> EventConnection:
    if not 0 <= first <= MAX_PAGE:
        raise bad_input(f"`first` must be between 0 and {MAX_PAGE}.", "first")
    start = 0
    if after is not None:
        parsed = outbox.parse_event_id(after)
        if parsed is None:
            raise bad_input("`after` is not an event id.", "after")
        start = parsed
    ctx = info.context
    if after is not None:
        try:
            await check_after(ctx.db, ctx.actor.tenant_id, start)
        except CursorExpired as exc:
            raise cursor_expired(exc) from exc
    rows, more = await events_after(ctx.db, ctx.actor, start, types, first)
    edges = [EventEdge(cursor=outbox.event_id(r["seq"]), node=to_event(ctx.actor, r)) for r in rows]
    return EventConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=more,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else after,
        ),
    )


@strawberry.type(
    name="EventType",
    description="A kind of event the API records and delivers (to `events`, "
    "subscriptions and webhooks), as declared by its domain.",
)
class EventTypeInfo:
    name: str = strawberry.field(
        description="What `Event.type` says, e.g. opportunity.stage_changed; webhooks subscribe to it by this name."
    )
    record_type: str = strawberry.field(description="The type of record it happens to (`Event.recordType`).")
    description: str = strawberry.field(description="When it happens.")
    payload_fields: list[str] = strawberry.field(
        description="The fields its `changes` may hold (only those that changed, and only those you may see)."
    )


async def resolve_event_types(info: Info) -> list[EventTypeInfo]:
    return [
        EventTypeInfo(
            name=t.name, record_type=t.record_type, description=t.description, payload_fields=list(t.payload_fields)
        )
        for t in CATALOG
    ]


QUERY_FIELDS = {
    "event_types": root_field(
        resolver=resolve_event_types,
        # The catalog is the same for everyone; what each one may see of events is per record.
        policy=Policy("node", "read"),
        description="Every event type, by name: what `events`, subscriptions and webhooks can carry.",
    ),
    "events": root_field(
        resolver=resolve_events,
        # Per record: an event shows only if its record is visible to the reader.
        policy=Policy("node", "read"),
        description="Change events after `after` (an event id), oldest first, as you may see them.",
    ),
}
FIELDS: dict[str, Any] = {}
