"""notifications

Revision ID: 7c1e5a9d3b20
Revises: ed0d42f22a61
Create Date: 2026-11-23 06:30:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '7c1e5a9d3b20'
down_revision: str | Sequence[str] | None = 'ed0d42f22a61'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The built-in roles at this revision (written here: a revision never changes with the code).
DEFAULT_ROLES = ("admin", "sales_manager", "sales_rep", "marketing_manager", "service_manager", "service_agent",
                 "analyst", "integration")


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
    op.create_table('notifications',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('record_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('record_id', sa.Uuid(), nullable=True),
    sa.Column('dedupe_key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("kind IN ('task_due', 'opportunity_stale', 'webhook_disabled')", name='ck_notifications_kind'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'dedupe_key')
    )
    op.create_index(op.f('ix_notifications_tenant_id'), 'notifications', ['tenant_id'], unique=False)
    op.create_index('ix_notifications_user_created', 'notifications', ['user_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_notifications_user_unread', 'notifications', ['user_id', 'created_at'], unique=False,
                    postgresql_where=sa.text('read_at IS NULL'))
    op.create_index('ix_notifications_unsent', 'notifications', ['created_at'], unique=False,
                    postgresql_where=sa.text('emailed_at IS NULL'))

    # The worker (owner) creates and emails them; the API reads them and marks them read.
    for statement in _isolate('notifications', privileges='SELECT, UPDATE'):
        op.execute(statement)

    # Existing tenants' built-in roles get what new tenants get (authz/defaults.py):
    # everyone reads, and marks read, their own notifications.
    op.get_bind().execute(
        sa.text("""
            INSERT INTO policy_rules (tenant_id, ptype, subject, object, action, scope, effect)
            SELECT r.tenant_id, 'p', r.name, 'notification', a.action, 'own', 'allow'
            FROM roles r CROSS JOIN (VALUES ('read'), ('update')) AS a(action)
            WHERE r.built_in AND r.name = ANY(:roles)
            ON CONFLICT DO NOTHING
        """),
        {"roles": list(DEFAULT_ROLES)},
    )


def downgrade() -> None:
    op.execute("DELETE FROM policy_rules WHERE ptype = 'p' AND object = 'notification'")
    op.drop_index('ix_notifications_unsent', table_name='notifications', postgresql_where=sa.text('emailed_at IS NULL'))
    op.drop_index('ix_notifications_user_unread', table_name='notifications', postgresql_where=sa.text('read_at IS NULL'))
    op.drop_index('ix_notifications_user_created', table_name='notifications')
    op.drop_index(op.f('ix_notifications_tenant_id'), table_name='notifications')
    op.drop_table('notifications')
