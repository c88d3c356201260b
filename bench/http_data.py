"""The HTTP benchmark's data: the ids its queries need, the writes m1 makes, the
PostGraphile view layer, and the normal form in which both servers' answers must match.
"""

from __future__ import annotations

import uuid
from collections import deque
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import orjson
import sqlalchemy as sa

from bench.http_load import PGL_DIR
from crm_graph.kernel.db import make_engine


def entity(name: str) -> Any:
    from crm_graph.domains import enabled  # noqa: F401  (every domain's declarations)
    from crm_graph.readside.spec import entity as named

    return named(name)


def body(query: str, variables: dict[str, Any] | None = None) -> str:
    return orjson.dumps({"query": query, "variables": variables or {}}).decode()


# --- the dataset ---------------------------------------------------------------------------


async def dataset(database_url: str) -> dict[str, Any]:
    """Ids the queries need: the tenant, the users, q2's organization, q3's two ends."""
    engine = make_engine(database_url, 2)  # the owner: no row-level security
    try:
        async with engine.connect() as conn:
            q = conn.execute
            tenant = (await q(sa.text("SELECT id FROM tenants WHERE slug = 'demo'"))).scalar_one()
            users = dict((await q(sa.text("SELECT email, id FROM users WHERE tenant_id = :t"), {"t": tenant})).all())
            rep = users["rep1@demo.example"]
            # q2: an organization the rep owns (so both roles see it), with edges both ways
            # and the most opportunities.
            q2_org = (
                await q(
                    sa.text("""
                SELECT o.id FROM organizations o
                WHERE o.tenant_id = :t AND o.archived_at IS NULL AND o.owner_id = :rep
                  AND EXISTS (SELECT 1 FROM relationships r WHERE r.source_id = o.id)
                  AND EXISTS (SELECT 1 FROM relationships r WHERE r.target_id = o.id)
                ORDER BY (SELECT count(*) FROM opportunities p WHERE p.organization_id = o.id
                          AND p.archived_at IS NULL) DESC, o.id LIMIT 1"""),
                    {"t": tenant, "rep": rep},
                )
            ).scalar_one()
            counts = {}
            for table in (
                "organizations",
                "contacts",
                "opportunities",
                "interactions",
                "interaction_participants",
                "relationships",
            ):
                counts[table] = (
                    await q(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant})
                ).scalar_one()
            edges = (
                await q(
                    sa.text(
                        "SELECT source_type, source_id, target_type, target_id FROM relationships WHERE tenant_id = :t"
                    ),
                    {"t": tenant},
                )
            ).all()
            archived = set(
                (
                    await q(
                        sa.text(
                            "SELECT id FROM organizations WHERE tenant_id = :t AND archived_at IS NOT NULL UNION ALL "
                            "SELECT id FROM contacts WHERE tenant_id = :t AND archived_at IS NOT NULL UNION ALL "
                            "SELECT id FROM opportunities WHERE tenant_id = :t AND archived_at IS NOT NULL"
                        ),
                        {"t": tenant},
                    )
                ).scalars()
            )
    finally:
        await engine.dispose()
    return {"tenant": tenant, "users": users, "q2_org": q2_org, "counts": counts, "q3": path_ends(edges, archived)}


def path_ends(edges: list[Any], archived: set[uuid.UUID]) -> dict[str, Any]:
    """Two organizations whose shortest path (edges both ways, live ends) has 4 hops, else 3."""
    adjacency: dict[uuid.UUID, set[uuid.UUID]] = {}
    kinds: dict[uuid.UUID, str] = {}
    for source_type, source, target_type, target in edges:
        if source in archived or target in archived or source == target:
            continue
        if not {source_type, target_type} <= {"organization", "contact", "opportunity"}:
            continue
        adjacency.setdefault(source, set()).add(target)
        adjacency.setdefault(target, set()).add(source)
        kinds[source], kinds[target] = source_type, target_type
    fallback = None
    for start in sorted(n for n in adjacency if kinds[n] == "organization")[:300]:
        depth = {start: 0}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if depth[node] == 4:
                continue
            for nxt in adjacency[node]:
                if nxt not in depth:
                    depth[nxt] = depth[node] + 1
                    queue.append(nxt)
        far = sorted(n for n, d in depth.items() if kinds[n] == "organization" and d >= 3)
        for hops in (4, 3):
            ends = [n for n in far if depth[n] == hops]
            if ends and hops == 4:
                return {"from": start, "to": ends[0], "hops": 4}
            if ends and fallback is None:
                fallback = {"from": start, "to": ends[0], "hops": 3}
    if fallback is None:
        raise RuntimeError("no two organizations 3 or 4 hops apart in the dataset")
    return fallback


async def top_up_opportunities(database_url: str, data: dict[str, Any], n: int = 20) -> int:
    """Give q2's organization n opportunities (the generator makes at most ~5 per organization):
    copies of other organizations' open ones, owned by the rep, with deterministic ids."""
    engine = make_engine(database_url, 1)
    params = {"t": data["tenant"], "org": data["q2_org"], "rep": data["users"]["rep1@demo.example"]}
    try:
        async with engine.begin() as conn:
            have = (
                await conn.execute(
                    sa.text("SELECT count(*) FROM opportunities WHERE organization_id = :org AND archived_at IS NULL"),
                    params,
                )
            ).scalar_one()
            if have >= n:
                return int(have)
            await conn.execute(
                sa.text(
                    "CREATE TEMP TABLE q2_extra ON COMMIT DROP AS SELECT * FROM opportunities WHERE tenant_id = :t "
                    "AND archived_at IS NULL AND organization_id <> :org AND status = 'open' ORDER BY id LIMIT :k"
                ),
                {**params, "k": n - have},
            )
            await conn.execute(
                sa.text(
                    "UPDATE q2_extra SET id = md5(id::text || '-q2')::uuid, organization_id = :org, owner_id = :rep, "
                    "primary_contact_id = NULL"
                ),
                params,
            )
            await conn.execute(sa.text("INSERT INTO opportunities SELECT * FROM q2_extra"))
            return n
    finally:
        await engine.dispose()


async def move_targets(database_url: str, tenant: uuid.UUID, n: int = 256) -> list[tuple[uuid.UUID, list[uuid.UUID]]]:
    """Open opportunities with their pipeline's open stages, rotated to start after the current one."""
    engine = make_engine(database_url, 1)
    try:
        async with engine.connect() as conn:
            stages = (
                await conn.execute(
                    sa.text(
                        "SELECT pipeline_id, id FROM stages WHERE tenant_id = :t AND archived_at IS NULL "
                        "AND NOT is_won AND NOT is_lost ORDER BY pipeline_id, position, id"
                    ),
                    {"t": tenant},
                )
            ).all()
            opps = (
                await conn.execute(
                    sa.text(
                        "SELECT id, pipeline_id, stage_id FROM opportunities WHERE tenant_id = :t AND archived_at IS NULL "
                        "AND status = 'open' ORDER BY id LIMIT :n"
                    ),
                    {"t": tenant, "n": n * 2},
                )
            ).all()
    finally:
        await engine.dispose()
    open_stages: dict[uuid.UUID, list[uuid.UUID]] = {}
    for pipeline, stage in stages:
        open_stages.setdefault(pipeline, []).append(stage)
    out = []
    for opp, pipeline, stage in opps:
        ring = open_stages.get(pipeline, [])
        if len(ring) >= 2 and stage in ring:
            at = ring.index(stage)
            out.append((opp, ring[at + 1 :] + ring[: at + 1]))
    return out[:n]


def m1_bodies(
    mutation: str, targets: list[tuple[uuid.UUID, list[uuid.UUID]]], threads: int, rounds: int = 24
) -> list[list[str]]:
    """Per wrk thread, its own opportunities, each moved to the next open stage in turn.

    A thread goes round its opportunities (more than its connections), so two moves of
    one opportunity are never in flight together, and every request is a real change.
    """
    from crm_graph.readside.ids import to_global_id

    opp_entity, stage_entity = entity("Opportunity"), entity("Stage")
    groups: list[list[str]] = [[] for _ in range(threads)]
    for r in range(rounds):
        for k, (opp, ring) in enumerate(targets):
            variables = {
                "i": {"id": to_global_id(opp_entity, opp), "stageId": to_global_id(stage_entity, ring[r % len(ring)])}
            }
            groups[k % threads].append(body(mutation, variables))
    return groups


async def write_counts(database_url: str, tenant: uuid.UUID) -> dict[str, int]:
    engine = make_engine(database_url, 1)
    try:
        async with engine.connect() as conn:
            return {
                table: (
                    await conn.execute(sa.text(f"SELECT count(*) FROM {table} WHERE tenant_id = :t"), {"t": tenant})
                ).scalar_one()
                for table in ("opportunity_stage_changes", "audit_log", "outbox")
            }
    finally:
        await engine.dispose()


async def install_views(database_url: str) -> None:
    import asyncpg

    dsn = sa.engine.make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)  # one script of many statements: asyncpg's simple protocol
    try:
        await conn.execute((PGL_DIR / "views.sql").read_text())
    finally:
        await conn.close()


# --- the same data? ----------------------------------------------------------------------


def _uuid(global_id: str) -> uuid.UUID | str:
    from crm_graph.readside.ids import from_global_id

    found = from_global_id(global_id)
    return found[1] if found else global_id


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _lower(value: str | None) -> str | None:
    return value.lower() if value else value


def _edges(connection: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [e["node"] for e in (connection or {"edges": []})["edges"]]


def normal_q1(data: dict[str, Any], pg: bool) -> list[Any]:
    key = "rowId" if pg else "id"
    ident = (lambda v: uuid.UUID(v)) if pg else _uuid
    orgs = _edges(data["allOrganizations" if pg else "organizations"])
    return [
        (
            ident(o[key]),
            o["name"],
            o["industry"],
            [
                (
                    ident(c[key]),
                    c["firstName"],
                    c["lastName"],
                    c["title"],
                    [
                        (ident(i[key]), _lower(i["kind"]), i["subject"], _when(i["occurredAt"]))
                        for i in _edges(c["latestInteractions" if pg else "interactions"])
                    ],
                )
                for c in _edges(o["contactsByOrganizationId" if pg else "contacts"])
            ],
        )
        for o in orgs
    ]


def normal_q2(data: dict[str, Any], pg: bool) -> Any:
    o = data["organizationByRowId" if pg else "node"]
    if o is None:
        return None
    key = "rowId" if pg else "id"
    ident = (lambda v: uuid.UUID(v)) if pg else _uuid
    opps = [
        (
            ident(p[key]),
            p["name"],
            Decimal(p["amount"]) if p["amount"] is not None else None,
            p["currency"],
            _lower(p["status"]),
            p["expectedCloseDate"],
            _when(p["createdAt"]),
        )
        for p in _edges(o["opportunitiesByOrganizationId" if pg else "opportunities"])
    ]
    edges = [
        (
            ident(r[key]),
            r["kind"],
            r["sourceType"],
            r["targetType"],
            r["strength"],
            r["since"],
            uuid.UUID(r["sourceId"]) if pg else _uuid(r["source"]["id"]),
            uuid.UUID(r["targetId"]) if pg else _uuid(r["target"]["id"]),
        )
        for r in _edges(o["relationships"])
    ]
    return (ident(o[key]), o["name"], o["industry"], opps, edges)


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return f"{path or '/'}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}/{i}")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} vs {b!r}"


def rows(tree: Any) -> int:
    """Records in a normalized result: every tuple whose first item is a UUID."""
    if isinstance(tree, (list, tuple)):
        here = 1 if isinstance(tree, tuple) and tree and isinstance(tree[0], uuid.UUID) else 0
        return here + sum(rows(x) for x in tree)
    return 0


async def gql(client: httpx.AsyncClient, base: str, token: str, text: str) -> tuple[dict[str, Any], int]:
    r = await client.post(
        base + "/graphql",
        content=text,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    payload = r.json()
    if r.status_code != 200 or payload.get("errors"):
        raise RuntimeError(f"{base}: HTTP {r.status_code}: {r.text[:600]}")
    return payload["data"], len(r.content)
