"""graphql-transport-ws as the protocol defines it, on top of Strawberry's handler.

Strawberry closes with the protocol's codes (4400 bad message, 4401 subscribe
before ack, 4403 refused connection_init, 4406 subprotocol, 4408 init timeout,
4409 duplicate id, 4429 second connection_init). Two gaps are closed here:
a JSON message that is not an object, or a subscribe whose payload is not one,
made the handler raise and drop the connection without a close frame instead of
closing it with 4400; and the
per-connection operation limit answered an `error` without a code to tell it by.

Ours on top: a connection over the live-connection caps is closed with 4008 at
connection_init; a `ping` whose payload carries `authorization` renews the
connection's token (same user; another user's or an invalid token closes with 4403);
after the token expired, any further operation closes the socket with 4401.
"""

from __future__ import annotations

from typing import Any

from starlette.websockets import WebSocketDisconnect
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)

from crm_graph.api.transport.gate import Outcome, prepare
from crm_graph.platform.events import api_subscriptions as subscriptions
from crm_graph.platform.events.sharing import Rendered
from graphql import GraphQLError, OperationType

TOO_MANY = "TOO_MANY_SUBSCRIPTIONS"
ALL_KINDS = {OperationType.QUERY, OperationType.MUTATION, OperationType.SUBSCRIPTION}


def _problem(message: Any) -> str | None:
    """Why `message` is not a well-formed graphql-transport-ws message (None: it is)."""
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return "A message is a JSON object with a string `type`."
    kind = message["type"]
    if kind in ("subscribe", "complete") and not isinstance(message.get("id"), str):
        return f"A {kind} message needs a string `id`."
    if kind == "subscribe":
        payload = message.get("payload")
        if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):
            return "A subscribe message needs a payload with a string `query`."
        if not isinstance(payload.get("variables") or {}, dict):
            return "`variables` must be an object."
        if not isinstance(payload.get("operationName") or "", str):
            return "`operationName` must be a string."
    return None


_MARK = "\x00crm-data\x00"


class TransportWSHandler(BaseGraphQLTransportWSHandler[Any, Any]):
    _frames: dict[str, tuple[str, str]] | None = None

    def _encode(self, value: Any) -> str:
        encoded = self.websocket.view.encode_json(value)
        return encoded.decode() if isinstance(encoded, bytes) else encoded

    async def send_message(self, message: Any) -> None:
        payload = message.get("payload")
        data = payload.get("data") if isinstance(payload, dict) else None
        if type(data) is not Rendered or message["type"] != "next" or len(payload) != 1:
            await super().send_message(message)
            return
        # A live event's answer shared with other subscribers (platform/events/sharing.py):
        # encoded once; this connection only wraps it in its operation's frame, which is
        # encoded by the same function, so the bytes are those send_json would send.
        if data.text is None:
            data.text = self._encode(dict(data))
        if self._frames is None:
            self._frames = {}
        frames = self._frames
        frame = frames.get(message["id"])
        if frame is None:
            text = self._encode({"id": message["id"], "type": "next", "payload": {"data": _MARK}})
            head, _, tail = text.partition(self._encode(_MARK))
            frame = frames[message["id"]] = (head, tail)
            if len(frames) > 64:
                frames.pop(next(iter(frames)))
        try:
            # Strawberry's Starlette adapter holds the Starlette WebSocket as `ws`; its base type does not say so.
            await self.websocket.ws.send_text(frame[0] + data.text + frame[1])  # type: ignore[attr-defined]
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc

    async def run_operation(self, operation: Any) -> None:
        try:
            await super().run_operation(operation)
        finally:
            # Queries and mutations over the socket share one database handle; it gives
            # its pooled connection back between operations instead of holding it for
            # the socket's lifetime.
            release = getattr(self.context, "release_idle", None)
            if release is not None:
                await release()

    async def handle_message(self, message: Any) -> None:
        if (problem := _problem(message)) is not None:
            await self.handle_invalid_message(problem)
            return
        await super().handle_message(message)

    async def handle_connection_init(self, message: Any) -> None:
        try:
            await super().handle_connection_init(message)
        except subscriptions.TooManyConnections as exc:
            await self.websocket.close(code=subscriptions.TOO_MANY_CLOSE_CODE, reason=str(exc)[:120])

    async def handle_ping(self, message: Any) -> None:
        renewed = None
        if self.connection_acknowledged:
            renewed = await subscriptions.renew(self.context, message.get("payload"))
        if renewed is False:
            await self.websocket.close(code=4403, reason="Forbidden")
            return
        await super().handle_ping(message)

    async def handle_subscribe(self, message: Any) -> None:
        if self.connection_acknowledged and self.context.expired():
            await self.websocket.close(code=subscriptions.EXPIRED_CLOSE_CODE, reason="Token expired")
            return
        # Strawberry counts every in-flight operation (a query or mutation sent over the
        # socket too) and answers the one over the limit with an `error`; the
        # connection and the other subscriptions go on.
        limit = self.max_subscriptions_per_connection
        if (
            self.connection_acknowledged
            and message["id"] not in self.operations
            and limit is not None
            and len(self.operations) >= limit
        ):
            error = GraphQLError(
                f"At most {limit} subscriptions per connection: complete one first.", extensions={"code": TOO_MANY}
            )
            await self.send_message({"id": message["id"], "type": "error", "payload": [error.formatted]})
            return
        if self.connection_acknowledged and message["id"] not in self.operations:
            # The same checks as over HTTP: trusted documents, limits, cost and budget.
            context = self.context
            prepared = await prepare(
                context.state,
                self.schema._schema,  # type: ignore[attr-defined]  # a strawberry.Schema: its graphql-core schema
                context,
                message["payload"],
                "application/graphql-response+json",
                ALL_KINDS,
                "WS",
            )
            if isinstance(prepared, Outcome):
                errors = prepared.body["errors"]
                if errors[0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED":
                    await self.handle_invalid_message(errors[0]["message"])  # 4400, like graphql-ws
                else:
                    await self.send_message({"id": message["id"], "type": "error", "payload": errors})
                return
        await super().handle_subscribe(message)
