"""outbox and audit written at commit

Revision ID: 9c4e1f7a2b63
Revises: 603181a6848a
Create Date: 2026-12-07 13:20:00.000000

A unit of work's last statement stages its outbox events and audit entries in
`journal_pending`; a constraint trigger deferred to COMMIT writes them (the very
statement crm_graph.kernel.journal sends, reading the staged row) and deletes the
row. The tenant's head rows are then locked inside COMMIT only: no client round
trip (nor the API's event loop) between taking them and the commit that frees them.
The table is always empty outside a committing transaction, hence UNLOGGED.
The function's text is written here as it stands at this revision.
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '9c4e1f7a2b63'
down_revision: str | Sequence[str] | None = '603181a6848a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _isolate(table: str, column: str = "tenant_id", privileges: str = "SELECT, INSERT, DELETE") -> list[str]:
    """Row-level security on `table` for the app role, as this revision writes it."""
    tenant = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
    return [
        f"GRANT {privileges} ON {table} TO crm_app",
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"CREATE POLICY tenant_isolation ON {table} USING ({column} = {tenant}) WITH CHECK ({column} = {tenant})",
    ]


FLUSH = """CREATE OR REPLACE FUNCTION journal_flush() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  v_notified boolean;
  v_audited boolean := true;
  has_events boolean := cardinality(NEW.ev_type) > 0;
  has_entries boolean := cardinality(NEW.en_action) > 0;
BEGIN
  IF has_events AND has_entries THEN
    WITH RECURSIVE
    ohead AS (
      INSERT INTO outbox_heads (tenant_id, seq) VALUES (NEW.tenant_id, cardinality(NEW.ev_type))
      ON CONFLICT (tenant_id) DO UPDATE SET seq = outbox_heads.seq + EXCLUDED.seq
      RETURNING seq),
    ev AS (
      SELECT * FROM unnest(NEW.ev_type, NEW.ev_record_type, NEW.ev_record_id,
                           NEW.ev_version, NEW.ev_changes)
        WITH ORDINALITY AS e(type, record_type, record_id, version, changes, ord)),
    outboxed AS (
      INSERT INTO outbox (id, tenant_id, seq, type, record_type, record_id, record_version, actor_user_id,
                          actor_api_key_id, occurred_at, changes)
      SELECT gen_random_uuid(), NEW.tenant_id, ohead.seq - cardinality(NEW.ev_type) + ev.ord, ev.type, ev.record_type,
             ev.record_id, ev.version, NEW.actor_user_id, NEW.actor_api_key_id,
             NEW.occurred_at, CAST(ev.changes AS jsonb)
      FROM ohead, ev),
    held AS (
      SELECT seq, hash FROM audit_heads WHERE tenant_id = NEW.tenant_id AND (SELECT count(*) FROM ohead) > 0 FOR UPDATE),
    base AS (
      SELECT coalesce((SELECT seq FROM held), 0) AS seq, coalesce((SELECT hash FROM held), '') AS hash),
    en AS (
      SELECT * FROM unnest(NEW.en_action, NEW.en_record_type, NEW.en_record_id,
                           NEW.en_changes, NEW.en_head, NEW.en_tail)
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
      WHERE h.tenant_id = NEW.tenant_id AND EXISTS (SELECT FROM held)
      RETURNING 1),
    created AS (
      INSERT INTO audit_heads (tenant_id, seq, hash) SELECT NEW.tenant_id, seq, hash FROM newest
      WHERE NOT EXISTS (SELECT FROM held)
      ON CONFLICT (tenant_id) DO NOTHING
      RETURNING 1),
    headed AS (
      SELECT FROM moved UNION ALL SELECT FROM created),
    entered AS (
      INSERT INTO audit_log (id, tenant_id, seq, occurred_at, actor_user_id, actor_api_key_id, action, record_type,
                             record_id, changes, request_id, client_address, prev_hash, hash)
      SELECT gen_random_uuid(), NEW.tenant_id, c.seq, NEW.occurred_at,
             NEW.actor_user_id, NEW.actor_api_key_id, en.action, en.record_type, en.record_id,
             CAST(en.changes AS jsonb), NEW.request_id, NEW.client_address, c.prev_hash, c.hash
      FROM chained c JOIN en ON en.ord = c.ord
      WHERE EXISTS (SELECT FROM headed))
    SELECT pg_notify('crm_outbox', CAST(NEW.tenant_id AS text)) IS NULL AS notified, EXISTS (SELECT FROM headed) AS audited
    INTO v_notified, v_audited;
  ELSIF has_events THEN
    WITH RECURSIVE
    ohead AS (
      INSERT INTO outbox_heads (tenant_id, seq) VALUES (NEW.tenant_id, cardinality(NEW.ev_type))
      ON CONFLICT (tenant_id) DO UPDATE SET seq = outbox_heads.seq + EXCLUDED.seq
      RETURNING seq),
    ev AS (
      SELECT * FROM unnest(NEW.ev_type, NEW.ev_record_type, NEW.ev_record_id,
                           NEW.ev_version, NEW.ev_changes)
        WITH ORDINALITY AS e(type, record_type, record_id, version, changes, ord)),
    outboxed AS (
      INSERT INTO outbox (id, tenant_id, seq, type, record_type, record_id, record_version, actor_user_id,
                          actor_api_key_id, occurred_at, changes)
      SELECT gen_random_uuid(), NEW.tenant_id, ohead.seq - cardinality(NEW.ev_type) + ev.ord, ev.type, ev.record_type,
             ev.record_id, ev.version, NEW.actor_user_id, NEW.actor_api_key_id,
             NEW.occurred_at, CAST(ev.changes AS jsonb)
      FROM ohead, ev)
    SELECT pg_notify('crm_outbox', CAST(NEW.tenant_id AS text)) IS NULL AS notified
    INTO v_notified;
  ELSIF has_entries THEN
    WITH RECURSIVE
    held AS (
      SELECT seq, hash FROM audit_heads WHERE tenant_id = NEW.tenant_id AND true FOR UPDATE),
    base AS (
      SELECT coalesce((SELECT seq FROM held), 0) AS seq, coalesce((SELECT hash FROM held), '') AS hash),
    en AS (
      SELECT * FROM unnest(NEW.en_action, NEW.en_record_type, NEW.en_record_id,
                           NEW.en_changes, NEW.en_head, NEW.en_tail)
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
      WHERE h.tenant_id = NEW.tenant_id AND EXISTS (SELECT FROM held)
      RETURNING 1),
    created AS (
      INSERT INTO audit_heads (tenant_id, seq, hash) SELECT NEW.tenant_id, seq, hash FROM newest
      WHERE NOT EXISTS (SELECT FROM held)
      ON CONFLICT (tenant_id) DO NOTHING
      RETURNING 1),
    headed AS (
      SELECT FROM moved UNION ALL SELECT FROM created),
    entered AS (
      INSERT INTO audit_log (id, tenant_id, seq, occurred_at, actor_user_id, actor_api_key_id, action, record_type,
                             record_id, changes, request_id, client_address, prev_hash, hash)
      SELECT gen_random_uuid(), NEW.tenant_id, c.seq, NEW.occurred_at,
             NEW.actor_user_id, NEW.actor_api_key_id, en.action, en.record_type, en.record_id,
             CAST(en.changes AS jsonb), NEW.request_id, NEW.client_address, c.prev_hash, c.hash
      FROM chained c JOIN en ON en.ord = c.ord
      WHERE EXISTS (SELECT FROM headed))
    SELECT EXISTS (SELECT FROM headed) AS audited
    INTO v_audited;
  END IF;
  IF has_entries AND NOT v_audited THEN
    -- Another transaction created the tenant's audit head after that statement's
    -- snapshot (it has committed: the insert waited for it); a new statement sees it.
      WITH RECURSIVE
      held AS (
        SELECT seq, hash FROM audit_heads WHERE tenant_id = NEW.tenant_id AND true FOR UPDATE),
      base AS (
        SELECT coalesce((SELECT seq FROM held), 0) AS seq, coalesce((SELECT hash FROM held), '') AS hash),
      en AS (
        SELECT * FROM unnest(NEW.en_action, NEW.en_record_type, NEW.en_record_id,
                             NEW.en_changes, NEW.en_head, NEW.en_tail)
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
        WHERE h.tenant_id = NEW.tenant_id AND EXISTS (SELECT FROM held)
        RETURNING 1),
      created AS (
        INSERT INTO audit_heads (tenant_id, seq, hash) SELECT NEW.tenant_id, seq, hash FROM newest
        WHERE NOT EXISTS (SELECT FROM held)
        ON CONFLICT (tenant_id) DO NOTHING
        RETURNING 1),
      headed AS (
        SELECT FROM moved UNION ALL SELECT FROM created),
      entered AS (
        INSERT INTO audit_log (id, tenant_id, seq, occurred_at, actor_user_id, actor_api_key_id, action, record_type,
                               record_id, changes, request_id, client_address, prev_hash, hash)
        SELECT gen_random_uuid(), NEW.tenant_id, c.seq, NEW.occurred_at,
               NEW.actor_user_id, NEW.actor_api_key_id, en.action, en.record_type, en.record_id,
               CAST(en.changes AS jsonb), NEW.request_id, NEW.client_address, c.prev_hash, c.hash
        FROM chained c JOIN en ON en.ord = c.ord
        WHERE EXISTS (SELECT FROM headed))
      SELECT EXISTS (SELECT FROM headed) AS audited
      INTO v_audited;
    IF NOT v_audited THEN
      RAISE EXCEPTION 'tenant %: the audit chain''s head could not be locked', NEW.tenant_id;
    END IF;
  END IF;
  DELETE FROM journal_pending WHERE id = NEW.id;
  RETURN NULL;
END
$fn$"""

TRIGGER = (
    "CREATE CONSTRAINT TRIGGER journal_flush AFTER INSERT ON journal_pending "
    "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION journal_flush()"
)


def upgrade() -> None:
    op.create_table('journal_pending',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('actor_user_id', sa.Uuid(), nullable=True),
    sa.Column('actor_api_key_id', sa.Uuid(), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('request_id', sa.Text(), nullable=True),
    sa.Column('client_address', sa.Text(), nullable=True),
    sa.Column('ev_type', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('ev_record_type', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('ev_record_id', postgresql.ARRAY(sa.Uuid()), nullable=False),
    sa.Column('ev_version', postgresql.ARRAY(sa.Integer()), nullable=False),
    sa.Column('ev_changes', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('en_action', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('en_record_type', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('en_record_id', postgresql.ARRAY(sa.Uuid()), nullable=False),
    sa.Column('en_changes', postgresql.ARRAY(sa.Text()), nullable=False),
    sa.Column('en_head', postgresql.ARRAY(sa.LargeBinary()), nullable=False),
    sa.Column('en_tail', postgresql.ARRAY(sa.LargeBinary()), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    prefixes=['UNLOGGED'],
    )
    for statement in _isolate("journal_pending"):
        op.execute(statement)
    op.execute(FLUSH)
    op.execute(TRIGGER)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS journal_flush ON journal_pending")
    op.execute("DROP FUNCTION IF EXISTS journal_flush()")
    op.drop_table('journal_pending')
