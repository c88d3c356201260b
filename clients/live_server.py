"""A real crm-graph for the clients' own tests: fresh database, demo data, API and worker.

    .venv/bin/python clients/live_server.py [--organizations 20] [--cors-origin URL ...]

Prints one JSON line on stdout once the API answers (`url`, `graphql`, `databaseUrl`,
`redisUrl`), then runs until its stdin closes or it gets SIGTERM, and then removes
everything it made. With CRM_DATABASE_URL (a server's maintenance database, as the
Python tests take it) the database is created there; otherwise an embedded PostgreSQL
is started in a temporary folder. Redis is always a throwaway embedded one.

The TypeScript client's tests (vitest globalSetup), the Python client's and the
widget's browser tests start it, so each runs against the real server over TCP.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import uvicorn

from crm_graph.kernel.embedded import create_database, drop_database, start_throwaway_services
from crm_graph.kernel.migrate import upgrade_async
from crm_graph.seed import seed_demo
from crm_graph.kernel.settings import Settings, get_settings

START_TIMEOUT = 60.0
_OUT = sys.stdout  # the real stdout, once main() has pointed file descriptor 1 at stderr


async def _until_stopped() -> None:
    """Returns when stdin reaches EOF (the parent went away) or on SIGTERM / SIGINT."""
    loop = asyncio.get_running_loop()
    stopped = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stopped.set)
    # A thread, so a stdin that is a terminal, a pipe or /dev/null all work.
    reader = loop.run_in_executor(None, sys.stdin.buffer.read)
    reader.add_done_callback(lambda _: stopped.set())
    await stopped.wait()


async def serve(args: argparse.Namespace, tmp: Path) -> None:
    services = start_throwaway_services(tmp, database_url=os.environ.get("CRM_DATABASE_URL"))
    name = f"crm_clients_{secrets.token_hex(4)}"
    database_url = await create_database(services.database_url, name)
    worker = None
    try:
        await upgrade_async(database_url)
        await seed_demo(database_url, organizations=args.organizations)
        env = {
            "CRM_DATABASE_URL": database_url,
            "CRM_REDIS_URL": services.redis_url,
            "CRM_DEV_LOGIN": "true",
            "CRM_WEBHOOK_ALLOW_PRIVATE": "true",
            "CRM_LOG_LEVEL": os.environ.get("CRM_LOG_LEVEL", "WARNING"),
            "CRM_CORS_ORIGINS": json.dumps(args.cors_origin),
            "CRM_DATA_DIR": str(tmp / "data"),
        }
        os.environ.update(env)
        get_settings.cache_clear()
        settings = Settings()
        # The worker relays the outbox to the event streams subscriptions read.
        worker = subprocess.Popen([sys.executable, "-m", "crm_graph", "worker"],  # noqa: ASYNC220 - starting it does not block
                                  env={**os.environ, **env})
        from crm_graph.app import create_app

        config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=args.port, log_level="warning",
                                lifespan="on", timeout_graceful_shutdown=2, log_config=None)
        server = uvicorn.Server(config)
        task = asyncio.create_task(server.serve())
        deadline = asyncio.get_running_loop().time() + START_TIMEOUT
        while not server.started:
            if task.done() or asyncio.get_running_loop().time() > deadline:
                raise SystemExit("live_server: the API did not start")
            await asyncio.sleep(0.05)
        port = server.servers[0].sockets[0].getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        _OUT.write(json.dumps({"url": base, "graphql": f"{base}/graphql", "databaseUrl": database_url,
                               "redisUrl": services.redis_url}) + "\n")
        _OUT.flush()
        await _until_stopped()
        server.should_exit = True
        await asyncio.wait_for(task, 15)
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
        await drop_database(services.database_url, name)
        services.stop()


def main() -> None:
    # stdout carries only the JSON line: whatever else writes to file descriptor 1 (log
    # lines, the worker) goes to stderr.
    global _OUT
    _OUT = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    parser.add_argument("--organizations", type=int, default=20, help="demo organizations to seed")
    parser.add_argument("--cors-origin", action="append", default=[], help="an origin allowed for every tenant")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="crm-live-") as tmp, contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args, Path(tmp)))


if __name__ == "__main__":
    main()
