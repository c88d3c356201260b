"""examples/page_all_organizations.py, which uses the Python client, lists every
organization of a real server."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from tests.clients.conftest import ROOT, LiveServer


def test_page_all_organizations_lists_every_one(live_server: LiveServer):
    token = live_server.token("admin@demo.example")
    query = {"query": "{ organizations(first: 1) { totalCount } }"}
    total = httpx.post(live_server.graphql, json=query, headers={"Authorization": f"Bearer {token}"}).json()
    env = {**os.environ, "CRM_URL": live_server.graphql, "CRM_TOKEN": token,
           "PYTHONPATH": str(ROOT / "clients" / "python" / "src")}
    run = subprocess.run([sys.executable, str(ROOT / "examples" / "page_all_organizations.py")], env=env,
                         capture_output=True, text=True, timeout=60, check=True)
    lines = run.stdout.splitlines()
    assert len(lines) == total["data"]["organizations"]["totalCount"] > 0
    assert run.stderr.strip().endswith(f"{len(lines)} organizations")
