"""With CRM_OTEL_ENDPOINT set, each GraphQL operation is a span sent over OTLP/HTTP
to the collector (here a real HTTP server on 127.0.0.1 decoding the protobuf);
without the SDK installed, the API refuses to start and says what to install."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.trace.v1.trace_pb2 import Status

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings
from crm_graph.platform.observability import tracing


@dataclass
class Collector:
    url: str
    paths: list[str] = field(default_factory=list)
    spans: list[tuple[dict[str, Any], Any]] = field(default_factory=list)  # (resource attributes, span)

    def named(self, name: str) -> list[Any]:
        return [s for _, s in self.spans if s.name == name]


def attributes(kvs: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kv in kvs:
        which = kv.value.WhichOneof("value")
        out[kv.key] = getattr(kv.value, which) if which else None
    return out


@pytest.fixture
def collector() -> Iterator[Collector]:
    state = Collector(url="")
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            with lock:
                state.paths.append(self.path)
                for resource_spans in request.resource_spans:
                    resource = attributes(resource_spans.resource.attributes)
                    for scope_spans in resource_spans.scope_spans:
                        state.spans.extend((resource, s) for s in scope_spans.spans)
            reply = ExportTraceServiceResponse().SerializeToString()
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    tracing.shutdown_tracing()
    server.shutdown()
    server.server_close()


async def test_a_graphql_operation_arrives_at_the_collector_as_a_span(collector, one_path):
    tracing.configure_tracing(Settings(otel_endpoint=collector.url))
    assert tracing.enabled()
    await one_path("query TracedViewer { viewer { name } }")
    assert tracing.flush()
    assert collector.paths and set(collector.paths) == {"/v1/traces"}
    spans = [
        s
        for s in collector.named("graphql.operation")
        if attributes(s.attributes).get("graphql.operation.name") == "TracedViewer"
    ]
    assert len(spans) == 1, [s.name for _, s in collector.spans]
    attrs = attributes(spans[0].attributes)
    assert attrs["graphql.operation.type"] == "query"
    assert spans[0].end_time_unix_nano > spans[0].start_time_unix_nano
    resource = next(r for r, s in collector.spans if s is spans[0])
    assert resource["service.name"] == "crm-graph"


def test_span_attributes_added_later_and_failures_are_exported(collector):
    tracing.configure_tracing(Settings(otel_endpoint=collector.url + "/v1/traces"))
    with tracing.span("graphql.operation", operation_name="Later", operation_type="mutation", tenant_id=None) as span:
        span.set(cost=42, statements=3, outcome="error")
        span.fail("GraphQL errors in the result")
    with pytest.raises(ZeroDivisionError), tracing.span("graphql.operation", operation_name="Raises"):
        1 / 0  # noqa: B018
    assert tracing.flush()
    by_name = {attributes(s.attributes)["graphql.operation.name"]: s for s in collector.named("graphql.operation")}
    later = attributes(by_name["Later"].attributes)
    assert (later["crm.cost"], later["crm.statements"], later["crm.outcome"]) == (42, 3, "error")
    assert "crm.tenant_id" not in later  # None is left out
    assert by_name["Later"].status.code == Status.STATUS_CODE_ERROR
    raised = by_name["Raises"]
    assert raised.status.code == Status.STATUS_CODE_ERROR
    assert any(e.name == "exception" for e in raised.events)


def test_a_callers_traceparent_makes_the_operation_part_of_its_trace(collector):
    tracing.configure_tracing(Settings(otel_endpoint=collector.url))
    trace_id, parent_id = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"
    with tracing.span(
        "graphql.operation", headers={"traceparent": f"00-{trace_id}-{parent_id}-01"}, operation_name="Continued"
    ):
        pass
    with tracing.span("graphql.operation", headers={}, operation_name="Fresh"):
        pass
    assert tracing.flush()
    by_name = {attributes(s.attributes)["graphql.operation.name"]: s for s in collector.named("graphql.operation")}
    assert by_name["Continued"].trace_id.hex() == trace_id
    assert by_name["Continued"].parent_span_id.hex() == parent_id
    assert by_name["Fresh"].trace_id.hex() != trace_id and not by_name["Fresh"].parent_span_id


def test_without_an_endpoint_spans_cost_nothing_and_send_nothing(collector):
    tracing.configure_tracing(Settings(otel_endpoint=None))
    assert not tracing.enabled()
    with tracing.span("graphql.operation", operation_name="Untraced") as span:
        span.set(cost=1)
        span.fail("ignored")
    assert tracing.flush()
    assert collector.paths == []


def test_the_api_refuses_to_start_without_the_sdk(monkeypatch, database_url):
    # As if `pip install crm-graph` had been run without the [otel] extra.
    monkeypatch.setitem(sys.modules, "opentelemetry.exporter.otlp.proto.http.trace_exporter", None)
    tracing.shutdown_tracing()
    with pytest.raises(RuntimeError, match=r"pip install 'crm-graph\[otel\]'"):
        create_app(Settings(database_url=database_url, otel_endpoint="http://127.0.0.1:4318"))
    assert not tracing.enabled()


def test_crm_graph_serve_refuses_to_start_without_the_sdk(database_url, redis_url, tmp_path):
    # The SDK hidden from a real `crm-graph serve --workers 2`: it must stop before
    # starting (and respawning) workers, saying what to install.
    code = (
        "import sys; sys.modules['opentelemetry.sdk.trace'] = None; "
        "from crm_graph.cli import main; main(['serve', '--workers', '2', '--port', '0'])"
    )
    env = {
        **os.environ,
        "CRM_DATABASE_URL": database_url,
        "CRM_REDIS_URL": redis_url,
        "CRM_OTEL_ENDPOINT": "http://127.0.0.1:4318",
        "CRM_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "pip install 'crm-graph[otel]'" in done.stderr
    assert "/graphql" not in done.stdout, "the server must not have started"
