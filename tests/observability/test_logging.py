"""Logs are JSON lines on stderr that a log pipeline can index: one per GraphQL
operation with its request id, tenant, name, duration, cost and SQL statement count;
the standard library's loggers (uvicorn, httpx, ...) come out the same way."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
import structlog

from crm_graph.kernel.settings import Settings
from crm_graph.platform.observability.logging import configure_logging, log_operation

FIELDS = {
    "request_id",
    "tenant_id",
    "operation_name",
    "operation_type",
    "duration_ms",
    "cost",
    "statements",
    "outcome",
    "status",
    "event",
    "level",
    "timestamp",
}


@pytest.fixture(autouse=True)
def restore_json_logging() -> Iterator[None]:
    yield
    configure_logging(Settings())


def json_lines(err: str) -> list[dict[str, Any]]:
    lines = [line for line in err.splitlines() if line.strip()]
    return [json.loads(line) for line in lines]  # every line must be JSON


def operations(err: str) -> list[dict[str, Any]]:
    return [line for line in json_lines(err) if line.get("event") == "graphql.operation"]


async def test_each_graphql_operation_logs_one_json_line(tenant, http_ordinary, capsys):
    configure_logging(Settings())
    capsys.readouterr()
    response = await http_ordinary.post(
        "/graphql",
        json={"query": "query LoggedViewer { viewer { name } }"},
        headers={"Authorization": f"Bearer {tenant.client().token}", "X-Request-Id": "req-logging-1"},
    )
    assert response.status_code == 200
    [line] = operations(capsys.readouterr().err)
    assert line.keys() >= FIELDS, FIELDS - line.keys()
    assert line["request_id"] == "req-logging-1"
    assert line["tenant_id"] == str(tenant.id)
    assert (line["operation_name"], line["operation_type"], line["outcome"], line["status"]) == (
        "LoggedViewer",
        "query",
        "ok",
        200,
    )
    assert line["duration_ms"] > 0 and line["statements"] >= 1 and line["cost"] >= 1
    assert line["level"] == "info" and line["timestamp"].endswith("Z")


def test_log_operation_fields_and_levels(capsys):
    configure_logging(Settings())
    capsys.readouterr()
    for outcome in ("ok", "throttled", "timeout", "internal"):
        log_operation(
            request_id="r1",
            tenant_id=None,
            operation_name=None,
            operation_type=None,
            duration_ms=12.34567,
            cost=None,
            statements=None,
            outcome=outcome,
            status=200,
        )
    lines = operations(capsys.readouterr().err)
    assert [(line["outcome"], line["level"]) for line in lines] == [
        ("ok", "info"),
        ("throttled", "info"),
        ("timeout", "warning"),
        ("internal", "error"),
    ]
    assert lines[0]["duration_ms"] == 12.346 and lines[0]["tenant_id"] is None


def test_the_log_level_setting_filters(capsys):
    configure_logging(Settings(log_level="WARNING"))
    capsys.readouterr()
    for outcome in ("ok", "internal"):
        log_operation(
            request_id="r2",
            tenant_id=None,
            operation_name="Op",
            operation_type="query",
            duration_ms=1.0,
            cost=1,
            statements=1,
            outcome=outcome,
            status=200,
        )
    logging.getLogger("some.library").info("routine")
    logging.getLogger("some.library").warning("worth seeing")
    lines = json_lines(capsys.readouterr().err)
    assert [(line["event"], line.get("outcome")) for line in lines] == [
        ("graphql.operation", "internal"),
        ("worth seeing", None),
    ]


def test_stdlib_loggers_and_bound_context_come_out_as_json(capsys):
    configure_logging(Settings())
    configure_logging(Settings())  # again: still one line per record
    capsys.readouterr()
    with structlog.contextvars.bound_contextvars(request_id="req-ctx"):
        structlog.get_logger("crm_graph.somewhere").info("something.happened", records=3)
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    first, second = json_lines(capsys.readouterr().err)
    assert (first["event"], first["records"], first["request_id"]) == ("something.happened", 3, "req-ctx")
    assert second["event"] == "Exception in ASGI application" and second["logger"] == "uvicorn.error"
    assert second["level"] == "error" and "boom" in json.dumps(second["exception"])


def test_a_console_renderer_when_json_is_off(capsys):
    configure_logging(Settings(log_json=False))
    capsys.readouterr()
    log_operation(
        request_id="r3",
        tenant_id=None,
        operation_name="HumanReadable",
        operation_type="query",
        duration_ms=5.0,
        cost=2,
        statements=1,
        outcome="ok",
        status=200,
    )
    err = capsys.readouterr().err
    assert "graphql.operation" in err and "HumanReadable" in err
    with pytest.raises(json.JSONDecodeError):
        json.loads(err.strip().splitlines()[-1])
