"""The notifications domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from arq import cron

from crm_graph.domains.notifications import jobs, models, policies, read
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="notifications",
    description="What a user is told about: tasks coming due, opportunities gone quiet.",
    tables=(models,),
    entities=(read.NOTIFICATION,),
    api=("crm_graph.domains.notifications.api",),
    rules=policies.RULES,
    # The reminders its jobs compute.
    notification_kinds=(jobs.TASK_DUE, jobs.OPPORTUNITY_STALE),
    cron_jobs=(
        # Reminders: idempotent (a dedupe key per reminder), so a repeated run adds nothing.
        cron(jobs.remind_tasks_due, minute=set(range(0, 60, 5)), second=30, unique=True),
        cron(jobs.remind_stale_opportunities, minute=43, second=30, unique=True),  # hourly
        cron(jobs.email_notifications, second=45, unique=True),  # every minute: retries failed sends
    ),
)
