"""A request's Origin as CORS and embed tokens read it: present only when the page is
on another origin (crm_graph.api.transport.cors answers it; an embed token is bound
to it, crm_graph.platform.identity.embed)."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import Scope
from strawberry.http.websocket_origin import normalize_origin


def cross_origin(scope: Scope) -> str | None:
    """The request's Origin when it comes from a page on another origin, else None
    (no Origin: not a browser, so no ambient credentials to abuse)."""
    headers = Headers(scope=scope)
    origin = headers.get("origin")
    if origin is None or headers.get("sec-fetch-site") == "same-origin":
        return None
    host = headers.get("host")
    normalized = normalize_origin(origin)
    if host and normalized is not None:
        scheme = scope.get("scheme", "http")
        scheme = {"ws": "http", "wss": "https"}.get(scheme, scheme)
        if normalized == normalize_origin(f"{scheme}://{host}"):
            return None
    return origin
