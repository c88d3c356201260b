"""The GraphQL-over-HTTP audit (npm `graphql-http`, `serverAudits`) finds nothing to
complain about: 0 errors and 0 warnings against a real server, in development and in
production settings.

The pinned audit suite lives in tests/http/audit (package.json + package-lock.json);
`npm ci` installs it into tests/http/audit/node_modules the first time, and again
whenever the lock file names other versions than those installed. Skipped only where
`node` is not installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from tests.conftest import SECRET, TenantFixture

from crm_graph.app import create_app
from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity.auth import issue_token

AUDIT_DIR = Path(__file__).parent / "audit"
LOCK_FILE = AUDIT_DIR / "package-lock.json"
SCRIPT = AUDIT_DIR / "audit.mjs"
FAILING = ("error", "warn")  # "notice" is informational; "ok" passed
TIMEOUT = 30.0


def _installed_matches_lock() -> bool:
    """Every package the lock file names is in node_modules at the locked version."""
    lock = json.loads(LOCK_FILE.read_text())
    for path, meta in lock["packages"].items():
        if not path:  # "" is the project itself
            continue
        manifest = AUDIT_DIR / path / "package.json"
        if not manifest.is_file() or json.loads(manifest.read_text()).get("version") != meta.get("version"):
            return False
    return True


@pytest.fixture(scope="module")
def audit_suite() -> Iterator[Path]:
    """node_modules installed from the checked-in lock file (once, or when stale)."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the GraphQL-over-HTTP audit (npm graphql-http) needs Node.js")
    # One pytest process installs at a time; the others then find it done.
    with open(Path(tempfile.gettempdir()) / "crm-graph-graphql-http-audit.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _installed_matches_lock():
            npm = shutil.which("npm")
            assert npm is not None, "node is installed but npm is not: cannot install the graphql-http audit suite"
            done = subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                cwd=AUDIT_DIR,
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            assert done.returncode == 0, f"npm ci in {AUDIT_DIR} failed:\n{done.stdout}\n{done.stderr}"
            assert _installed_matches_lock(), "npm ci did not install the versions in package-lock.json"
    yield AUDIT_DIR


@contextlib.asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[str]:
    """The real app under uvicorn on a free 127.0.0.1 port, in this event loop; yields its /graphql URL."""
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=0, log_level="warning", lifespan="on", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while not server.started:
            assert not task.done(), "the server did not start"
            assert loop.time() < deadline, "the server did not start in time"
            await asyncio.sleep(0.02)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, TIMEOUT)


async def run_audit(url: str, token: str) -> list[dict[str, Any]]:
    """graphql-http's serverAudits against `url`, every request with the bearer token."""
    proc = await asyncio.create_subprocess_exec(
        "node",
        str(SCRIPT),
        cwd=AUDIT_DIR,
        env={**os.environ, "CRM_AUDIT_URL": url, "CRM_AUDIT_TOKEN": token},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 120)
    except TimeoutError:
        proc.kill()
        await proc.wait()
        raise AssertionError("the graphql-http audit did not finish within 120 s") from None
    assert proc.returncode == 0, f"the audit script failed ({proc.returncode}):\n{err.decode(errors='replace')}"
    results: list[dict[str, Any]] = json.loads(out)
    return results


def describe(result: dict[str, Any]) -> str:
    line = f"{result['status'].upper()} {result['name']} [{result['id']}]: {result['reason']}"
    if response := result.get("response"):
        line += f"\n      got HTTP {response['status']} {response['contentType']}: {response['body']}"
    return line


@pytest.mark.parametrize("env", ["development", "production"])
async def test_graphql_over_http_audit_passes(
    env: str, audit_suite: Path, tenant: TenantFixture, database_url: str, redis_url: str
) -> None:
    # The audit's variable checks look types up with `__type`: production lets the
    # tenant admin (whose token the audit uses) introspect, as an operator would for
    # such a client; introspection for everyone else stays off (tests/http/test_security.py).
    settings = Settings(
        database_url=database_url, redis_url=redis_url, jwt_secret=SECRET, env=env, admin_introspection=True
    )
    token = issue_token(SECRET, tenant.id, tenant.admin_id)
    async with serve(settings) as url:
        results = await run_audit(url, token)

    assert results, "graphql-http ran no audit"
    failing = [r for r in results if r["status"] in FAILING]
    counts = {s: sum(r["status"] == s for r in results) for s in ("ok", "notice", "warn", "error")}
    notices = [r for r in results if r["status"] == "notice"]
    assert not failing, (
        f"GraphQL-over-HTTP audit ({env}): {counts}; a client following the spec would stumble on:\n  "
        + "\n  ".join(describe(r) for r in failing)
        + ("\n  and, for information only:\n  " + "\n  ".join(describe(r) for r in notices) if notices else "")
    )
