"""The one Settings class: every knob is a CRM_* environment variable."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str]) -> tuple[Network, ...]:
    """Addresses and CIDR blocks; a malformed one raises ValueError (at start-up)."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CRM_", env_file=None, extra="ignore")

    # Unset means: start the embedded PostgreSQL / Redis under data_dir.
    database_url: str | None = None
    redis_url: str | None = None
    data_dir: Path = Path(".crm-data")
    # TCP port of the embedded Redis; a free one is chosen if another process holds it.
    embedded_redis_port: int = 6391

    env: str = "development"  # "production" turns off GraphiQL and dev conveniences
    host: str = "127.0.0.1"
    port: int = 8000
    db_pool_size: int = 4
    # Connections opened beyond the pool while it is exhausted, closed again when
    # returned. They lose their prepared statements and tenant with them, so under
    # sustained load they cost more than waiting for a pooled connection (a request
    # holds one from its first statement to its response, a compiled read only for
    # its statement, a WebSocket none between operations).
    db_max_overflow: int = 0
    # Connections of the compiled read path (asyncpg's pool, beside SQLAlchemy's): a
    # query answered by one statement holds one for that statement only.
    db_read_pool_size: int = 4
    # HS256 bearer tokens (`crm-graph token`, dev login, your own issuer): the claim
    # names are configurable so tokens minted by another system can be accepted as is.
    # The default is public (it is in this file): production refuses tokens signed with it.
    jwt_secret: str = "dev-secret-change-me-before-production"
    jwt_tenant_claim: str = "tid"  # a tenant UUID
    jwt_user_claim: str = "sub"  # a user UUID
    # OpenID Connect (RS256/ES256 ID or access tokens): on when all three are set.
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks_url: str | None = None
    oidc_tenant_claim: str = "tenant"  # holds the tenant's slug
    oidc_email_claim: str = "email"  # matched case-insensitively to a user of that tenant
    # /dev/users, /dev/login and a GraphiQL page with a user picker; never in production.
    dev_login: bool = False
    log_level: str = "INFO"
    # Relayed change events are kept this long in the outbox and the Redis streams.
    event_retention_days: int = 7
    # Webhook URLs must resolve to publicly routable addresses only; this lets loopback
    # (127.0.0.0/8, ::1) through too, and nothing else (tests and local development).
    webhook_allow_private: bool = False
    # Notifications are emailed when set: smtp://host:port, smtps://user:pass@host:port,
    # ?starttls=true, ?from=crm@example.com (crm_graph.domains.notifications.email).
    smtp_url: str | None = None

    # --- The public endpoint: limits, abuse, embedding (docs in README "Exposing the API").
    max_depth: int = 10  # selection-set nesting
    max_aliases: int = 15  # per operation, counting those inside fragments
    max_tokens: int = 2000  # lexer tokens per document
    max_directives: int = 50  # per operation
    max_body_bytes: int = 1_000_000
    max_batch_operations: int = 0  # operations in one JSON array body; 0 turns batching off
    max_cost: int = 25_000  # query cost: each connection multiplies by its page size
    # Token buckets of query cost in Redis, shared by all API instances: one per tenant
    # and one per API key. A bucket holds `capacity` and refills `per_second`.
    rate_limit_enabled: bool = True
    rate_limit_tenant_capacity: int = 200_000
    rate_limit_tenant_per_second: float = 20_000
    rate_limit_key_capacity: int = 100_000
    rate_limit_key_per_second: float = 10_000
    operation_timeout_seconds: float = 10.0  # also the SQL statement_timeout
    # Introspection and "Did you mean ...?" suggestions: on in development, off in
    # production unless set; admin_introspection lets tenant admins introspect anyway.
    introspection: bool | None = None
    admin_introspection: bool = False
    # Origins allowed for every tenant (CORS and WebSocket Origin); each tenant adds its own.
    cors_origins: list[str] = []
    # Reverse proxies (addresses or CIDR blocks) whose X-Forwarded-For names the client
    # (audit entries' client address, uvicorn's access log). Empty: the header is
    # ignored and the connection's peer is the client, whoever sends the header.
    trusted_proxies: list[str] = []
    # Persisted operations: automatic persisted queries (sha256) are always accepted;
    # with trusted_documents_only, only the documents in trusted_documents (a JSON
    # manifest of sha256 -> document) run.
    trusted_documents_only: bool = False
    trusted_documents: Path | None = None
    apq_ttl_seconds: int = 7 * 24 * 3600
    # Automatic persisted queries kept per tenant, and the longest document kept (bytes).
    apq_max_per_tenant: int = 500
    apq_max_bytes: int = 16_384
    # Memory of the process's caches (checked documents, costs, walks, compiled
    # statements, event predicates), in MiB: each holds its share of it (crm_graph.kernel.lru).
    cache_memory_mb: int = 96
    # Compiling a new statement costs the caller this much budget per millisecond of CPU.
    compile_cost_per_ms: int = 100
    max_subscriptions_per_connection: int = 100
    # Live connections (WebSockets and SSE streams) one API process accepts per user (or
    # API key) and per tenant; each process reads a tenant's events once for all of them.
    max_live_connections_per_user: int = 20
    max_live_connections_per_tenant: int = 2000
    # permessage-deflate on WebSockets. Off: a live event is a few hundred bytes, and
    # compressing it in each connection's own zlib stream cost about 60 us per
    # subscriber per event, the largest per-subscriber cost of a fan-out once the
    # answer is shared (bench/events_bench.py). Turn on for clients on slow links.
    ws_compression: bool = False
    # Query operations the compiler supports run as one SQL statement building the
    # response (crm_graph.compiled); the rest, and any failure, take the ordinary path.
    compiled_reads: bool = True
    # Operability
    log_json: bool = True  # structlog JSON lines; false: human-readable console
    metrics_token: str | None = None  # when set, GET /metrics needs `Authorization: Bearer <it>`
    otel_endpoint: str | None = None  # OTLP/HTTP traces endpoint; tracing is on when set

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: list[str]) -> list[str]:
        parse_networks(value)  # a typo must not silently trust nobody (or everybody)
        return value

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def introspection_enabled(self) -> bool:
        return (not self.production) if self.introspection is None else self.introspection

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_audience and self.oidc_jwks_url)


@lru_cache
def get_settings() -> Settings:
    return Settings()
