"""`make run` stays quiet: cron rounds that did nothing are DEBUG, work done is INFO."""

from __future__ import annotations

import logging

import pytest

from crm_graph.platform.observability.routine import ARQ_LOGGER, quiet_routine_rounds


def emit(msg: str, *args: object) -> None:
    logging.getLogger(ARQ_LOGGER).info(msg, *args)


@pytest.fixture
def arq_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    quiet_routine_rounds()
    caplog.set_level(logging.INFO, logger=ARQ_LOGGER)
    return caplog


def test_idle_cron_rounds_are_not_shown_at_info(arq_log: pytest.LogCaptureFixture) -> None:
    emit("%6.2fs → %s(%s)%s", 1.01, "cron:webhook_fanout", "", "")
    emit("%6.2fs ← %s ● %s", 0.01, "cron:webhook_fanout", "0")
    emit("%6.2fs ← %s ● %s", 0.01, "cron:email_notifications", "None")
    assert arq_log.records == []


def test_rounds_that_did_something_and_ordinary_jobs_stay_at_info(arq_log: pytest.LogCaptureFixture) -> None:
    emit("%6.2fs ← %s ● %s", 0.02, "cron:sweep_outbox", "3")
    emit("%6.2fs → %s(%s)%s", 0.5, "1f2e:deliver_webhook", "'d-1'", "")
    emit("Starting worker for %d functions: %s", 8, "deliver_webhook")
    assert [r.getMessage() for r in arq_log.records] == [
        "  0.02s ← cron:sweep_outbox ● 3",
        "  0.50s → 1f2e:deliver_webhook('d-1')",
        "Starting worker for 8 functions: deliver_webhook",
    ]
    assert {r.levelname for r in arq_log.records} == {"INFO"}


def test_idle_rounds_are_still_there_at_debug(arq_log: pytest.LogCaptureFixture) -> None:
    arq_log.set_level(logging.DEBUG, logger=ARQ_LOGGER)
    emit("%6.2fs ← %s ● %s", 0.01, "cron:webhook_fanout", "0")
    assert [(r.levelname, r.getMessage()) for r in arq_log.records] == [("DEBUG", "  0.01s ← cron:webhook_fanout ● 0")]
