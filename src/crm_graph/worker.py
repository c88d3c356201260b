"""The arq worker (`crm-graph worker`): WorkerSettings gathering every domain's jobs.

Resources live in the job context, made once in `on_startup`: `settings`, `engine`
(an owner engine: the relay reads every tenant's outbox, so row-level security, which
scopes the API's role to one tenant, must not apply), `redis` (arq's pool) and the
outbox `relay`, which runs beside the jobs for the worker's lifetime.

Jobs may run more than once (arq re-runs a job whose worker died), so each is
idempotent and PostgreSQL holds the truth.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar

import httpx

from crm_graph.api.transport import payloads
from crm_graph.domains import enabled
from crm_graph.kernel.db import APP_ROLE, make_engine
from crm_graph.kernel.settings import Settings, get_settings
from crm_graph.platform.events import relay
from crm_graph.platform.observability.routine import quiet_routine_rounds

Ctx = dict[str, Any]


async def startup(ctx: Ctx) -> None:
    quiet_routine_rounds()
    settings: Settings = ctx.get("settings") or get_settings()
    if not settings.database_url:
        raise RuntimeError("the worker needs CRM_DATABASE_URL (`crm-graph worker` sets it)")
    ctx["settings"] = settings
    ctx["engine"] = make_engine(settings.database_url, settings.db_pool_size)
    # Webhook payload queries run as their creator, under row-level security like the API.
    ctx["app_engine"] = make_engine(settings.database_url, 2, role=APP_ROLE)
    ctx["shape_payload"] = functools.partial(payloads.shape, ctx["app_engine"])
    # One client for all deliveries: a new one per request cost ~80% of each delivery.
    ctx["http"] = httpx.AsyncClient(timeout=httpx.Timeout(15.0, connect=5.0), follow_redirects=False)
    ctx["relay"] = relay.Relay(
        ctx["engine"], ctx["redis"], settings.database_url, retention_days=settings.event_retention_days
    )
    await ctx["relay"].start()


async def shutdown(ctx: Ctx) -> None:
    if "relay" in ctx:
        await ctx["relay"].stop()
    if "engine" in ctx:
        await ctx["engine"].dispose()
    if "app_engine" in ctx:
        await ctx["app_engine"].dispose()
    if "http" in ctx:
        await ctx["http"].aclose()


class WorkerSettings:
    # Every domain's jobs and cron jobs (crm_graph.domains.enabled).
    functions: ClassVar[list[Any]] = enabled.jobs()
    cron_jobs: ClassVar[list[Any]] = enabled.cron_jobs()
    on_startup = startup
    on_shutdown = shutdown
