"""Reminders reach the right person once, however often the cron runs; email goes
out when CRM_SMTP_URL is set; a webhook disabled after 5 days tells its creator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from tests.notifications.conftest import add_opportunity, add_task

from crm_graph.domains.interactions.models import Interaction
from crm_graph.domains.notifications import jobs
from crm_graph.domains.notifications.models import Notification
from crm_graph.kernel.settings import Settings
from crm_graph.platform.webhooks import delivery
from crm_graph.platform.webhooks.models import Webhook

N = Notification.__table__  # type: ignore[attr-defined]


async def inbox(engine: Any, user_id: Any) -> list[Any]:
    async with engine.connect() as conn:
        return list((await conn.execute(sa.select(N).where(N.c.user_id == user_id).order_by(N.c.created_at))).all())


async def test_an_assignee_is_reminded_once_of_tasks_due_soon_or_overdue(tenant, engine, ctx, clock):
    rep = await tenant.user("rep@due.example", ["sales_rep"])
    now = clock.now
    soon = await add_task(engine, tenant.id, "Call back", now + timedelta(hours=2), rep)
    late = await add_task(engine, tenant.id, "Send quote", now - timedelta(days=1), rep)
    await add_task(engine, tenant.id, "Next week", now + timedelta(days=3), rep)
    await add_task(engine, tenant.id, "Done already", now + timedelta(hours=1), rep, status="done")
    await add_task(engine, tenant.id, "Dropped", now - timedelta(hours=1), rep, status="cancelled")
    await add_task(engine, tenant.id, "Nobody's", now + timedelta(hours=1), None)

    assert await jobs.remind_tasks_due(ctx, tenant.id) == 2
    assert await jobs.remind_tasks_due(ctx, tenant.id) == 0, "a second run must not notify again"
    got = await inbox(engine, rep)
    assert sorted(r.record_id for r in got) == sorted([soon, late])
    assert {r.kind for r in got} == {"task_due"} and {r.record_type for r in got} == {"task"}
    assert {r.title for r in got} == {"Due soon: Call back", "Overdue: Send quote"}

    # A new due date is a new reminder; the old one is not repeated.
    async with engine.begin() as conn:
        await conn.execute(
            sa.text("UPDATE tasks SET due_at = :d WHERE id = :i"), {"d": now + timedelta(hours=5), "i": late}
        )
    assert await jobs.remind_tasks_due(ctx, tenant.id) == 1
    assert await jobs.remind_tasks_due(ctx, tenant.id) == 0
    assert len(await inbox(engine, rep)) == 3


async def test_an_owner_is_told_once_per_quiet_spell_of_an_opportunity(tenant, engine, ctx, clock):
    rep = await tenant.user("rep@stale.example", ["sales_rep"])
    quiet = await add_opportunity(engine, tenant.id, "Quiet deal", rep)
    busy = await add_opportunity(engine, tenant.id, "Busy deal", rep)
    i = Interaction.__table__  # type: ignore[attr-defined]

    async def log_interaction(when: Any) -> None:
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(i).values(
                    tenant_id=tenant.id,
                    kind="call",
                    subject="Chat",
                    occurred_at=when,
                    opportunity_id=busy,
                    owner_id=rep,
                )
            )

    assert await jobs.remind_stale_opportunities(ctx, tenant.id) == 0, "nothing is stale on day one"
    clock.advance(days=10)
    await log_interaction(clock.now)
    clock.advance(days=5, minutes=1)  # 15 days after creation, 5 after the interaction; the pipeline says 14
    assert await jobs.remind_stale_opportunities(ctx, tenant.id) == 1
    assert await jobs.remind_stale_opportunities(ctx, tenant.id) == 0, "a second run must not notify again"
    (told,) = await inbox(engine, rep)
    assert told.record_id == quiet and told.kind == "opportunity_stale"
    assert told.title == "No interaction for 15 days: Quiet deal"

    clock.advance(days=10)  # the busy one is quiet for 15 days now; the quiet one is the same spell
    assert await jobs.remind_stale_opportunities(ctx, tenant.id) == 1
    got = await inbox(engine, rep)
    assert [r.record_id for r in got] == [quiet, busy]

    # An interaction ends the spell; the next quiet spell is told again.
    await log_interaction(clock.now)
    assert await jobs.remind_stale_opportunities(ctx, tenant.id) == 0
    clock.advance(days=14)
    assert await jobs.remind_stale_opportunities(ctx, tenant.id) == 1
    assert len(await inbox(engine, rep)) == 3


async def test_closed_or_archived_opportunities_are_not_reminded(tenant, engine, ctx, clock):
    rep = await tenant.user("rep@closed.example", ["sales_rep"])
    won = await add_opportunity(engine, tenant.id, "Won", rep)
    archived = await add_opportunity(engine, tenant.id, "Archived", rep)
    async with engine.begin() as conn:
        await conn.execute(sa.text("UPDATE opportunities SET status = 'won' WHERE id = :i"), {"i": won})
        await conn.execute(sa.text("UPDATE opportunities SET archived_at = now() WHERE id = :i"), {"i": archived})
    clock.advance(days=30)
    assert await jobs.remind_stale_opportunities(ctx, tenant.id) == 0


async def test_each_new_notification_is_emailed_when_smtp_is_set(tenant, engine, ctx, clock, smtp):
    url, mailbox = smtp
    ctx["settings"] = Settings(smtp_url=url)
    rep = await tenant.user("rep@mail.example", ["sales_rep"])
    await add_task(engine, tenant.id, "Renew contract", clock.now + timedelta(hours=3), rep)

    assert await jobs.remind_tasks_due(ctx, tenant.id) == 1
    (msg,) = mailbox.messages
    assert msg["To"] == "rep@mail.example" and msg["From"] == "crm@example.com"
    assert msg["Subject"] == "Due soon: Renew contract"
    assert msg.get_payload().startswith("Due ")
    (row,) = await inbox(engine, rep)
    assert row.emailed_at is not None

    # Nothing is sent twice: not by a repeated run, not by the catch-up round.
    assert await jobs.remind_tasks_due(ctx, tenant.id) == 0
    assert await jobs.send_emails(ctx, [row.id]) == 0
    assert len(mailbox.messages) == 1


async def test_without_smtp_nothing_is_emailed(tenant, engine, ctx, clock):
    rep = await tenant.user("rep@nomail.example", ["sales_rep"])
    await add_task(engine, tenant.id, "Quietly", clock.now + timedelta(hours=3), rep)
    assert await jobs.remind_tasks_due(ctx, tenant.id) == 1
    (row,) = await inbox(engine, rep)
    assert row.emailed_at is None
    assert await jobs.email_notifications(ctx) == 0  # CRM_SMTP_URL unset: no sending at all


async def test_a_webhook_disabled_after_failing_tells_its_creator_once(tenant, engine, clock, smtp):
    url, mailbox = smtp
    w = Webhook.__table__  # type: ignore[attr-defined]
    async with engine.begin() as conn:
        hook = (
            (
                await conn.execute(
                    sa.insert(w)
                    .values(
                        tenant_id=tenant.id,
                        url="https://93.184.216.34/hook",
                        event_types=["*"],
                        secret="whsec_x",
                        created_by_id=tenant.admin_id,
                    )
                    .returning(w)
                )
            )
            .one()
            ._mapping
        )
        await delivery._disable(conn, hook, "Every attempt failed for 5 days.", clock.now)
        await delivery._disable(conn, hook, "Every attempt failed for 5 days.", clock.now)  # already disabled
    (told,) = await inbox(engine, tenant.admin_id)
    assert told.kind == "webhook_disabled" and told.record_id == hook["id"]
    assert told.body == "Every attempt failed for 5 days."

    # The catch-up cron emails it.
    ctx = {"engine": engine, "settings": Settings(smtp_url=url)}
    await jobs.send_emails(ctx, [told.id])
    assert [m["Subject"] for m in mailbox.messages] == ["Webhook disabled: https://93.184.216.34/hook"]
