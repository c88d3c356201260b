"""The moving parts of the HTTP benchmark: the two servers as real processes, the load
generator (wrk), peak memory, and a CPU profile of the crm-graph process (py-spy).

Everything here speaks plain GraphQL over HTTP (POST application/json, a bearer token),
so it measures whatever the servers do at run time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import make_url

from bench.events_bench import Proc, free_port

BENCH = Path(__file__).resolve().parent
PGL_DIR = BENCH / "postgraphile"
TOOLS = BENCH / ".tools"  # py-spy, installed here on first use (git-ignored)
VENV_BIN = Path(sys.executable).parent


# --- servers ---------------------------------------------------------------------------


async def wait_ready(proc: Proc, url: str, what: str, budget: float = 90.0) -> None:
    deadline = time.monotonic() + budget
    async with httpx.AsyncClient() as client:
        while True:
            if proc.proc.poll() is not None:
                raise RuntimeError(f"{what} exited:\n{proc.tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code < 500:
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not start in {budget:.0f} s:\n{proc.tail()}")
            await asyncio.sleep(0.2)


async def _ready(proc: Proc, port: int, path: str, what: str) -> tuple[Proc, str]:
    """The server's base URL once `path` answers; the process stopped if it never does."""
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(proc, base + path, what)
    except BaseException:
        proc.stop()
        raise
    return proc, base


async def start_crm(env: dict[str, str]) -> tuple[Proc, str]:
    """`crm-graph serve`: one uvicorn process."""
    port = free_port()
    proc = Proc([str(VENV_BIN / "crm-graph"), "serve", "--host", "127.0.0.1", "--port", str(port)], env, "crm-graph")
    return await _ready(proc, port, "/ready", "crm-graph serve")


def npm_install() -> None:
    """bench/postgraphile's node_modules from its package-lock.json, once."""
    if (PGL_DIR / "node_modules" / "postgraphile").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("the HTTP benchmark needs Node.js and npm (for PostGraphile)")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=PGL_DIR, check=True)


def pg_env(database_url: str) -> dict[str, str]:
    """libpq-style PG* variables for node-postgres, from a SQLAlchemy URL (TCP or Unix socket)."""
    url = make_url(database_url)
    host = url.host or str(url.query.get("host") or "")
    port = url.port or url.query.get("port") or 5432
    env = {
        "PGHOST": host,
        "PGPORT": str(port),
        "PGUSER": url.username or "postgres",
        "PGDATABASE": url.database or "postgres",
    }
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


async def start_postgraphile(database_url: str, secret: str, pool_size: int) -> tuple[Proc, str]:
    npm_install()
    port = free_port()
    env = dict(os.environ)
    env.update(pg_env(database_url))
    env.update(PGL_PORT=str(port), PGL_JWT_SECRET=secret, PGL_POOL_SIZE=str(pool_size), NODE_ENV="production")
    proc = Proc([shutil.which("node") or "node", str(PGL_DIR / "server.mjs")], env, "postgraphile")
    return await _ready(proc, port, "/__bench/statements", "PostGraphile")


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM: the process's peak resident set size (Linux)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


def cpu_seconds(pid: int, children: bool = False) -> float | None:
    """User + system CPU time of a process so far (Linux); with `children`, also that
    of its children that have exited and been waited for."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12]) + (int(fields[13]) + int(fields[14]) if children else 0)
        return ticks / os.sysconf("SC_CLK_TCK")
    return None


def postgres_cpu_seconds() -> float:
    """User + system CPU time so far of every PostgreSQL process on this machine (the
    benchmark's server serves both API servers; its pools outlive a run), those that
    have exited included: a backend's time passes to the postmaster that waits for it,
    so a connection closed during a run neither vanishes from the sum nor makes it
    go down."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if (proc / "comm").read_text().strip() == "postgres":
                total += cpu_seconds(int(proc.name), children=True) or 0.0
    return total


async def drain(pid: int, budget: float = 90.0) -> float:
    """Wait until the server is idle (under 5% of a core over 0.3 s): requests that a
    finished wrk run left in flight must not eat into the next run. Returns seconds waited."""
    started = time.monotonic()
    before = cpu_seconds(pid)
    if before is None:
        await asyncio.sleep(2)
        return 2.0
    while time.monotonic() - started < budget:
        await asyncio.sleep(0.3)
        now = cpu_seconds(pid)
        if now is None or now - before < 0.015:
            break
        before = now
    return round(time.monotonic() - started, 1)


def version_of(args: list[str]) -> str | None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        out = subprocess.run(args, check=False, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    return None


# --- load generator ----------------------------------------------------------------------


def ensure_wrk() -> str:
    """wrk, installed from Debian's packages when missing (needs root and apt-get)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        raise RuntimeError("the HTTP benchmark needs wrk: install it (Debian: apt-get install -y wrk)")
    print("http bench: installing wrk (apt-get install -y wrk)", flush=True)
    quiet = {"stdout": subprocess.DEVNULL, "env": {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}}
    if subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=False, **quiet).returncode != 0:  # type: ignore[call-overload]
        subprocess.run([apt, "update", "-qq"], check=True, **quiet)  # type: ignore[call-overload]
        subprocess.run([apt, "install", "-y", "-qq", "wrk"], check=True, **quiet)  # type: ignore[call-overload]
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("apt-get install wrk did not provide wrk")
    return found


_LUA = r"""
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer __TOKEN__"
local made = 0
function setup(thread)
  thread:set("tid", made)
  made = made + 1
end
local by_thread = __BODIES__
local bodies, n, i
function init(args)
  bodies = by_thread[(tid % #by_thread) + 1]
  n = #bodies
  i = 0
end
function request()
  i = i + 1
  return wrk.format(nil, "__PATH__", nil, bodies[((i - 1) % n) + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\"requests\": %d, \"duration_us\": %d, \"bytes\": %d, \"p50_us\": %d, \"p90_us\": %d, " ..
    "\"p99_us\": %d, \"max_us\": %d, \"mean_us\": %.1f, \"connect\": %d, \"read\": %d, \"write\": %d, " ..
    "\"status\": %d, \"timeout\": %d}\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _lua_string(text: str) -> str:
    level = 1
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


async def wrk(
    wrk_bin: str,
    base: str,
    token: str,
    bodies: list[list[str]],
    connections: int,
    seconds: float,
    threads: int = 2,
    path: str = "/graphql",
) -> dict[str, Any]:
    """One wrk run; `bodies` holds one list of request bodies per thread, sent in turn."""
    lua = (
        _LUA.replace("__TOKEN__", token)
        .replace("__PATH__", path)
        .replace(
            "__BODIES__",
            "{" + ",\n".join("{" + ",\n".join(_lua_string(b) for b in group) + "}" for group in bodies) + "}",
        )
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(lua)
    try:
        proc = await asyncio.create_subprocess_exec(
            wrk_bin,
            f"-t{min(threads, connections)}",
            f"-c{connections}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "60s",
            "-s",
            fh.name,
            base + path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await proc.communicate()
    finally:
        os.unlink(fh.name)
    text = out.decode(errors="replace")
    match = re.search(r"^WRKJSON (\{.*\})$", text, re.MULTILINE)
    if proc.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed ({proc.returncode}):\n{text[-2000:]}")
    raw = json.loads(match.group(1))
    secs = raw["duration_us"] / 1e6
    errors = {k: raw[k] for k in ("connect", "read", "write", "status", "timeout") if raw[k]}
    return {
        "requests": raw["requests"],
        "seconds": round(secs, 2),
        "rps": round(raw["requests"] / secs, 1) if secs else 0.0,
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p90_ms": round(raw["p90_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "max_ms": round(raw["max_us"] / 1000, 2),
        "mean_ms": round(raw["mean_us"] / 1000, 2),
        "kb_per_response": round(raw["bytes"] / raw["requests"] / 1024, 1) if raw["requests"] else None,
        "errors": errors,
    }


# --- CPU profile ----------------------------------------------------------------------


def ensure_py_spy() -> str | None:
    """py-spy (a profiler, not a runtime dependency): on PATH, else pip-installed into bench/.tools."""
    found = shutil.which("py-spy") or (str(TOOLS / "bin" / "py-spy") if (TOOLS / "bin" / "py-spy").exists() else None)
    if found:
        return found
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--target",
            str(TOOLS),
            "py-spy",
        ],
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not (TOOLS / "bin" / "py-spy").exists():
        return None
    return str(TOOLS / "bin" / "py-spy")


_FRAME = re.compile(r"^(?P<fn>.*?) \((?P<file>[^()]*?)(?::\d+)?\)$")


def _where(frame: str) -> str:
    """`function (file:line)` -> `function (package/module.py)`."""
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    file = m.group("file")
    for marker in ("site-packages/", "/src/", "/lib/python3"):
        if marker in file:
            file = file.split(marker, 1)[1]
            if marker == "/lib/python3":
                file = "stdlib:" + file.split("/", 1)[-1]
            break
    return f"{m.group('fn')} ({file})"


def _package(frame: str) -> str:
    where = _where(frame)
    file = where[where.rfind("(") + 1 : -1]
    if file.startswith("stdlib:"):
        return "stdlib:" + file[7:].split("/")[0].removesuffix(".py")
    return file.split("/")[0].removesuffix(".py")


def summarize_profile(raw: str, top: int = 20) -> dict[str, Any]:
    """Top entries of py-spy's raw (collapsed stacks) output: self time, inclusive time, by package."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    packages: Counter[str] = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [f for f in stack.split(";") if f and not f.startswith("process ") and not f.startswith("thread ")]
        if not frames:
            continue
        total += n
        own[_where(frames[-1])] += n
        packages[_package(frames[-1])] += n
        for name in {_where(f) for f in frames}:
            inclusive[name] += n

    def share(counter: Counter[str]) -> list[dict[str, Any]]:
        return [{"where": k, "pct": round(100 * v / total, 1)} for k, v in counter.most_common(top)]

    return {
        "samples": total,
        "top_self": share(own),
        "top_inclusive": share(inclusive),
        "self_by_package": share(packages),
    }


async def profile(py_spy: str, pid: int, seconds: float, rate: int = 100) -> tuple[dict[str, Any] | None, str]:
    """Sample `pid` with py-spy for `seconds`; returns the summary (or None) and py-spy's output."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.txt"
        proc = await asyncio.create_subprocess_exec(
            py_spy,
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(max(1, round(seconds))),
            "--rate",
            str(rate),
            "--format",
            "raw",
            "--output",
            str(out),
            "--nonblocking",
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        log, _ = await proc.communicate()
        text = log.decode(errors="replace")[-1500:]
        if proc.returncode != 0 or not out.exists():
            return None, text
        return summarize_profile(out.read_text()), text
