"""A job context like the worker's (owner engine, inline, a controllable clock),
a local SMTP server (aiosmtpd) collecting what it receives, and record builders."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from crm_graph.domains.opportunities.models import Opportunity, Pipeline, Stage
from crm_graph.domains.tasks.models import Task
from crm_graph.kernel.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(engine: Any, clock: Clock) -> dict[str, Any]:
    return {"engine": engine, "settings": Settings(), "now": clock}


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[tuple[str, Mailbox]]:
    """An SMTP server on 127.0.0.1 (a free port); yields (CRM_SMTP_URL, mailbox)."""
    mailbox = Mailbox()
    # The controller checks it is up by connecting to its port, so it needs a real one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}?from=crm@example.com", mailbox
    finally:
        controller.stop()


async def add_task(
    engine: Any,
    tenant_id: uuid.UUID,
    title: str,
    due_at: datetime | None,
    assignee_id: uuid.UUID | None,
    status: str = "open",
) -> uuid.UUID:
    t = Task.__table__  # type: ignore[attr-defined]
    async with engine.begin() as conn:
        return (
            await conn.execute(
                sa.insert(t)
                .values(tenant_id=tenant_id, title=title, due_at=due_at, assignee_id=assignee_id, status=status)
                .returning(t.c.id)
            )
        ).scalar_one()


async def add_opportunity(engine: Any, tenant_id: uuid.UUID, name: str, owner_id: uuid.UUID) -> uuid.UUID:
    o = Opportunity.__table__  # type: ignore[attr-defined]
    p, s = Pipeline.__table__, Stage.__table__  # type: ignore[attr-defined]
    async with engine.begin() as conn:
        pipeline = (await conn.execute(sa.select(p.c.id).where(p.c.tenant_id == tenant_id).limit(1))).scalar_one()
        stage = (
            await conn.execute(sa.select(s.c.id).where(s.c.pipeline_id == pipeline).order_by(s.c.position).limit(1))
        ).scalar_one()
        return (
            await conn.execute(
                sa.insert(o)
                .values(tenant_id=tenant_id, name=name, owner_id=owner_id, pipeline_id=pipeline, stage_id=stage)
                .returning(o.c.id)
            )
        ).scalar_one()
