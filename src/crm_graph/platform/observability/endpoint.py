"""GET /metrics: Prometheus exposition of this API instance, behind a bearer token
when CRM_METRICS_TOKEN is set."""

from __future__ import annotations

import hmac
from typing import Any

import structlog
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import Receive, Scope, Send

from crm_graph.platform.observability import backlog, metrics

log = structlog.get_logger(__name__)


class MetricsEndpoint:
    """An ASGI app for Route("/metrics", ...); `state` is the app's AppState."""

    def __init__(self, state: Any) -> None:
        self.state = state
        settings = state.settings
        self.token = (settings.metrics_token or "").encode()
        if settings.production and not self.token:
            log.warning("metrics.unprotected", hint="set CRM_METRICS_TOKEN, or keep /metrics off the internet")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        if self.token and not self._authorized(request.headers.get("authorization", "")):
            response: Response = PlainTextResponse(
                "A valid metrics token is required.\n",
                status_code=401,
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
            await response(scope, receive, send)
            return
        try:
            found: backlog.Backlog | None = await backlog.collect(self.state.engine)
        except Exception as exc:
            log.warning("metrics.backlog_failed", error=f"{type(exc).__name__}: {str(exc).partition(chr(10))[0]}"[:300])
            found = None
        metrics.sample_pool(self.state.app_engine, "api")
        metrics.sample_pool(self.state.engine, "owner")
        metrics.sample_read_pool(self.state.reads)
        body, content_type = metrics.render(found, accept=request.headers.get("accept", ""))
        await Response(body, media_type=content_type, headers={"Cache-Control": "no-store"})(scope, receive, send)

    def _authorized(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), self.token)
