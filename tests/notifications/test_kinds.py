"""The kinds of notification are composed from DOMAINS (each manifest declares the kinds
it raises) and checked when one is written: an undeclared kind is refused before
anything is stored, whoever writes it."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa

from crm_graph.domains.enabled import DOMAINS
from crm_graph.domains.notifications import service
from crm_graph.domains.notifications.models import Notification
from crm_graph.kernel.notices import NOTICES, Notices, UndeclaredNotificationKind

N = Notification.__table__  # type: ignore[attr-defined]  # SQLModel sets __table__ on table classes


def test_the_kinds_are_those_the_domains_declare() -> None:
    by_domain = {d.name: set(d.notification_kinds) for d in DOMAINS if d.notification_kinds}
    assert by_domain == {"notifications": {"task_due", "opportunity_stale"}, "webhooks": {"webhook_disabled"}}
    assert NOTICES.kinds == {"task_due", "opportunity_stale", "webhook_disabled"}


def test_a_kind_declared_twice_is_an_error() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        Notices().install(["task_due", "task_due"], writer=None)


async def _count(engine: Any, tenant_id: Any) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(sa.select(sa.func.count()).where(N.c.tenant_id == tenant_id))).scalar_one())


async def test_an_undeclared_kind_is_refused_and_nothing_is_stored(tenant, engine) -> None:
    fields = {"tenant_id": tenant.id, "user_id": tenant.admin_id, "title": "Hello", "dedupe_key": "k1"}
    async with engine.begin() as conn:
        with pytest.raises(UndeclaredNotificationKind, match="gadget_due"):
            await NOTICES.notify(conn, kind="gadget_due", **fields)
        with pytest.raises(UndeclaredNotificationKind):
            await service.notify(conn, kind="gadget_due", **fields)
    assert await _count(engine, tenant.id) == 0

    # A declared kind goes through the one writer the notifications domain installed.
    async with engine.begin() as conn:
        stored = await NOTICES.notify(conn, kind="webhook_disabled", **fields)
        again = await NOTICES.notify(conn, kind="webhook_disabled", **fields)
    assert stored is not None and stored["kind"] == "webhook_disabled" and again is None
    assert await _count(engine, tenant.id) == 1
