"""Operability: structured logs (`logging`), Prometheus metrics (`metrics`, served at
GET /metrics by `endpoint`, with scrape-time backlog gauges from `backlog`) and
optional OpenTelemetry traces (`tracing`).

Nothing here imports prometheus_client at package import: the CLI must be able to set
PROMETHEUS_MULTIPROC_DIR before it is first imported.
"""
