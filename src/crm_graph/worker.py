"""The arq worker (`crm-graph worker`): WorkerSettings gathering each domain's jobs.

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
from arq import cron

from crm_graph.db import APP_ROLE, make_engine
from crm_graph.events import relay, streams
from crm_graph.graphql import payloads
from crm_graph.notifications import jobs as notifications
from crm_graph.observability.routine import quiet_routine_rounds
from crm_graph.settings import Settings, get_settings
from crm_graph.webhooks import delivery as webhooks

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


async def sweep_outbox(ctx: Ctx) -> int:
    """Relay what has waited more than 30 s: the net under a missed NOTIFY."""
    return await relay.sweep(ctx["engine"], ctx["redis"], retention_days=ctx["settings"].event_retention_days)


async def prune_events(ctx: Ctx) -> int:
    """Drop relayed events past CRM_EVENT_RETENTION_DAYS from the outbox and the streams."""
    return await streams.prune(ctx["engine"], ctx["redis"], retention_days=ctx["settings"].event_retention_days)


class WorkerSettings:
    functions: ClassVar[list[Any]] = [webhooks.deliver_webhook]  # domains add their jobs here
    cron_jobs: ClassVar[list[Any]] = [
        cron(sweep_outbox, second=0),  # every minute
        cron(prune_events, minute=17, second=0),  # hourly, off the top of the hour
        # Every 2 s; unique: a round still running is not started twice.
        cron(webhooks.webhook_fanout, second=set(range(0, 60, 2)), unique=True),
        cron(webhooks.retry_due_deliveries, second=set(range(1, 60, 2)), unique=True),
        # Reminders: idempotent (a dedupe key per reminder), so a repeated run adds nothing.
        cron(notifications.remind_tasks_due, minute=set(range(0, 60, 5)), second=30, unique=True),
        cron(notifications.remind_stale_opportunities, minute=43, second=30, unique=True),  # hourly
        cron(notifications.email_notifications, second=45, unique=True),  # every minute: retries failed sends
    ]
    on_startup = startup
    on_shutdown = shutdown
