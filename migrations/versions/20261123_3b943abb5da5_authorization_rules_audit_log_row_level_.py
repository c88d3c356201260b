"""authorization rules, audit log, row-level security

Revision ID: 3b943abb5da5
Revises: 244714d5788f
Create Date: 2026-11-23 05:02:17.436755

"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql


TENANT_TABLES = (
    "users", "teams", "organizations", "contacts", "relationship_kinds", "relationships", "pipelines", "stages",
    "opportunities", "opportunity_stage_changes", "interactions", "interaction_participants", "tasks",
    "policy_rules",
)

# revision identifiers, used by Alembic.
revision: str = '3b943abb5da5'
down_revision: str | Sequence[str] | None = '244714d5788f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The default roles' rules as they were at this revision, (role, object, action, scope,
# effect), and their inheritance (child, parent): existing tenants got these. Written
# here, not imported, so what this revision does never changes with today's defaults.
DEFAULT_RULES = [
    ("admin", "*", "*", "tenant", "allow"),
    ("sales_manager", "organization", "read", "tenant", "allow"),
    ("sales_manager", "organization", "create", "tenant", "allow"),
    ("sales_manager", "organization", "update", "tenant", "allow"),
    ("sales_manager", "organization", "archive", "tenant", "allow"),
    ("sales_manager", "organization", "delete", "tenant", "allow"),
    ("sales_manager", "contact", "read", "tenant", "allow"),
    ("sales_manager", "contact", "create", "tenant", "allow"),
    ("sales_manager", "contact", "update", "tenant", "allow"),
    ("sales_manager", "contact", "archive", "tenant", "allow"),
    ("sales_manager", "contact", "delete", "tenant", "allow"),
    ("sales_manager", "relationship", "read", "tenant", "allow"),
    ("sales_manager", "relationship", "create", "tenant", "allow"),
    ("sales_manager", "relationship", "update", "tenant", "allow"),
    ("sales_manager", "relationship", "archive", "tenant", "allow"),
    ("sales_manager", "relationship", "delete", "tenant", "allow"),
    ("sales_manager", "opportunity", "read", "team", "allow"),
    ("sales_manager", "opportunity", "create", "team", "allow"),
    ("sales_manager", "opportunity", "update", "team", "allow"),
    ("sales_manager", "opportunity", "archive", "team", "allow"),
    ("sales_manager", "opportunity", "delete", "team", "allow"),
    ("sales_manager", "interaction", "read", "team", "allow"),
    ("sales_manager", "interaction", "create", "team", "allow"),
    ("sales_manager", "interaction", "update", "team", "allow"),
    ("sales_manager", "interaction", "archive", "team", "allow"),
    ("sales_manager", "interaction", "delete", "team", "allow"),
    ("sales_manager", "task", "read", "team", "allow"),
    ("sales_manager", "task", "create", "team", "allow"),
    ("sales_manager", "task", "update", "team", "allow"),
    ("sales_manager", "task", "archive", "team", "allow"),
    ("sales_manager", "task", "delete", "team", "allow"),
    ("sales_manager", "pipeline", "create", "tenant", "allow"),
    ("sales_manager", "pipeline", "update", "tenant", "allow"),
    ("sales_manager", "stage", "create", "tenant", "allow"),
    ("sales_manager", "stage", "update", "tenant", "allow"),
    ("sales_manager", "user", "read", "tenant", "allow"),
    ("sales_manager", "team", "read", "tenant", "allow"),
    ("sales_manager", "pipeline", "read", "tenant", "allow"),
    ("sales_manager", "stage", "read", "tenant", "allow"),
    ("sales_manager", "relationship_kind", "read", "tenant", "allow"),
    ("sales_manager", "opportunity_stage_change", "read", "tenant", "allow"),
    ("sales_rep", "organization", "read", "tenant", "allow"),
    ("sales_rep", "contact", "read", "tenant", "allow"),
    ("sales_rep", "relationship", "read", "tenant", "allow"),
    ("sales_rep", "organization", "create", "own", "allow"),
    ("sales_rep", "organization", "update", "own", "allow"),
    ("sales_rep", "organization", "archive", "own", "allow"),
    ("sales_rep", "contact", "create", "own", "allow"),
    ("sales_rep", "contact", "update", "own", "allow"),
    ("sales_rep", "contact", "archive", "own", "allow"),
    ("sales_rep", "relationship", "create", "tenant", "allow"),
    ("sales_rep", "relationship", "update", "tenant", "allow"),
    ("sales_rep", "relationship", "delete", "tenant", "allow"),
    ("sales_rep", "opportunity", "read", "own", "allow"),
    ("sales_rep", "opportunity", "create", "own", "allow"),
    ("sales_rep", "opportunity", "update", "own", "allow"),
    ("sales_rep", "opportunity", "archive", "own", "allow"),
    ("sales_rep", "interaction", "read", "own", "allow"),
    ("sales_rep", "interaction", "create", "own", "allow"),
    ("sales_rep", "interaction", "update", "own", "allow"),
    ("sales_rep", "interaction", "archive", "own", "allow"),
    ("sales_rep", "task", "read", "own", "allow"),
    ("sales_rep", "task", "create", "own", "allow"),
    ("sales_rep", "task", "update", "own", "allow"),
    ("sales_rep", "task", "archive", "own", "allow"),
    ("sales_rep", "user", "read", "tenant", "allow"),
    ("sales_rep", "team", "read", "tenant", "allow"),
    ("sales_rep", "pipeline", "read", "tenant", "allow"),
    ("sales_rep", "stage", "read", "tenant", "allow"),
    ("sales_rep", "relationship_kind", "read", "tenant", "allow"),
    ("sales_rep", "opportunity_stage_change", "read", "tenant", "allow"),
    ("marketing_manager", "organization", "read", "tenant", "allow"),
    ("marketing_manager", "contact", "read", "tenant", "allow"),
    ("marketing_manager", "relationship", "read", "tenant", "allow"),
    ("marketing_manager", "contact", "create", "tenant", "allow"),
    ("marketing_manager", "contact", "update", "tenant", "allow"),
    ("marketing_manager", "contact.phones", "*", "tenant", "deny"),
    ("marketing_manager", "user", "read", "tenant", "allow"),
    ("marketing_manager", "team", "read", "tenant", "allow"),
    ("marketing_manager", "pipeline", "read", "tenant", "allow"),
    ("marketing_manager", "stage", "read", "tenant", "allow"),
    ("marketing_manager", "relationship_kind", "read", "tenant", "allow"),
    ("marketing_manager", "opportunity_stage_change", "read", "tenant", "allow"),
    ("service_agent", "organization", "read", "tenant", "allow"),
    ("service_agent", "contact", "read", "tenant", "allow"),
    ("service_agent", "relationship", "read", "tenant", "allow"),
    ("service_agent", "opportunity", "read", "tenant", "allow"),
    ("service_agent", "interaction", "read", "own", "allow"),
    ("service_agent", "interaction", "create", "own", "allow"),
    ("service_agent", "interaction", "update", "own", "allow"),
    ("service_agent", "task", "read", "own", "allow"),
    ("service_agent", "task", "create", "own", "allow"),
    ("service_agent", "task", "update", "own", "allow"),
    ("service_agent", "opportunity.amount", "*", "tenant", "deny"),
    ("service_agent", "user", "read", "tenant", "allow"),
    ("service_agent", "team", "read", "tenant", "allow"),
    ("service_agent", "pipeline", "read", "tenant", "allow"),
    ("service_agent", "stage", "read", "tenant", "allow"),
    ("service_agent", "relationship_kind", "read", "tenant", "allow"),
    ("service_agent", "opportunity_stage_change", "read", "tenant", "allow"),
    ("service_manager", "interaction", "read", "tenant", "allow"),
    ("service_manager", "interaction", "create", "tenant", "allow"),
    ("service_manager", "interaction", "update", "tenant", "allow"),
    ("service_manager", "interaction", "archive", "tenant", "allow"),
    ("service_manager", "task", "read", "tenant", "allow"),
    ("service_manager", "task", "create", "tenant", "allow"),
    ("service_manager", "task", "update", "tenant", "allow"),
    ("service_manager", "task", "archive", "tenant", "allow"),
    ("service_manager", "contact", "update", "tenant", "allow"),
    ("analyst", "organization", "read", "tenant", "allow"),
    ("analyst", "contact", "read", "tenant", "allow"),
    ("analyst", "opportunity", "read", "tenant", "allow"),
    ("analyst", "interaction", "read", "tenant", "allow"),
    ("analyst", "task", "read", "tenant", "allow"),
    ("analyst", "relationship", "read", "tenant", "allow"),
    ("analyst", "contact.emails", "*", "tenant", "deny"),
    ("analyst", "contact.phones", "*", "tenant", "deny"),
    ("analyst", "user", "read", "tenant", "allow"),
    ("analyst", "team", "read", "tenant", "allow"),
    ("analyst", "pipeline", "read", "tenant", "allow"),
    ("analyst", "stage", "read", "tenant", "allow"),
    ("analyst", "relationship_kind", "read", "tenant", "allow"),
    ("analyst", "opportunity_stage_change", "read", "tenant", "allow"),
    ("integration", "organization", "read", "tenant", "allow"),
    ("integration", "organization", "create", "tenant", "allow"),
    ("integration", "organization", "update", "tenant", "allow"),
    ("integration", "contact", "read", "tenant", "allow"),
    ("integration", "contact", "create", "tenant", "allow"),
    ("integration", "contact", "update", "tenant", "allow"),
    ("integration", "opportunity", "read", "tenant", "allow"),
    ("integration", "opportunity", "create", "tenant", "allow"),
    ("integration", "opportunity", "update", "tenant", "allow"),
    ("integration", "interaction", "read", "tenant", "allow"),
    ("integration", "interaction", "create", "tenant", "allow"),
    ("integration", "interaction", "update", "tenant", "allow"),
    ("integration", "task", "read", "tenant", "allow"),
    ("integration", "task", "create", "tenant", "allow"),
    ("integration", "task", "update", "tenant", "allow"),
    ("integration", "relationship", "read", "tenant", "allow"),
    ("integration", "relationship", "create", "tenant", "allow"),
    ("integration", "relationship", "update", "tenant", "allow"),
    ("integration", "user", "read", "tenant", "allow"),
    ("integration", "team", "read", "tenant", "allow"),
    ("integration", "pipeline", "read", "tenant", "allow"),
    ("integration", "stage", "read", "tenant", "allow"),
    ("integration", "relationship_kind", "read", "tenant", "allow"),
    ("integration", "opportunity_stage_change", "read", "tenant", "allow"),
]
DEFAULT_INHERITANCE = [("service_manager", "service_agent")]
POLICY_RULES = sa.table("policy_rules", *(sa.column(name) for name in (
    "tenant_id", "ptype", "subject", "object", "action", "scope", "effect")))


def _policy_rows(tenant_id: object) -> list[dict[str, object]]:
    rows = [{"tenant_id": tenant_id, "ptype": "p", "subject": role, "object": obj, "action": action, "scope": scope,
             "effect": effect} for role, obj, action, scope, effect in DEFAULT_RULES]
    rows += [{"tenant_id": tenant_id, "ptype": "g", "subject": child, "object": parent, "action": "", "scope": "",
              "effect": ""} for child, parent in DEFAULT_INHERITANCE]
    return rows


def _create_app_role() -> list[str]:
    return [
        """DO $$ BEGIN CREATE ROLE crm_app NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$""",
        "GRANT USAGE ON SCHEMA public TO crm_app",
        # Any role that can log in as the database owner may act as the app role.
        "DO $$ BEGIN EXECUTE format('GRANT crm_app TO %I', current_user); END $$",
    ]


def _isolate(table: str, column: str = "tenant_id", privileges: str = "SELECT, INSERT, UPDATE, DELETE") -> list[str]:
    """Row-level security on `table` for the app role, as this revision wrote it."""
    tenant = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
    return [
        f"GRANT {privileges} ON {table} TO crm_app",
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"CREATE POLICY tenant_isolation ON {table} USING ({column} = {tenant}) WITH CHECK ({column} = {tenant})",
    ]


def upgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.create_table('audit_heads',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('tenant_id')
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Uuid(), nullable=True),
    sa.Column('actor_api_key_id', sa.Uuid(), nullable=True),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('record_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('record_id', sa.Uuid(), nullable=True),
    sa.Column('changes', postgresql.JSONB(astext_type=sa.Text()), nullable=False),
    sa.Column('request_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('client_address', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('prev_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'seq')
    )
    op.create_index('ix_audit_log_actor', 'audit_log', ['actor_user_id'], unique=False)
    op.create_index('ix_audit_log_record', 'audit_log', ['record_id'], unique=False)
    op.create_index('ix_audit_log_tenant_action', 'audit_log', ['tenant_id', 'action'], unique=False)
    op.create_index('ix_audit_log_tenant_occurred', 'audit_log', ['tenant_id', 'occurred_at', 'id'], unique=False)
    op.create_table('policy_rules',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ptype', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('object', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('action', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('effect', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint("effect IN ('allow', 'deny', '')", name='ck_policy_rules_effect'),
    sa.CheckConstraint("ptype IN ('p', 'g')", name='ck_policy_rules_ptype'),
    sa.CheckConstraint("scope IN ('own', 'team', 'tenant', '')", name='ck_policy_rules_scope'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'ptype', 'subject', 'object', 'action', 'scope', 'effect')
    )
    op.create_index(op.f('ix_policy_rules_created_by_id'), 'policy_rules', ['created_by_id'], unique=False)
    op.create_index(op.f('ix_policy_rules_tenant_id'), 'policy_rules', ['tenant_id'], unique=False)
    op.add_column('tenants', sa.Column('policy_version', sa.Integer(), server_default='1', nullable=False))
    # ### end Alembic commands ###

    # Existing tenants get the default roles new tenants are created with.
    conn = op.get_bind()
    for (tenant_id,) in conn.execute(sa.text("SELECT id FROM tenants")).all():
        conn.execute(sa.insert(POLICY_RULES), _policy_rows(tenant_id))

    for statement in _create_app_role():
        op.execute(statement)
    op.execute("GRANT SELECT ON tenants TO crm_app")
    for statement in _isolate("tenants", "id"):
        op.execute(statement)
    for table in TENANT_TABLES:
        for statement in _isolate(table):
            op.execute(statement)
    for statement in _isolate("audit_log", privileges="SELECT, INSERT"):
        op.execute(statement)
    for statement in _isolate("audit_heads"):
        op.execute(statement)


def downgrade() -> None:
    for table in (*TENANT_TABLES, "tenants", "audit_log", "audit_heads"):
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_column('tenants', 'policy_version')
    op.drop_index(op.f('ix_policy_rules_tenant_id'), table_name='policy_rules')
    op.drop_index(op.f('ix_policy_rules_created_by_id'), table_name='policy_rules')
    op.drop_table('policy_rules')
    op.drop_index('ix_audit_log_tenant_occurred', table_name='audit_log')
    op.drop_index('ix_audit_log_tenant_action', table_name='audit_log')
    op.drop_index('ix_audit_log_record', table_name='audit_log')
    op.drop_index('ix_audit_log_actor', table_name='audit_log')
    op.drop_table('audit_log')
    op.drop_table('audit_heads')
    # ### end Alembic commands ###
