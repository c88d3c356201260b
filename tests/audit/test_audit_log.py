"""Every change is audited in its own transaction, and the chain shows tampering."""

from __future__ import annotations

import os
import subprocess
import sys

import sqlalchemy as sa

from crm_graph.platform.audit.models import AuditEntry
from crm_graph.platform.audit.verify import verify_chains

LOG = AuditEntry.__table__
CREATE = """mutation($name: String!) { organizationCreate(input: {name: $name}) {
  organization { id version } errors { __typename message } } }"""
UPDATE = """mutation($id: ID!, $v: Int, $website: String) { organizationUpdate(input: {id: $id, expectedVersion: $v, website: $website}) {
  organization { id version } errors { __typename message } } }"""


async def _entries(engine, tenant_id):
    async with engine.connect() as conn:
        rows = (await conn.execute(sa.select(LOG).where(LOG.c.tenant_id == tenant_id).order_by(LOG.c.seq))).all()
    return [r._mapping for r in rows]


async def test_mutations_write_chained_entries_with_before_and_after(tenant, gql, engine):
    created = (await gql(CREATE, {"name": "Acme"}))["organizationCreate"]["organization"]
    await gql(UPDATE, {"id": created["id"], "v": 1, "website": "https://acme.example"})
    entries = await _entries(engine, tenant.id)
    assert [e["action"] for e in entries] == ["organization.created", "organization.updated"]
    assert [e["seq"] for e in entries] == [1, 2]
    assert entries[1]["prev_hash"] == entries[0]["hash"]
    assert entries[0]["actor_user_id"] == tenant.admin_id
    assert entries[1]["changes"]["website"] == [None, "https://acme.example"]
    assert entries[0]["request_id"]


async def test_a_refused_mutation_leaves_no_entry(tenant, gql, engine):
    created = (await gql(CREATE, {"name": "Acme"}))["organizationCreate"]["organization"]
    stale = await gql(UPDATE, {"id": created["id"], "v": 7, "website": "https://x.example"})
    assert stale["organizationUpdate"]["errors"][0]["__typename"] == "Conflict"
    invalid = await gql(UPDATE, {"id": created["id"], "v": 1, "website": "not a url"})
    assert invalid["organizationUpdate"]["errors"][0]["__typename"] == "ValidationError"
    assert [e["action"] for e in await _entries(engine, tenant.id)] == ["organization.created"]


async def test_audit_log_query_is_for_admins(tenant, gql):
    await gql(CREATE, {"name": "Acme"})
    data = await gql(
        "{ auditLog(first: 10) { totalCount edges { node { seq action actor { email } changes record { id } } } } }"
    )
    node = data["auditLog"]["edges"][0]["node"]
    assert data["auditLog"]["totalCount"] == 1
    assert node["action"] == "organization.created" and node["seq"] == 1
    assert node["actor"]["email"].startswith("admin@") and node["record"]["id"]
    rep = tenant.client(await tenant.user(f"rep@{tenant.slug}.example", ["sales_rep"]))
    body = (await rep.post("{ auditLog(first: 10) { totalCount } }")).json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_policy_changes_are_audited_and_bump_the_version(tenant, gql, engine):
    data = await gql("""mutation { roleGrant(input: {role: "sales_rep", object: "contact.phones", action: "read", effect: DENY}) {
        rule { subject object effect } errors { message } } }""")
    assert data["roleGrant"]["rule"] == {"subject": "sales_rep", "object": "contact.phones", "effect": "deny"}
    assert [e["action"] for e in await _entries(engine, tenant.id)] == ["policy.granted"]


async def test_verify_passes_then_detects_an_edit_and_a_deletion(tenant, gql, database_url, engine):
    for name in ("A", "B", "C"):
        await gql(CREATE, {"name": name})
    assert (await verify_chains(database_url, tenant.slug)) == {tenant.slug: []}
    async with engine.begin() as conn:
        await conn.execute(
            sa.update(LOG)
            .where(LOG.c.tenant_id == tenant.id, LOG.c.seq == 2)
            .values(changes={"name": [None, "Forged"]})
        )
    problems = (await verify_chains(database_url, tenant.slug))[tenant.slug]
    assert problems == ["entry 2: its content was changed"]
    async with engine.begin() as conn:
        await conn.execute(sa.delete(LOG).where(LOG.c.tenant_id == tenant.id, LOG.c.seq == 3))
    problems = (await verify_chains(database_url, tenant.slug))[tenant.slug]
    assert "entry 2: its content was changed" in problems
    assert any("entries were removed" in p for p in problems)


async def test_verify_command_exit_status(tenant, gql, engine):
    await gql(CREATE, {"name": "A"})
    env = dict(os.environ)
    ok = subprocess.run(
        [sys.executable, "-m", "crm_graph", "audit", "verify", "--tenant", tenant.slug],
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert f"{tenant.slug}: ok" in ok.stdout
    async with engine.begin() as conn:
        await conn.execute(sa.update(LOG).where(LOG.c.tenant_id == tenant.id).values(action="organization.deleted"))
    broken = subprocess.run(
        [sys.executable, "-m", "crm_graph", "audit", "verify", "--tenant", tenant.slug],
        env=env,
        capture_output=True,
        text=True,
    )
    assert broken.returncode == 1
    assert "BROKEN" in broken.stdout and "entry 1: its content was changed" in broken.stdout
