"""The async engine, one connection per request, and the unit of work.

Reads and writes of one GraphQL request share a single pooled connection: loaders
run concurrently on the event loop, so statements are serialized with a lock rather
than opening a connection (and a transaction) per loader.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

import asyncpg
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from crm_graph.kernel import chain, journal
from crm_graph.kernel.actor import Actor
from crm_graph.kernel.catalog import CATALOG

# A result of any number of columns (SQLAlchemy 2.1 types rows by their column types).
Result = sa.CursorResult[*tuple[Any, ...]]

__all__ = ["APP_ROLE", "DomainEvent", "RequestDB", "UnitOfWork", "make_engine", "make_read_pool", "statement_counter"]

# The role the API's connections run as: it owns no table, so row-level security
# (crm_graph.platform.authz.rls writes its policies) applies to everything it runs.
APP_ROLE = "crm_app"

# Counts SQL statements sent in the current task tree (a request, a test). Counters
# nest: a request's own counter and a test's counter around it both see its statements.
_statements: contextvars.ContextVar[tuple[list[int], ...]] = contextvars.ContextVar("statements", default=())


@asynccontextmanager
async def statement_counter() -> AsyncIterator[list[int]]:
    """`async with statement_counter() as n:` ... `n[0]` is the number of statements sent,
    `n[1]` how many of a connection's session settings were sent besides (the tenant
    and the statement timeout, once per pooled connection and tenant), `n[2]` how many
    transactions were begun and ended (BEGIN, COMMIT, ROLLBACK) on SQLAlchemy's
    connections: each a round trip of its own."""
    box = [0, 0, 0]
    token = _statements.set((*_statements.get(), box))
    try:
        yield box
    finally:
        _statements.reset(token)


@contextmanager
def uncounted() -> Iterator[None]:
    """Statements sent inside are not counted by the counters around it."""
    token = _statements.set(())
    try:
        yield
    finally:
        _statements.reset(token)


def count_statements(n: int = 1) -> None:
    """Count statements sent outside SQLAlchemy (on the raw driver connection)."""
    for box in _statements.get():
        box[0] += n


def _count_session_setting() -> None:
    for box in _statements.get():
        box[1] += 1


def _count_statement(*_: Any) -> None:
    count_statements()


def _count_transaction_control(conn: Any) -> None:
    """SQLAlchemy begins and ends a transaction even in autocommit, where the driver
    sends nothing: only those of a transactional connection are round trips."""
    try:
        autocommit = conn.connection.dbapi_connection.autocommit
    except sa.exc.SQLAlchemyError:
        return  # an invalidated connection (a statement failed mid-transaction) sends nothing
    if not autocommit:
        for box in _statements.get():
            box[2] += 1


_SESSION_KEY = "crm.session"
_AUTOCOMMIT = "AUTOCOMMIT"
_SET_SESSION = "SELECT set_config('app.tenant_id', $1, false), set_config('statement_timeout', $2, false)"


def _connect_args(role: str | None) -> dict[str, Any]:
    """What every connection of ours is opened with, pooled by SQLAlchemy or by asyncpg."""
    server_settings = {"application_name": "crm-graph", "jit": "off"}
    if role:
        server_settings["role"] = role
    # asyncpg keeps prepared statements of up to 15 KB; a compiled read is larger.
    return {"server_settings": server_settings, "max_cacheable_statement_size": 1 << 20}


def make_engine(
    url: str, pool_size: int = 4, *, role: str | None = None, max_overflow: int | None = None
) -> AsyncEngine:
    """An engine; with `role`, every connection runs as that role from its start.

    The API's engine uses APP_ROLE, which does not own the tables, so PostgreSQL's
    row-level security applies to everything it runs (migrations, seeding and the
    look-ups that happen before a tenant is known use an owner engine).
    """
    engine = create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size if max_overflow is None else max_overflow,
        pool_pre_ping=False,
        connect_args=_connect_args(role),
    )
    event.listen(engine.sync_engine, "before_cursor_execute", _count_statement)
    for name in ("begin", "commit", "rollback"):
        event.listen(engine.sync_engine, name, _count_transaction_control)
    return engine


class ReadConnection(asyncpg.Connection):  # type: ignore[misc]  # asyncpg ships no type information (base class is Any)
    """A connection of the read pool; `session` is the (tenant, statement timeout) it
    carries, as `raw.info` carries them for SQLAlchemy's connections."""

    __slots__ = ("session",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.session: tuple[uuid.UUID, int] | None = None

    def remember_session(self, session: tuple[uuid.UUID, int] | None) -> None:
        self.session = session  # a method: the pool's proxy forwards reads and calls, not writes


async def _keep_session(conn: Any) -> None:
    """Given back to the read pool, a connection keeps its session settings (asyncpg
    has rolled back any transaction left open): the next request, usually of the
    same tenant, sends nothing before its statement."""


async def make_read_pool(engine: AsyncEngine, size: int, *, role: str | None = None) -> asyncpg.Pool:
    """The compiled read path's connections to `engine`'s database (as `role`, with the
    same settings), in asyncpg's own pool. A read holds one for its single statement;
    under load, taking and giving back one costs a fraction of a checkout from
    SQLAlchemy's queue pool, which the ordinary path's transactions keep using."""
    _, params = engine.dialect.create_connect_args(engine.url)
    return await asyncpg.create_pool(
        min_size=0, max_size=size, reset=_keep_session, connection_class=ReadConnection, **params, **_connect_args(role)
    )


@dataclass(frozen=True)
class DomainEvent:
    """Something that happened to a record; past tense (`organization.created`)."""

    type: str
    record_type: str
    record_id: uuid.UUID
    version: int | None
    actor_id: uuid.UUID | None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    occurred_at: datetime | None = None


AfterCommit = Callable[[uuid.UUID, list[DomainEvent]], Awaitable[None]]


class UnitOfWork:
    """One transaction; collects domain events and hands them on after commit."""

    def __init__(self, conn: AsyncConnection, actor: Actor) -> None:
        self.conn = conn
        self.actor = actor
        self.tenant_id = actor.tenant_id
        self.actor_id = actor.user_id
        self.events: list[DomainEvent] = []
        # Records the use case read to check a reference (by record type, then id), as
        # the actor's read scope shows them: the answer may reuse them instead of
        # reading them again after the commit.
        self.referenced: dict[str, dict[uuid.UUID, Any]] = {}

    def emit(
        self,
        type_: str,
        record_type: str,
        record_id: uuid.UUID,
        version: int | None,
        changes: dict[str, tuple[Any, Any]] | None = None,
    ) -> None:
        """Record an event for the end of the unit of work; its type must be declared
        (crm_graph.kernel.catalog, composed over DOMAINS) for this record type, or this raises."""
        CATALOG.require(type_, record_type)
        self.events.append(DomainEvent(type_, record_type, record_id, version, self.actor_id, changes or {}))

    async def execute(self, stmt: Any, params: Any = None) -> Result:
        result: Result = await self.conn.execute(stmt, params)
        return result


class RequestDB:
    """The connection of one request (or job), acquired on first use."""

    def __init__(
        self,
        engine: AsyncEngine,
        tenant_id: uuid.UUID,
        after_commit: list[AfterCommit] | None = None,
        *,
        request_id: str | None = None,
        client_address: str | None = None,
        statement_timeout_ms: int | None = None,
        reads: asyncpg.Pool | None = None,
    ) -> None:
        self.engine = engine
        self.reads = reads
        self.statement_timeout_ms = statement_timeout_ms
        self.tenant_id = tenant_id
        self.request_id = request_id
        self.client_address = client_address
        self._conn: AsyncConnection | None = None
        self._lock = asyncio.Lock()
        self._after_commit = after_commit or []

    async def _connection(self) -> AsyncConnection:
        if self._conn is None:
            conn = await self.engine.connect()
            try:
                # Reads outside a unit of work run in autocommit: under READ COMMITTED
                # each statement takes its own snapshot anyway, so a transaction around
                # them bought nothing but a BEGIN and a COMMIT or ROLLBACK round trip.
                # Switching is local to the driver (no statement); the pool restores
                # the default when the connection goes back.
                await conn.execution_options(isolation_level=_AUTOCOMMIT)
                raw = await conn.get_raw_connection()
                await self._session_settings(
                    raw.driver_connection,
                    raw.info.get(_SESSION_KEY),
                    functools.partial(raw.info.__setitem__, _SESSION_KEY),
                )
            except BaseException:
                await conn.invalidate()
                raise
            self._conn = conn
        return self._conn

    async def _session_settings(self, conn: Any, have: Any, keep: Callable[[Any], None]) -> None:
        """The tenant (which row-level security reads) and the statement timeout (0:
        none; it bounds a request's SQL even if its task dies), as session settings.

        They are sent on the driver's connection `conn`, which carries `have`, before
        any transaction begins, so they commit at once and no rollback undoes them;
        `keep` remembers them with the pooled connection, and a request of the same
        tenant sends nothing.
        """
        wanted = (self.tenant_id, self.statement_timeout_ms or 0)
        if have == wanted:
            return
        keep(None)
        await conn.fetchval(_SET_SESSION, str(wanted[0]), str(wanted[1]))
        _count_session_setting()
        keep(wanted)

    async def fetch_value(self, sql: str, args: list[Any]) -> Any:
        """One statement on the driver's connection (no SQLAlchemy, no transaction of
        its own): the compiled read path's single round trip. It takes a connection
        from the read pool for this statement only, giving back first the request's
        own connection if it holds one (the actor's look-up leaves one; no unit of
        work can hold it while this holds the lock). asyncpg's pool, given back a
        connection whose statement was cancelled (the operation timed out), waits
        for PostgreSQL to acknowledge the cancel; a bare connection handed back to
        SQLAlchemy's pool did not, and its statement went on waiting (for a lock,
        say) until the statement timeout. Without a read pool (a handle made outside
        the API), it uses the request's own connection."""
        async with self._lock:
            if self.reads is not None:
                if self._conn is not None:
                    await self.close()
                async with self.reads.acquire() as conn:
                    await self._session_settings(conn, conn.session, conn.remember_session)
                    count_statements()
                    return await conn.fetchval(sql, *args)
            raw = await (await self._connection()).get_raw_connection()
            count_statements()
            # The asyncpg connection under an acquired SQLAlchemy connection is always set.
            return await cast(Any, raw.driver_connection).fetchval(sql, *args)

    async def execute(self, stmt: Any, params: Any = None) -> Result:
        async with self._lock:
            conn = await self._connection()
            result: Result = await conn.execute(stmt, params)
            return result

    @asynccontextmanager
    async def unit_of_work(self, actor: Actor) -> AsyncIterator[UnitOfWork]:
        """A transaction of its own; rolled back whole on any exception."""
        async with self._lock:
            conn = await self._connection()
            if conn.in_transaction():
                await conn.commit()  # SQLAlchemy's bookkeeping of the autocommit reads: sends nothing
            # The engine's own level (READ COMMITTED) for the transaction, then autocommit again.
            await conn.execution_options(isolation_level=conn.default_isolation_level)
            uow = UnitOfWork(conn, actor)
            try:
                async with conn.begin():
                    yield uow
                    # The outbox and the audit trail commit or roll back with the change:
                    # staged last, by one statement that locks nothing, and written by
                    # COMMIT itself (a deferred trigger), so the tenant's head rows are
                    # locked inside COMMIT only, with no round trip to this process.
                    await journal.stage(
                        conn,
                        self.tenant_id,
                        uow.events,
                        [chain.Entry(e.type, e.record_type, e.record_id, dict(e.changes)) for e in uow.events],
                        actor_user_id=actor.user_id,
                        actor_api_key_id=actor.api_key_id,
                        request_id=self.request_id,
                        client_address=self.client_address,
                    )
            finally:
                if not conn.invalidated:
                    await conn.execution_options(isolation_level=_AUTOCOMMIT)
        for hook in self._after_commit:
            await hook(self.tenant_id, uow.events)

    async def release_idle(self) -> None:
        """Close the connection (back to the pool) unless a statement or a unit of work
        holds it; the next statement takes one again."""
        if not self._lock.locked():
            await self.close()

    async def close(self) -> None:
        if self._conn is None:
            return
        conn, self._conn = self._conn, None
        try:
            if conn.in_transaction():
                await conn.rollback()
            await conn.close()
        except sa.exc.DBAPIError:
            # A resolver cancelled mid-statement can leave the connection broken;
            # drop it from the pool instead of handing it to the next request.
            await conn.invalidate()
