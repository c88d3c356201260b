"""Prometheus metrics: what each GraphQL operation did, the database pools, and the
backlogs read at scrape time (`backlog.Backlog`); `render` is the body of GET /metrics.

Several uvicorn workers (`crm-graph serve --workers N`) share one set of numbers
through prometheus_client's multiprocess mode: the CLI sets PROMETHEUS_MULTIPROC_DIR
before any worker imports prometheus_client, each process writes its samples there,
and whichever worker answers a scrape adds them all up.

Operation names come from clients, so they are bounded: a name that is not a plain
GraphQL name of at most 64 characters, or one past the first MAX_OPERATION_NAMES
distinct names of this process, is counted as "other".
"""

from __future__ import annotations

import os
import re
import threading
import weakref
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from sqlalchemy import event

if TYPE_CHECKING:  # the tables need not be imported to count operations
    from crm_graph.platform.observability.backlog import Backlog

OUTCOMES = frozenset({"ok", "error", "rejected", "throttled", "timeout", "internal"})
OPERATION_TYPES = frozenset({"query", "mutation", "subscription"})
COMPILED_PATHS = frozenset({"compiled", "fallback", "failed"})
MAX_OPERATION_NAMES = 500
MAX_REASONS = 50
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# Rejected and throttled operations never ran: their (tiny) durations would only
# drag the latency percentiles of the ones that did.
_UNTIMED = frozenset({"rejected", "throttled"})

REQUESTS = Counter("crm_graphql_requests_total", "GraphQL operations received.", ["operation", "type"])
ERRORS = Counter(
    "crm_graphql_errors_total",
    "GraphQL operations that did not end ok, by outcome: error (errors in the result), "
    "rejected (parse, validation, limits), throttled, timeout, internal.",
    ["operation", "type", "outcome"],
)
DURATION = Histogram(
    "crm_graphql_duration_seconds",
    "Time to answer a GraphQL operation that ran (not rejected or throttled).",
    ["operation", "type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
COST = Counter("crm_graphql_cost_total", "Query cost charged to GraphQL operations.", ["operation", "type"])
STATEMENTS = Counter(
    "crm_graphql_sql_statements_total", "SQL statements sent for GraphQL operations.", ["operation", "type"]
)
COMPILED = Counter(
    "crm_graphql_compiled_total",
    "Operations by query-compiler path (compiled, fallback, failed) and the reason for a fallback.",
    ["path", "reason"],
)
# livesum: across the live worker processes, each reporting its own pool.
POOL_IN_USE = Gauge(
    "crm_db_pool_connections_in_use", "Connections checked out of the pool.", ["pool"], multiprocess_mode="livesum"
)
POOL_SIZE = Gauge(
    "crm_db_pool_size", "Connections the pool keeps open (CRM_DB_POOL_SIZE).", ["pool"], multiprocess_mode="livesum"
)
POOL_MAX = Gauge(
    "crm_db_pool_max_connections",
    "Connections the pool may open, overflow included.",
    ["pool"],
    multiprocess_mode="livesum",
)

_names: set[str] = set()
_reasons: set[str] = set()
_lock = threading.Lock()
_watched: weakref.WeakSet[Any] = weakref.WeakSet()


def _bounded(value: str | None, seen: set[str], limit: int, default: str) -> str:
    if value is None:
        return default
    if not _NAME.fullmatch(value):
        return "other"
    with _lock:
        if value in seen:
            return value
        if len(seen) >= limit:
            return "other"
        seen.add(value)
        return value


def operation_label(name: str | None) -> str:
    """The `operation` label for a client-chosen operation name."""
    return _bounded(name, _names, MAX_OPERATION_NAMES, "anonymous")


_children: dict[tuple[str, str], tuple[Any, ...]] = {}
_compiled_children: dict[tuple[str, str | None], Any] = {}


def record_operation(
    *,
    operation_name: str | None,
    operation_type: str,
    duration_seconds: float,
    outcome: str,
    cost: int | None,
    statements: int | None,
) -> None:
    """Count one GraphQL operation; outcome is one of OUTCOMES."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}: one of {sorted(OUTCOMES)}")
    labels = (operation_label(operation_name), operation_type if operation_type in OPERATION_TYPES else "unknown")
    children = _children.get(labels)
    if children is None:  # the metrics' children of these labels, looked up once
        children = _children[labels] = (
            REQUESTS.labels(*labels),
            DURATION.labels(*labels),
            COST.labels(*labels),
            STATEMENTS.labels(*labels),
        )
    requests, duration, costs, statements_sent = children
    requests.inc()
    if outcome != "ok":
        ERRORS.labels(*labels, outcome).inc()
    if outcome not in _UNTIMED:
        duration.observe(max(duration_seconds, 0.0))
    if cost:
        costs.inc(cost)
    if statements:
        statements_sent.inc(statements)


def record_compiled(path: str, reason: str | None = None) -> None:
    """Count one operation by the query compiler's path; `reason` says why it fell back
    (a short identifier such as `unsupported_directive`)."""
    if path not in COMPILED_PATHS:
        raise ValueError(f"unknown compiler path {path!r}: one of {sorted(COMPILED_PATHS)}")
    child = _compiled_children.get((path, reason))
    if child is None:
        child = _compiled_children[(path, reason)] = COMPILED.labels(path, _bounded(reason, _reasons, MAX_REASONS, ""))
    child.inc()


def watch_pool(engine: Any, pool: str) -> None:
    """Keep the pool gauges of `engine` (an AsyncEngine) current; once per engine."""
    sync = getattr(engine, "sync_engine", engine)
    if sync in _watched:
        return
    _watched.add(sync)

    # sync.pool is looked up each time: dispose() replaces the pool (keeping the listeners).
    def checked_out(*_: Any) -> None:
        POOL_IN_USE.labels(pool).set(sync.pool.checkedout())

    def checked_in(*_: Any) -> None:
        # Still counted as out while its checkin event runs.
        POOL_IN_USE.labels(pool).set(max(sync.pool.checkedout() - 1, 0))

    if multiprocess():
        # Another worker answers the scrape: each keeps its own gauge current. Alone,
        # the process samples its pool at each scrape (sample_pool) and pays nothing
        # per checkout.
        event.listen(sync, "checkout", checked_out)
        event.listen(sync, "checkin", checked_in)
    sample_pool(engine, pool)


def sample_read_pool(reads: Any, pool: str = "reads") -> None:
    """Set the pool gauges of the compiled read path's pool (asyncpg's) from the pool
    itself: at start and at each scrape (it has no checkout events to listen to)."""
    POOL_SIZE.labels(pool).set(reads.get_max_size())
    POOL_MAX.labels(pool).set(reads.get_max_size())
    POOL_IN_USE.labels(pool).set(reads.get_size() - reads.get_idle_size())


def sample_pool(engine: Any, pool: str) -> None:
    """Set the pool gauges of `engine` from the pool itself (at a scrape)."""
    queue = getattr(engine, "sync_engine", engine).pool
    size = queue.size()
    POOL_SIZE.labels(pool).set(size)
    POOL_MAX.labels(pool).set(size + max(getattr(queue, "_max_overflow", 0), 0))
    POOL_IN_USE.labels(pool).set(queue.checkedout())


def multiprocess() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def process_exiting() -> None:
    """Drop this process's live gauges from the shared directory (a worker stopping)."""
    if multiprocess():
        from prometheus_client import multiprocess as mp

        mp.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]  # prometheus_client leaves it untyped


def _backlog_families(backlog: Backlog | None) -> Iterator[Metric]:
    up = GaugeMetricFamily(
        "crm_metrics_database_up", "1 when the backlog gauges below could be read from PostgreSQL at this scrape."
    )
    up.add_metric([], 0 if backlog is None else 1)
    yield up
    if backlog is None:
        return
    yield GaugeMetricFamily(
        "crm_outbox_unrelayed_events",
        "Committed change events not yet relayed to the Redis streams.",
        value=backlog.outbox_unrelayed,
    )
    yield GaugeMetricFamily(
        "crm_outbox_oldest_unrelayed_age_seconds",
        "Age of the oldest committed event not yet relayed (0 when none): the relay's lag.",
        value=backlog.outbox_oldest_age_seconds,
    )
    deliveries = GaugeMetricFamily(
        "crm_webhook_deliveries_backlog",
        "Webhook deliveries not yet done: pending (not tried yet) or retrying.",
        labels=["state"],
    )
    deliveries.add_metric(["pending"], backlog.webhook_pending)
    deliveries.add_metric(["retrying"], backlog.webhook_retrying)
    yield deliveries
    yield GaugeMetricFamily(
        "crm_webhook_oldest_due_delivery_age_seconds",
        "How long the most overdue webhook delivery has been due (0 when none): the worker's lag.",
        value=backlog.webhook_oldest_due_age_seconds,
    )
    yield GaugeMetricFamily(
        "crm_webhooks_disabled",
        "Webhook endpoints disabled (410 Gone, 5 days of failures).",
        value=backlog.webhooks_disabled,
    )


class _Scrape:
    """The process (or multiprocess) registry plus the gauges read at this scrape."""

    def __init__(self, base: Any, extra: Iterable[Metric]) -> None:
        self.base = base
        self.extra = list(extra)

    def collect(self) -> Iterator[Metric]:
        yield from self.base.collect()
        yield from self.extra


def render(backlog: Backlog | None = None, *, accept: str = "") -> tuple[bytes, str]:
    """The /metrics body and its content type (OpenMetrics when `accept` asks for it).

    `backlog` is None when PostgreSQL could not be read: the process metrics are
    still served, with crm_metrics_database_up 0.
    """
    if multiprocess():
        from prometheus_client import multiprocess as mp

        base: Any = CollectorRegistry()
        mp.MultiProcessCollector(base)  # type: ignore[no-untyped-call]  # prometheus_client leaves it untyped
    else:
        base = REGISTRY
    encoder, content_type = choose_encoder(accept)
    return encoder(_Scrape(base, _backlog_families(backlog))), content_type
