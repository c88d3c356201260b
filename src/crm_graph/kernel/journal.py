"""The outbox events and audit entries that end every unit of work.

A tenant's writes queue on two head rows (the outbox's numbers, the audit chain's last
hash), and whoever holds them holds them until COMMIT. One statement (upsert the outbox
head, insert the events, lock and move the audit head, insert the entries, `pg_notify`)
writes both. A unit of work does not send it: it `stage`s the rows with one statement
that takes no lock, and a constraint trigger deferred to COMMIT runs that statement on
them (migration 9c4e1f7a2b63), so the heads are held from inside COMMIT to its end,
with no round trip to the API (whose event loop, busy with other requests, used to
stand between the statement and the COMMIT). `write` sends the statement at once, for
callers outside a unit of work. The guarantees stay: numbers gap-free in commit order
per tenant (the locks are held to commit), the same hash chain (computed by PostgreSQL's
`sha256` over the very bytes `kernel.chain.entry_hash` hashes), rollback with the change.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from crm_graph.kernel import chain

# Notified at commit with the tenant id: the relay (crm_graph.platform.events.relay) listens.
NOTIFY_CHANNEL = "crm_outbox"

# The outbox head is taken first (as it always was), then the audit head: one order for
# every writer, so two writers of a tenant never wait for each other in a cycle.
_OUTBOX = """
ohead AS (
  INSERT INTO outbox_heads (tenant_id, seq) VALUES (CAST(:tenant_id AS uuid), :n_events)
  ON CONFLICT (tenant_id) DO UPDATE SET seq = outbox_heads.seq + EXCLUDED.seq
  RETURNING seq),
ev AS (
  SELECT * FROM unnest(CAST(:ev_type AS text[]), CAST(:ev_record_type AS text[]), CAST(:ev_record_id AS uuid[]),
                       CAST(:ev_version AS integer[]), CAST(:ev_changes AS text[]))
    WITH ORDINALITY AS e(type, record_type, record_id, version, changes, ord)),
outboxed AS (
  INSERT INTO outbox (id, tenant_id, seq, type, record_type, record_id, record_version, actor_user_id,
                      actor_api_key_id, occurred_at, changes)
  SELECT gen_random_uuid(), CAST(:tenant_id AS uuid), ohead.seq - :n_events + ev.ord, ev.type, ev.record_type,
         ev.record_id, ev.version, CAST(:actor_user_id AS uuid), CAST(:actor_api_key_id AS uuid),
         CAST(:occurred_at AS timestamptz), CAST(ev.changes AS jsonb)
  FROM ohead, ev)"""

# The audit head may not exist yet (a tenant's first entry). A row locked FOR UPDATE is
# read at its newest committed version, whatever the statement's snapshot; a missing
# one is inserted, and if another writer inserted it meanwhile nothing is written
# (`audited` false) and the caller runs the audit part again with a fresh snapshot.
_AUDIT = """
held AS (
  SELECT seq, hash FROM audit_heads WHERE tenant_id = CAST(:tenant_id AS uuid) AND {after_outbox} FOR UPDATE),
base AS (
  SELECT coalesce((SELECT seq FROM held), 0) AS seq, coalesce((SELECT hash FROM held), '') AS hash),
en AS (
  SELECT * FROM unnest(CAST(:en_action AS text[]), CAST(:en_record_type AS text[]), CAST(:en_record_id AS uuid[]),
                       CAST(:en_changes AS text[]), CAST(:en_head AS bytea[]), CAST(:en_tail AS bytea[]))
    WITH ORDINALITY AS e(action, record_type, record_id, changes, head, tail, ord)),
chained (ord, seq, prev_hash, hash) AS (
  SELECT CAST(0 AS bigint), seq, CAST(NULL AS text), hash FROM base
  UNION ALL
  SELECT c.ord + 1, c.seq + 1, c.hash,
         encode(sha256(convert_to(c.hash, 'UTF8') || en.head || convert_to(CAST(c.seq + 1 AS text), 'UTF8')
                       || en.tail), 'hex')
  FROM chained c JOIN en ON en.ord = c.ord + 1),
newest AS (
  SELECT seq, hash FROM chained ORDER BY ord DESC LIMIT 1),
moved AS (
  UPDATE audit_heads h SET seq = newest.seq, hash = newest.hash FROM newest
  WHERE h.tenant_id = CAST(:tenant_id AS uuid) AND EXISTS (SELECT FROM held)
  RETURNING 1),
created AS (
  INSERT INTO audit_heads (tenant_id, seq, hash) SELECT CAST(:tenant_id AS uuid), seq, hash FROM newest
  WHERE NOT EXISTS (SELECT FROM held)
  ON CONFLICT (tenant_id) DO NOTHING
  RETURNING 1),
headed AS (
  SELECT FROM moved UNION ALL SELECT FROM created),
entered AS (
  INSERT INTO audit_log (id, tenant_id, seq, occurred_at, actor_user_id, actor_api_key_id, action, record_type,
                         record_id, changes, request_id, client_address, prev_hash, hash)
  SELECT gen_random_uuid(), CAST(:tenant_id AS uuid), c.seq, CAST(:occurred_at AS timestamptz),
         CAST(:actor_user_id AS uuid), CAST(:actor_api_key_id AS uuid), en.action, en.record_type, en.record_id,
         CAST(en.changes AS jsonb), CAST(:request_id AS text), CAST(:client_address AS text), c.prev_hash, c.hash
  FROM chained c JOIN en ON en.ord = c.ord
  WHERE EXISTS (SELECT FROM headed))"""


def _statement(events: bool, entries: bool) -> sa.TextClause:
    parts, columns = [], []
    if events:
        parts.append(_OUTBOX)
        # Delivered at commit: wakes the relay at once instead of at its next poll.
        columns.append(f"pg_notify('{NOTIFY_CHANNEL}', CAST(:tenant_text AS text)) IS NULL AS notified")
    if entries:
        # Evaluated before the scan: the audit head is locked only once the outbox head is.
        parts.append(_AUDIT.format(after_outbox="(SELECT count(*) FROM ohead) > 0" if events else "true"))
        columns.append("EXISTS (SELECT FROM headed) AS audited")
    return sa.text("WITH RECURSIVE " + ",".join(parts) + "\nSELECT " + ", ".join(columns))


_STATEMENTS = {(e, a): _statement(e, a) for e in (False, True) for a in (False, True) if e or a}


def _json(value: dict[str, Any]) -> str:
    return orjson.dumps(value).decode()


def _params(
    tenant_id: uuid.UUID,
    events: Sequence[Any],
    entries: Sequence[chain.Entry],
    actor_user_id: uuid.UUID | None,
    actor_api_key_id: uuid.UUID | None,
    request_id: str | None,
    client_address: str | None,
) -> dict[str, Any]:
    now = datetime.now(UTC)
    params: dict[str, Any] = {
        "tenant_id": tenant_id,
        "actor_user_id": actor_user_id,
        "actor_api_key_id": actor_api_key_id,
        "occurred_at": now,
        "request_id": request_id,
        "client_address": client_address,
        "n_events": len(events),
        "tenant_text": str(tenant_id),
        "ev_type": [e.type for e in events],
        "ev_record_type": [e.record_type for e in events],
        "ev_record_id": [e.record_id for e in events],
        "ev_version": [e.version for e in events],
        "ev_changes": [_json(chain.redact(dict(e.changes))) for e in events],
    }
    common = {
        "tenant_id": tenant_id,
        "occurred_at": now,
        "actor_user_id": actor_user_id,
        "actor_api_key_id": actor_api_key_id,
        "request_id": request_id,
        "client_address": client_address,
    }
    changes = [chain.redact(e.changes or {}) for e in entries]
    # Each entry's hashed bytes but its number, which only the statement knows.
    parts = [
        chain.hashed_parts(
            {**common, "action": e.action, "record_type": e.record_type, "record_id": e.record_id, "changes": c}
        )
        for e, c in zip(entries, changes, strict=True)
    ]
    params.update(
        en_action=[e.action for e in entries],
        en_record_type=[e.record_type for e in entries],
        en_record_id=[e.record_id for e in entries],
        en_changes=[_json(c) for c in changes],
        en_head=[head for head, _ in parts],
        en_tail=[tail for _, tail in parts],
    )
    return params


# The rows of the unit of work, staged for the trigger deferred to COMMIT (migration
# 9c4e1f7a2b63, `journal_flush`): it runs the statements above on the staged arrays,
# so the tenant's head rows are taken inside COMMIT itself, and deletes the row.
_STAGE = sa.text(
    "INSERT INTO journal_pending (id, tenant_id, actor_user_id, actor_api_key_id, occurred_at, request_id,"
    " client_address, ev_type, ev_record_type, ev_record_id, ev_version, ev_changes, en_action, en_record_type,"
    " en_record_id, en_changes, en_head, en_tail) VALUES (gen_random_uuid(), CAST(:tenant_id AS uuid),"
    " CAST(:actor_user_id AS uuid), CAST(:actor_api_key_id AS uuid), CAST(:occurred_at AS timestamptz),"
    " CAST(:request_id AS text), CAST(:client_address AS text), CAST(:ev_type AS text[]),"
    " CAST(:ev_record_type AS text[]), CAST(:ev_record_id AS uuid[]), CAST(:ev_version AS integer[]),"
    " CAST(:ev_changes AS text[]), CAST(:en_action AS text[]), CAST(:en_record_type AS text[]),"
    " CAST(:en_record_id AS uuid[]), CAST(:en_changes AS text[]), CAST(:en_head AS bytea[]),"
    " CAST(:en_tail AS bytea[]))"
)
_STAGED = ("n_events", "tenant_text")


async def stage(
    conn: Any,
    tenant_id: uuid.UUID,
    events: Sequence[Any],
    entries: Sequence[chain.Entry],
    *,
    actor_user_id: uuid.UUID | None,
    actor_api_key_id: uuid.UUID | None = None,
    request_id: str | None = None,
    client_address: str | None = None,
) -> None:
    """As `write`, but written by the caller's COMMIT: one statement now, which takes
    no lock; the trigger then numbers the events and chains the entries holding the
    tenant's head rows from inside COMMIT to its end, with the same guarantees (the
    locks are held to commit; a rollback discards the staged row and its trigger).
    The caller's session must be the tenant's (row-level security checks the row)."""
    if not events and not entries:
        return
    params = _params(tenant_id, events, entries, actor_user_id, actor_api_key_id, request_id, client_address)
    await conn.execute(_STAGE, {k: v for k, v in params.items() if k not in _STAGED})


async def write(
    conn: Any,
    tenant_id: uuid.UUID,
    events: Sequence[Any],
    entries: Sequence[chain.Entry],
    *,
    actor_user_id: uuid.UUID | None,
    actor_api_key_id: uuid.UUID | None = None,
    request_id: str | None = None,
    client_address: str | None = None,
) -> None:
    """Append `events` (crm_graph.kernel.db.DomainEvent) to the tenant's outbox and `entries`
    to its audit chain, in the caller's transaction: one statement (two, then three,
    only while a new tenant's first writers race to create its audit head)."""
    if not events and not entries:
        return
    params = _params(tenant_id, events, entries, actor_user_id, actor_api_key_id, request_id, client_address)
    if not events:
        params = {k: v for k, v in params.items() if not k.startswith(("ev_", "n_events", "tenant_text"))}
    if not entries:
        params = {k: v for k, v in params.items() if not k.startswith(("en_", "request_id", "client_address"))}
    row = (await conn.execute(_STATEMENTS[bool(events), bool(entries)], params)).one()
    if not entries or row.audited:
        return
    # Another transaction created the tenant's audit head after this statement's
    # snapshot was taken (it has committed: the insert waited for it). A new statement
    # sees it and locks it; the outbox part is done and is not repeated.
    audit_only = {k: v for k, v in params.items() if not k.startswith(("ev_", "n_events", "tenant_text"))}
    if not (await conn.execute(_STATEMENTS[False, True], audit_only)).one().audited:
        raise RuntimeError(f"tenant {tenant_id}: the audit chain's head could not be locked")
