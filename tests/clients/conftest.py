"""A real crm-graph for the client tests: clients/live_server.py in a subprocess (its
own database with demo data, the API on a free port, a worker), as the TypeScript
client's tests start it."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class LiveServer:
    url: str  # http://127.0.0.1:<port>
    graphql: str

    def token(self, email: str, tenant: str = "demo") -> str:
        response = httpx.post(f"{self.url}/dev/login", json={"tenant": tenant, "email": email})
        response.raise_for_status()
        token: str = response.json()["token"]
        return token


@pytest.fixture(scope="module")
def live_server() -> Iterator[LiveServer]:
    proc = subprocess.Popen([sys.executable, str(ROOT / "clients" / "live_server.py"), "--organizations", "12"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line, f"clients/live_server.py exited with {proc.wait()} before serving"
        info = json.loads(line)
        yield LiveServer(info["url"], info["graphql"])
    finally:
        assert proc.stdin is not None
        proc.stdin.close()  # EOF: it stops and drops its database
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
