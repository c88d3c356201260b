"""OpenTelemetry traces over OTLP/HTTP, on when CRM_OTEL_ENDPOINT is set.

    with tracing.span("query OrgList", operation_name="OrgList", operation_type="query") as s:
        ...
        s.set(cost=120, statements=4, outcome="ok")

`span` is a no-op when tracing is off. Spans are batched and sent by a background
thread; an unreachable collector costs dropped spans, never a failed request.
The SDK is an optional extra (`pip install 'crm-graph[otel]'`).
"""

from __future__ import annotations

import importlib
import os
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

# Our keyword names -> OpenTelemetry semantic-convention keys; any other key is `crm.<key>`.
_KEYS = {
    "operation_name": "graphql.operation.name",
    "operation_type": "graphql.operation.type",
    "document": "graphql.document",
}
INSTALL_HINT = "pip install 'crm-graph[otel]'"

_lock = threading.Lock()
_provider: Any = None
_tracer: Any = None
_endpoint: str | None = None


def traces_url(endpoint: str) -> str:
    """A collector's base URL (http://collector:4318) gets OTLP's /v1/traces; a URL
    with a path is used as it is."""
    return endpoint.rstrip("/") + "/v1/traces" if urlsplit(endpoint).path in ("", "/") else endpoint


def check_installed(settings: Any) -> None:
    """Raise RuntimeError naming the extra to install when `settings.otel_endpoint` is
    set but the OpenTelemetry SDK or its OTLP/HTTP exporter is not installed."""
    if not settings.otel_endpoint:
        return
    try:
        for module in ("opentelemetry.sdk.trace", "opentelemetry.exporter.otlp.proto.http.trace_exporter"):
            importlib.import_module(module)
    except ImportError as exc:
        raise RuntimeError(
            f"CRM_OTEL_ENDPOINT is set but the OpenTelemetry SDK is not installed: {INSTALL_HINT}"
        ) from exc


def configure_tracing(settings: Any) -> None:
    """Start (or stop, or re-point) the exporter per `settings.otel_endpoint`.

    Raises RuntimeError naming the extra to install when the endpoint is set but the
    OpenTelemetry SDK is not installed: better a failed start than silent no traces.
    """
    global _provider, _tracer, _endpoint
    endpoint = settings.otel_endpoint or None
    with _lock:
        if endpoint == _endpoint:
            return
    shutdown_tracing()
    if endpoint is None:
        return
    check_installed(settings)
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    # OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, when set, name the service instead.
    attributes = {} if os.environ.get("OTEL_SERVICE_NAME") else {"service.name": "crm-graph"}
    provider = TracerProvider(resource=Resource.create(attributes))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces_url(endpoint), timeout=10)))
    with _lock:
        _provider, _tracer, _endpoint = provider, provider.get_tracer("crm_graph"), endpoint


def shutdown_tracing() -> None:
    """Send what is batched and stop the exporter (at application shutdown)."""
    global _provider, _tracer, _endpoint
    with _lock:
        provider, _provider, _tracer, _endpoint = _provider, None, None, None
    if provider is not None:
        provider.shutdown()


def flush(timeout_seconds: float = 5.0) -> bool:
    """Send the batched spans now; True when all were exported (or tracing is off)."""
    provider = _provider
    return True if provider is None else bool(provider.force_flush(int(timeout_seconds * 1000)))


def enabled() -> bool:
    return _tracer is not None


def _value(value: Any) -> Any:
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return str(value)


def _attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    return {_KEYS.get(k, f"crm.{k}"): _value(v) for k, v in attributes.items() if v is not None}


class Span:
    """What `span` yields: add attributes or mark a failure after the span started."""

    def __init__(self, span: Any = None) -> None:
        self._span = span

    def set(self, **attributes: Any) -> None:
        if self._span is not None:
            self._span.set_attributes(_attributes(attributes))

    def fail(self, description: str) -> None:
        """Mark the span failed without an exception (GraphQL errors in the result)."""
        if self._span is not None:
            from opentelemetry.trace import Status, StatusCode

            self._span.set_status(Status(StatusCode.ERROR, description))


_NOOP = Span()


@contextmanager
def span(name: str, headers: Mapping[str, str] | None = None, **attributes: Any) -> Iterator[Span]:
    """A span around the block; an exception escaping the block is recorded on it. A
    no-op when tracing is off.

    With `headers` (the request's), a W3C `traceparent` in them makes the span a child
    of the caller's trace; otherwise it is the current span's child (or a root).
    """
    tracer = _tracer
    if tracer is None:
        yield _NOOP
        return
    context = None
    if headers is not None and "traceparent" in headers:
        from opentelemetry.trace.propagation.tracecontext import (
            TraceContextTextMapPropagator,
        )

        context = TraceContextTextMapPropagator().extract(headers)
    with tracer.start_as_current_span(name, context=context, attributes=_attributes(attributes)) as current:
        yield Span(current)
