"""Quiet routine worker rounds: arq logs the start and end of every cron round at INFO,
which with our 2-second webhook rounds is two lines a second forever. A round that did
nothing (its result 0, None or empty) is DEBUG; a round that did something, and every
ordinary job, stays INFO."""

from __future__ import annotations

import logging

ARQ_LOGGER = "arq.worker"
NOTHING = {"0", "None", "[]", "{}", "()", ""}


class RoutineRounds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.levelno != logging.INFO or len(args) < 2 or not str(args[1]).startswith("cron:"):
            return True
        started = str(record.msg).startswith("%6.2fs →")
        idle = str(record.msg).startswith("%6.2fs ←") and str(args[-1]).strip() in NOTHING
        if not (started or idle):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)


def quiet_routine_rounds() -> None:
    """Install the filter once on arq's worker logger."""
    logger = logging.getLogger(ARQ_LOGGER)
    if not any(isinstance(f, RoutineRounds) for f in logger.filters):
        logger.addFilter(RoutineRounds())
