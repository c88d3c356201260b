"""Reminder jobs (arq cron) and the emails of new notifications.

`remind_tasks_due` tells each assignee about their open tasks due within 24 hours
or overdue, once per task and due date (a new due date is a new reminder).
`remind_stale_opportunities` tells each owner about their open opportunities with
no interaction for their pipeline's `stale_after_days`, counted from the last
interaction or the opportunity's creation; once per quiet spell (an interaction
ends it, and the next spell is a new one).

Both are one INSERT ... SELECT over every tenant on the owner engine, made
idempotent by the notifications' unique (tenant, dedupe_key): a run repeated, or
running in two workers at once, stores each reminder once. The clock is
`ctx["now"]` (tests control it). With CRM_SMTP_URL set, each new notification is
emailed to its recipient; `email_notifications` retries what could not be sent.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
import structlog
from sqlalchemy.dialects.postgresql import insert as pg_insert

from crm_graph.domains.interactions.models import Interaction
from crm_graph.domains.notifications import email
from crm_graph.domains.notifications.models import Notification
from crm_graph.domains.opportunities.models import Opportunity, OpportunityStatus, Pipeline
from crm_graph.domains.tasks.models import Task, TaskStatus
from crm_graph.kernel.notices import NOTICES
from crm_graph.platform.identity.models import User

NOTIFICATIONS: sa.Table = Notification.__table__
TASKS: sa.Table = Task.__table__
OPPORTUNITIES: sa.Table = Opportunity.__table__
PIPELINES: sa.Table = Pipeline.__table__
INTERACTIONS: sa.Table = Interaction.__table__
USERS: sa.Table = User.__table__

DUE_WITHIN = timedelta(hours=24)
# Notifications older than this are not emailed any more (e.g. when SMTP is set up later).
EMAIL_WINDOW = timedelta(days=1)
EMAIL_BATCH = 100
CLOSED_TASK = (TaskStatus.DONE.value, TaskStatus.CANCELLED.value)
# The kinds of notification the reminders raise (declared in the manifest).
TASK_DUE = "task_due"
OPPORTUNITY_STALE = "opportunity_stale"
COLUMNS = ["tenant_id", "user_id", "kind", "title", "body", "record_type", "record_id", "dedupe_key"]
log = structlog.get_logger(__name__)

Ctx = dict[str, Any]


def _now(ctx: Ctx) -> datetime:
    clock: Callable[[], datetime] = ctx.get("now") or (lambda: datetime.now(UTC))
    return clock()


def _utc(column: Any) -> Any:
    return sa.func.to_char(sa.func.timezone("UTC", column), 'YYYY-MM-DD HH24:MI "UTC"')


def _epoch(column: Any) -> Any:
    return sa.cast(sa.func.floor(sa.func.extract("epoch", column)), sa.BigInteger)


async def _insert(ctx: Ctx, kind: str, select: Any) -> list[uuid.UUID]:
    """Insert what `select` computes: notifications of `kind` (its third column)."""
    NOTICES.require(kind)
    stmt = (
        pg_insert(NOTIFICATIONS)
        .from_select(COLUMNS, select)
        .on_conflict_do_nothing(index_elements=["tenant_id", "dedupe_key"])
        .returning(NOTIFICATIONS.c.id)
    )
    async with ctx["engine"].begin() as conn:
        return list((await conn.execute(stmt)).scalars())


async def remind_tasks_due(ctx: Ctx, tenant_id: uuid.UUID | None = None) -> int:
    """Notify assignees of open tasks due within 24 h or overdue (of one tenant, or
    all); returns how many notifications are new."""
    now = _now(ctx)
    t = TASKS
    overdue = t.c.due_at < now
    select = sa.select(
        t.c.tenant_id,
        t.c.assignee_id,
        sa.literal(TASK_DUE),
        sa.case((overdue, sa.literal("Overdue: ")), else_=sa.literal("Due soon: ")).concat(t.c.title),
        sa.literal("Due ").concat(_utc(t.c.due_at)),
        sa.literal("task"),
        t.c.id,
        sa.func.concat(f"{TASK_DUE}:", t.c.id, ":", _epoch(t.c.due_at)),
    ).where(
        t.c.due_at <= now + DUE_WITHIN,
        t.c.status.not_in(CLOSED_TASK),
        t.c.assignee_id.is_not(None),
        t.c.archived_at.is_(None),
        *([t.c.tenant_id == tenant_id] if tenant_id is not None else []),
    )
    ids = await _insert(ctx, TASK_DUE, select)
    if ids:
        log.info("notifications.tasks_due", created=len(ids))
        await send_emails(ctx, ids)
    return len(ids)


async def remind_stale_opportunities(ctx: Ctx, tenant_id: uuid.UUID | None = None) -> int:
    """Notify owners of open opportunities quiet for their pipeline's stale_after_days
    (of one tenant, or all); returns how many notifications are new."""
    now = _now(ctx)
    o, p, i = OPPORTUNITIES, PIPELINES, INTERACTIONS
    last_interaction = (
        sa.select(sa.func.max(i.c.occurred_at))
        .where(i.c.opportunity_id == o.c.id, i.c.archived_at.is_(None))
        .scalar_subquery()
    )
    last = sa.func.greatest(o.c.created_at, sa.func.coalesce(last_interaction, o.c.created_at))
    quiet_days = sa.cast(sa.func.floor(sa.func.extract("epoch", sa.literal(now) - last) / 86400), sa.Integer)
    select = (
        sa.select(
            o.c.tenant_id,
            o.c.owner_id,
            sa.literal(OPPORTUNITY_STALE),
            sa.func.concat("No interaction for ", quiet_days, " days: ", o.c.name),
            sa.literal("Last activity ").concat(_utc(last)),
            sa.literal("opportunity"),
            o.c.id,
            # One quiet spell: it starts at the last activity.
            sa.func.concat(f"{OPPORTUNITY_STALE}:", o.c.id, ":", _epoch(last)),
        )
        .select_from(o.join(p, p.c.id == o.c.pipeline_id))
        .where(
            o.c.status == OpportunityStatus.OPEN.value,
            o.c.owner_id.is_not(None),
            o.c.archived_at.is_(None),
            p.c.stale_after_days > 0,
            last + sa.func.make_interval(0, 0, 0, p.c.stale_after_days) <= now,
            *([o.c.tenant_id == tenant_id] if tenant_id is not None else []),
        )
    )
    ids = await _insert(ctx, OPPORTUNITY_STALE, select)
    if ids:
        log.info("notifications.opportunities_stale", created=len(ids))
        await send_emails(ctx, ids)
    return len(ids)


async def send_emails(ctx: Ctx, ids: Sequence[uuid.UUID] | None = None) -> int:
    """Email notifications not emailed yet (these `ids`, or any of the last day) when
    CRM_SMTP_URL is set; returns how many were sent. Rows are locked while sending
    (SKIP LOCKED), so two workers never send the same one; a failed send is left
    for the next round."""
    url = ctx["settings"].smtp_url
    if not url:
        return 0
    n, u = NOTIFICATIONS, USERS
    where = [n.c.emailed_at.is_(None), n.c.created_at > sa.func.now() - EMAIL_WINDOW]
    if ids is not None:
        where.append(n.c.id.in_(list(ids)))
    stmt = (
        sa.select(n.c.id, n.c.title, n.c.body, u.c.email)
        .select_from(n.join(u, u.c.id == n.c.user_id))
        .where(*where)
        .order_by(n.c.created_at)
        .limit(EMAIL_BATCH)
        .with_for_update(of=n, skip_locked=True)
    )
    sent = 0
    async with ctx["engine"].begin() as conn:
        for row in (await conn.execute(stmt)).all():
            try:
                await email.send(url, row.email, row.title, row.body or row.title)
            except (OSError, ValueError) as exc:  # smtplib.SMTPException is an OSError
                log.warning("notifications.email_failed", notification_id=str(row.id), error=str(exc))
                continue
            await conn.execute(sa.update(n).where(n.c.id == row.id).values(emailed_at=sa.func.now()))
            sent += 1
    return sent


async def email_notifications(ctx: Ctx) -> int:
    """Cron: email what is not emailed yet (a webhook disabled, a failed send)."""
    return await send_emails(ctx)
