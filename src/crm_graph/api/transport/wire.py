"""What arrives over HTTP: media types, the body and the operation parameters,
checked as the GraphQL-over-HTTP specification says (and refused with its status
codes) before any document is looked at."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.requests import ClientDisconnect, Request

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"
# A browser sends these content types cross-origin without a CORS preflight; such a
# request must carry a header that forces one (CSRF), or it is refused.
SIMPLE_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")
PREFLIGHT_HEADERS = (
    "graphql-require-preflight",
    "x-requested-with",
    "apollo-require-preflight",
    "x-apollo-operation-name",
)


class Refused(Exception):
    """The request is refused before execution, with this status whatever the media type."""

    def __init__(
        self,
        status: int,
        message: str,
        code: str = "BAD_REQUEST",
        headers: dict[str, str] | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.headers = headers or {}
        self.extensions = extensions


def error(message: str, code: str, **extensions: Any) -> dict[str, Any]:
    return {"message": message, "extensions": {"code": code, **extensions}}


def negotiate(accept: str | None) -> str | None:
    """The response media type for an Accept header, or None (406)."""
    if not accept or not accept.strip():
        return JSON
    choices = []
    for position, part in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            choices.append((-q, position, media.lower()))
    for _, _, media in sorted(choices):
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return None


def _content_type(request: Request) -> tuple[str, str | None]:
    header = request.headers.get("content-type", "")
    media, *params = [p.strip() for p in header.split(";")]
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"The request body is larger than {limit} bytes.", "PAYLOAD_TOO_LARGE")
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise Refused(413, f"The request body is larger than {limit} bytes.", "PAYLOAD_TOO_LARGE")
            chunks.append(chunk)
    except ClientDisconnect as exc:  # nobody is left to answer; nothing runs
        raise Refused(400, "The client went away before sending the whole body.", "CLIENT_DISCONNECTED") from exc
    return b"".join(chunks)


def _json(text: str | bytes, what: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise Refused(400, f"{what} is not valid JSON.", "BAD_REQUEST") from exc


async def read_operations(request: Request, max_body: int) -> tuple[list[dict[str, Any]], bool]:
    """The request's operation parameters, and whether it was a batch."""
    if request.method == "GET":
        params: dict[str, Any] = dict(request.query_params)
        for name in ("variables", "extensions"):
            if name in params and params[name] != "":
                params[name] = _json(params[name], f"`{name}`")
            else:
                params.pop(name, None)
        return [params], False
    media, charset = _content_type(request)
    if charset not in (None, "utf-8", "utf8"):
        raise Refused(415, "Request bodies must be UTF-8.", "UNSUPPORTED_MEDIA_TYPE")
    if media in SIMPLE_TYPES and not any(request.headers.get(h) for h in PREFLIGHT_HEADERS):
        raise Refused(
            415,
            f"`{media}` requests need a `GraphQL-Require-Preflight` header (CSRF protection); send `application/json`.",
            "CSRF_PREFLIGHT_REQUIRED",
        )
    body = await _body(request, max_body)
    if media in (JSON, "text/plain"):
        if not body.strip():
            raise Refused(400, "The request body is empty.", "BAD_REQUEST")
        parsed = _json(body, "The request body")
    elif media == "application/x-www-form-urlencoded":
        try:
            parsed = dict(parse_qsl(body.decode(), strict_parsing=False))
        except UnicodeDecodeError as exc:
            raise Refused(400, "The request body is not UTF-8.", "BAD_REQUEST") from exc
        for name in ("variables", "extensions"):
            if name in parsed:
                parsed[name] = _json(parsed[name], f"`{name}`")
    else:
        raise Refused(415, "Send GraphQL requests as `application/json`.", "UNSUPPORTED_MEDIA_TYPE")
    if isinstance(parsed, list):
        return parsed, True
    return [parsed], False


def check_params(params: Any) -> None:
    if not isinstance(params, dict):
        raise Refused(400, "Each operation must be a JSON object.")
    for name, kind in (("query", str), ("operationName", str), ("variables", dict), ("extensions", dict)):
        value = params.get(name)
        if value is not None and not isinstance(value, kind):
            raise Refused(400, f"`{name}` must be {'a string' if kind is str else 'an object'}.")
    if (
        params.get("query") is None
        and params.get("documentId") is None
        and not (params.get("extensions") or {}).get("persistedQuery")
    ):
        raise Refused(400, "Pass the operation in `query`.")
