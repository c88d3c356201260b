"""initial schema

Revision ID: 244714d5788f
Revises: 
Create Date: 2026-11-23 04:56:57.094914

"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '244714d5788f'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Substring search (`filter: {search: ...}`) is ILIKE '%...%', served by trigram indexes.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('tenants',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('pipelines',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('stale_after_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'name')
    )
    op.create_index(op.f('ix_pipelines_tenant_id'), 'pipelines', ['tenant_id'], unique=False)
    op.create_table('relationship_kinds',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('inverse_label', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_types', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('target_types', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('symmetric', sa.Boolean(), nullable=False),
    sa.Column('built_in', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'key')
    )
    op.create_index(op.f('ix_relationship_kinds_tenant_id'), 'relationship_kinds', ['tenant_id'], unique=False)
    op.create_table('relationships',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_id', sa.Uuid(), nullable=False),
    sa.Column('target_type', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('target_id', sa.Uuid(), nullable=False),
    sa.Column('strength', sa.Float(), nullable=True),
    sa.Column('since', sa.Date(), nullable=True),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.CheckConstraint('strength IS NULL OR (strength >= 0 AND strength <= 1)', name='ck_relationships_strength'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'kind', 'source_id', 'target_id')
    )
    op.create_index('ix_relationships_source', 'relationships', ['source_id', 'kind'], unique=False)
    op.create_index('ix_relationships_target', 'relationships', ['target_id', 'kind'], unique=False)
    op.create_index('ix_relationships_tenant_created', 'relationships', ['tenant_id', 'created_at', 'id'], unique=False)
    op.create_index(op.f('ix_relationships_tenant_id'), 'relationships', ['tenant_id'], unique=False)
    op.create_index('ix_relationships_tenant_kind', 'relationships', ['tenant_id', 'kind'], unique=False)
    op.create_index('ix_relationships_tenant_updated', 'relationships', ['tenant_id', 'updated_at', 'id'], unique=False)
    op.create_table('teams',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('parent_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['teams.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'name')
    )
    op.create_index(op.f('ix_teams_parent_id'), 'teams', ['parent_id'], unique=False)
    op.create_index(op.f('ix_teams_tenant_id'), 'teams', ['tenant_id'], unique=False)
    op.create_table('stages',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('pipeline_id', sa.Uuid(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=False),
    sa.Column('is_won', sa.Boolean(), nullable=False),
    sa.Column('is_lost', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipelines.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_stages_pipeline_position', 'stages', ['pipeline_id', 'position'], unique=False)
    op.create_index(op.f('ix_stages_tenant_id'), 'stages', ['tenant_id'], unique=False)
    op.create_table('users',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('roles', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('team_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('tenant_id', 'email')
    )
    op.create_index(op.f('ix_users_team_id'), 'users', ['team_id'], unique=False)
    op.create_index(op.f('ix_users_tenant_id'), 'users', ['tenant_id'], unique=False)
    op.create_table('organizations',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kinds', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('industry', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('region', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=True),
    sa.Column('website', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('lifecycle_stage', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('attributes', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_organizations_kinds', 'organizations', ['kinds'], unique=False, postgresql_using='gin')
    op.create_index('ix_organizations_name_trgm', 'organizations', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.create_index(op.f('ix_organizations_owner_id'), 'organizations', ['owner_id'], unique=False)
    op.create_index('ix_organizations_tags', 'organizations', ['tags'], unique=False, postgresql_using='gin')
    op.create_index('ix_organizations_tenant_country', 'organizations', ['tenant_id', 'country'], unique=False)
    op.create_index('ix_organizations_tenant_created', 'organizations', ['tenant_id', 'created_at', 'id'], unique=False)
    op.create_index(op.f('ix_organizations_tenant_id'), 'organizations', ['tenant_id'], unique=False)
    op.create_index('ix_organizations_tenant_industry', 'organizations', ['tenant_id', 'industry'], unique=False)
    op.create_index('ix_organizations_tenant_lifecycle', 'organizations', ['tenant_id', 'lifecycle_stage'], unique=False)
    op.create_index('ix_organizations_tenant_name', 'organizations', ['tenant_id', sa.literal_column('lower(name)'), 'id'], unique=False)
    op.create_index('ix_organizations_tenant_region', 'organizations', ['tenant_id', 'region'], unique=False)
    op.create_index('ix_organizations_tenant_size', 'organizations', ['tenant_id', 'size'], unique=False)
    op.create_index('ix_organizations_tenant_updated', 'organizations', ['tenant_id', 'updated_at', 'id'], unique=False)
    op.create_table('tasks',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('assignee_id', sa.Uuid(), nullable=True),
    sa.Column('record_type', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('record_id', sa.Uuid(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_tasks_assignee_id'), 'tasks', ['assignee_id'], unique=False)
    op.create_index('ix_tasks_record', 'tasks', ['record_id'], unique=False)
    op.create_index('ix_tasks_tenant_created', 'tasks', ['tenant_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_tasks_tenant_due', 'tasks', ['tenant_id', 'due_at', 'id'], unique=False)
    op.create_index(op.f('ix_tasks_tenant_id'), 'tasks', ['tenant_id'], unique=False)
    op.create_index('ix_tasks_tenant_status', 'tasks', ['tenant_id', 'status'], unique=False)
    op.create_index('ix_tasks_tenant_updated', 'tasks', ['tenant_id', 'updated_at', 'id'], unique=False)
    op.create_index('ix_tasks_title_trgm', 'tasks', ['title'], unique=False, postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'})
    op.create_table('contacts',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('last_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('emails', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('phones', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('lifecycle_stage', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('tags', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('email_opt_in', sa.Boolean(), nullable=False),
    sa.Column('sms_opt_in', sa.Boolean(), nullable=False),
    sa.Column('do_not_call', sa.Boolean(), nullable=False),
    sa.Column('attributes', postgresql.JSONB(astext_type=sa.Text()), server_default='{}', nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_contacts_emails', 'contacts', ['emails'], unique=False, postgresql_using='gin')
    op.create_index('ix_contacts_first_name_trgm', 'contacts', ['first_name'], unique=False, postgresql_using='gin', postgresql_ops={'first_name': 'gin_trgm_ops'})
    op.create_index('ix_contacts_last_name_trgm', 'contacts', ['last_name'], unique=False, postgresql_using='gin', postgresql_ops={'last_name': 'gin_trgm_ops'})
    op.create_index('ix_contacts_organization_name', 'contacts', ['organization_id', sa.literal_column('lower(last_name)'), sa.literal_column('lower(first_name)'), 'id'], unique=False)
    op.create_index(op.f('ix_contacts_owner_id'), 'contacts', ['owner_id'], unique=False)
    op.create_index('ix_contacts_tags', 'contacts', ['tags'], unique=False, postgresql_using='gin')
    op.create_index('ix_contacts_tenant_created', 'contacts', ['tenant_id', 'created_at', 'id'], unique=False)
    op.create_index(op.f('ix_contacts_tenant_id'), 'contacts', ['tenant_id'], unique=False)
    op.create_index('ix_contacts_tenant_lifecycle', 'contacts', ['tenant_id', 'lifecycle_stage'], unique=False)
    op.create_index('ix_contacts_tenant_name', 'contacts', ['tenant_id', sa.literal_column('lower(last_name)'), sa.literal_column('lower(first_name)'), 'id'], unique=False)
    op.create_index('ix_contacts_tenant_updated', 'contacts', ['tenant_id', 'updated_at', 'id'], unique=False)
    op.create_table('opportunities',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('primary_contact_id', sa.Uuid(), nullable=True),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.Column('pipeline_id', sa.Uuid(), nullable=False),
    sa.Column('stage_id', sa.Uuid(), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('probability', sa.Integer(), nullable=True),
    sa.Column('expected_close_date', sa.Date(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lost_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['pipeline_id'], ['pipelines.id'], ),
    sa.ForeignKeyConstraint(['primary_contact_id'], ['contacts.id'], ),
    sa.ForeignKeyConstraint(['stage_id'], ['stages.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_opportunities_name_trgm', 'opportunities', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.create_index('ix_opportunities_organization', 'opportunities', ['organization_id', 'created_at', 'id'], unique=False)
    op.create_index(op.f('ix_opportunities_owner_id'), 'opportunities', ['owner_id'], unique=False)
    op.create_index(op.f('ix_opportunities_pipeline_id'), 'opportunities', ['pipeline_id'], unique=False)
    op.create_index(op.f('ix_opportunities_primary_contact_id'), 'opportunities', ['primary_contact_id'], unique=False)
    op.create_index(op.f('ix_opportunities_stage_id'), 'opportunities', ['stage_id'], unique=False)
    op.create_index('ix_opportunities_tenant_amount', 'opportunities', ['tenant_id', 'amount'], unique=False)
    op.create_index('ix_opportunities_tenant_close', 'opportunities', ['tenant_id', 'expected_close_date'], unique=False)
    op.create_index('ix_opportunities_tenant_created', 'opportunities', ['tenant_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_opportunities_tenant_currency', 'opportunities', ['tenant_id', 'currency'], unique=False)
    op.create_index(op.f('ix_opportunities_tenant_id'), 'opportunities', ['tenant_id'], unique=False)
    op.create_index('ix_opportunities_tenant_name', 'opportunities', ['tenant_id', sa.literal_column('lower(name)'), 'id'], unique=False)
    op.create_index('ix_opportunities_tenant_status', 'opportunities', ['tenant_id', 'status'], unique=False)
    op.create_index('ix_opportunities_tenant_updated', 'opportunities', ['tenant_id', 'updated_at', 'id'], unique=False)
    op.create_table('interactions',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('direction', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Uuid(), nullable=True),
    sa.Column('opportunity_id', sa.Uuid(), nullable=True),
    sa.Column('owner_id', sa.Uuid(), nullable=True),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], ),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_interactions_opportunity_occurred', 'interactions', ['opportunity_id', 'occurred_at', 'id'], unique=False)
    op.create_index('ix_interactions_organization_occurred', 'interactions', ['organization_id', 'occurred_at', 'id'], unique=False)
    op.create_index(op.f('ix_interactions_owner_id'), 'interactions', ['owner_id'], unique=False)
    op.create_index('ix_interactions_subject_trgm', 'interactions', ['subject'], unique=False, postgresql_using='gin', postgresql_ops={'subject': 'gin_trgm_ops'})
    op.create_index('ix_interactions_tenant_created', 'interactions', ['tenant_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_interactions_tenant_direction', 'interactions', ['tenant_id', 'direction'], unique=False)
    op.create_index(op.f('ix_interactions_tenant_id'), 'interactions', ['tenant_id'], unique=False)
    op.create_index('ix_interactions_tenant_kind', 'interactions', ['tenant_id', 'kind'], unique=False)
    op.create_index('ix_interactions_tenant_occurred', 'interactions', ['tenant_id', 'occurred_at', 'id'], unique=False)
    op.create_index('ix_interactions_tenant_updated', 'interactions', ['tenant_id', 'updated_at', 'id'], unique=False)
    op.create_table('opportunity_stage_changes',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opportunity_id', sa.Uuid(), nullable=False),
    sa.Column('from_stage_id', sa.Uuid(), nullable=True),
    sa.Column('to_stage_id', sa.Uuid(), nullable=False),
    sa.Column('changed_by_id', sa.Uuid(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['from_stage_id'], ['stages.id'], ),
    sa.ForeignKeyConstraint(['opportunity_id'], ['opportunities.id'], ),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_stage_id'], ['stages.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_opportunity_stage_changes_changed_by_id'), 'opportunity_stage_changes', ['changed_by_id'], unique=False)
    op.create_index(op.f('ix_opportunity_stage_changes_from_stage_id'), 'opportunity_stage_changes', ['from_stage_id'], unique=False)
    op.create_index(op.f('ix_opportunity_stage_changes_tenant_id'), 'opportunity_stage_changes', ['tenant_id'], unique=False)
    op.create_index(op.f('ix_opportunity_stage_changes_to_stage_id'), 'opportunity_stage_changes', ['to_stage_id'], unique=False)
    op.create_index('ix_stage_changes_opportunity', 'opportunity_stage_changes', ['opportunity_id', 'changed_at'], unique=False)
    op.create_table('interaction_participants',
    sa.Column('id', sa.Uuid(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('interaction_id', sa.Uuid(), nullable=False),
    sa.Column('contact_id', sa.Uuid(), nullable=True),
    sa.Column('user_id', sa.Uuid(), nullable=True),
    sa.CheckConstraint('(contact_id IS NULL) <> (user_id IS NULL)', name='ck_participant_one_party'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], ),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('interaction_id', 'contact_id', 'user_id')
    )
    op.create_index(op.f('ix_interaction_participants_tenant_id'), 'interaction_participants', ['tenant_id'], unique=False)
    op.create_index('ix_participants_contact', 'interaction_participants', ['contact_id', 'interaction_id'], unique=False)
    op.create_index('ix_participants_user', 'interaction_participants', ['user_id', 'interaction_id'], unique=False)
    # ### end Alembic commands ###


def downgrade() -> None:
    # ### commands auto generated by Alembic - please adjust! ###
    op.drop_index('ix_participants_user', table_name='interaction_participants')
    op.drop_index('ix_participants_contact', table_name='interaction_participants')
    op.drop_index(op.f('ix_interaction_participants_tenant_id'), table_name='interaction_participants')
    op.drop_table('interaction_participants')
    op.drop_index('ix_stage_changes_opportunity', table_name='opportunity_stage_changes')
    op.drop_index(op.f('ix_opportunity_stage_changes_to_stage_id'), table_name='opportunity_stage_changes')
    op.drop_index(op.f('ix_opportunity_stage_changes_tenant_id'), table_name='opportunity_stage_changes')
    op.drop_index(op.f('ix_opportunity_stage_changes_from_stage_id'), table_name='opportunity_stage_changes')
    op.drop_index(op.f('ix_opportunity_stage_changes_changed_by_id'), table_name='opportunity_stage_changes')
    op.drop_table('opportunity_stage_changes')
    op.drop_index('ix_interactions_tenant_updated', table_name='interactions')
    op.drop_index('ix_interactions_tenant_occurred', table_name='interactions')
    op.drop_index('ix_interactions_tenant_kind', table_name='interactions')
    op.drop_index(op.f('ix_interactions_tenant_id'), table_name='interactions')
    op.drop_index('ix_interactions_tenant_direction', table_name='interactions')
    op.drop_index('ix_interactions_tenant_created', table_name='interactions')
    op.drop_index('ix_interactions_subject_trgm', table_name='interactions', postgresql_using='gin', postgresql_ops={'subject': 'gin_trgm_ops'})
    op.drop_index(op.f('ix_interactions_owner_id'), table_name='interactions')
    op.drop_index('ix_interactions_organization_occurred', table_name='interactions')
    op.drop_index('ix_interactions_opportunity_occurred', table_name='interactions')
    op.drop_table('interactions')
    op.drop_index('ix_opportunities_tenant_updated', table_name='opportunities')
    op.drop_index('ix_opportunities_tenant_status', table_name='opportunities')
    op.drop_index('ix_opportunities_tenant_name', table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_tenant_id'), table_name='opportunities')
    op.drop_index('ix_opportunities_tenant_currency', table_name='opportunities')
    op.drop_index('ix_opportunities_tenant_created', table_name='opportunities')
    op.drop_index('ix_opportunities_tenant_close', table_name='opportunities')
    op.drop_index('ix_opportunities_tenant_amount', table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_stage_id'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_primary_contact_id'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_pipeline_id'), table_name='opportunities')
    op.drop_index(op.f('ix_opportunities_owner_id'), table_name='opportunities')
    op.drop_index('ix_opportunities_organization', table_name='opportunities')
    op.drop_index('ix_opportunities_name_trgm', table_name='opportunities', postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.drop_table('opportunities')
    op.drop_index('ix_contacts_tenant_updated', table_name='contacts')
    op.drop_index('ix_contacts_tenant_name', table_name='contacts')
    op.drop_index('ix_contacts_tenant_lifecycle', table_name='contacts')
    op.drop_index(op.f('ix_contacts_tenant_id'), table_name='contacts')
    op.drop_index('ix_contacts_tenant_created', table_name='contacts')
    op.drop_index('ix_contacts_tags', table_name='contacts', postgresql_using='gin')
    op.drop_index(op.f('ix_contacts_owner_id'), table_name='contacts')
    op.drop_index('ix_contacts_organization_name', table_name='contacts')
    op.drop_index('ix_contacts_last_name_trgm', table_name='contacts', postgresql_using='gin', postgresql_ops={'last_name': 'gin_trgm_ops'})
    op.drop_index('ix_contacts_first_name_trgm', table_name='contacts', postgresql_using='gin', postgresql_ops={'first_name': 'gin_trgm_ops'})
    op.drop_index('ix_contacts_emails', table_name='contacts', postgresql_using='gin')
    op.drop_table('contacts')
    op.drop_index('ix_tasks_title_trgm', table_name='tasks', postgresql_using='gin', postgresql_ops={'title': 'gin_trgm_ops'})
    op.drop_index('ix_tasks_tenant_updated', table_name='tasks')
    op.drop_index('ix_tasks_tenant_status', table_name='tasks')
    op.drop_index(op.f('ix_tasks_tenant_id'), table_name='tasks')
    op.drop_index('ix_tasks_tenant_due', table_name='tasks')
    op.drop_index('ix_tasks_tenant_created', table_name='tasks')
    op.drop_index('ix_tasks_record', table_name='tasks')
    op.drop_index(op.f('ix_tasks_assignee_id'), table_name='tasks')
    op.drop_table('tasks')
    op.drop_index('ix_organizations_tenant_updated', table_name='organizations')
    op.drop_index('ix_organizations_tenant_size', table_name='organizations')
    op.drop_index('ix_organizations_tenant_region', table_name='organizations')
    op.drop_index('ix_organizations_tenant_name', table_name='organizations')
    op.drop_index('ix_organizations_tenant_lifecycle', table_name='organizations')
    op.drop_index('ix_organizations_tenant_industry', table_name='organizations')
    op.drop_index(op.f('ix_organizations_tenant_id'), table_name='organizations')
    op.drop_index('ix_organizations_tenant_created', table_name='organizations')
    op.drop_index('ix_organizations_tenant_country', table_name='organizations')
    op.drop_index('ix_organizations_tags', table_name='organizations', postgresql_using='gin')
    op.drop_index(op.f('ix_organizations_owner_id'), table_name='organizations')
    op.drop_index('ix_organizations_name_trgm', table_name='organizations', postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.drop_index('ix_organizations_kinds', table_name='organizations', postgresql_using='gin')
    op.drop_table('organizations')
    op.drop_index(op.f('ix_users_tenant_id'), table_name='users')
    op.drop_index(op.f('ix_users_team_id'), table_name='users')
    op.drop_table('users')
    op.drop_index(op.f('ix_stages_tenant_id'), table_name='stages')
    op.drop_index('ix_stages_pipeline_position', table_name='stages')
    op.drop_table('stages')
    op.drop_index(op.f('ix_teams_tenant_id'), table_name='teams')
    op.drop_index(op.f('ix_teams_parent_id'), table_name='teams')
    op.drop_table('teams')
    op.drop_index('ix_relationships_tenant_updated', table_name='relationships')
    op.drop_index('ix_relationships_tenant_kind', table_name='relationships')
    op.drop_index(op.f('ix_relationships_tenant_id'), table_name='relationships')
    op.drop_index('ix_relationships_tenant_created', table_name='relationships')
    op.drop_index('ix_relationships_target', table_name='relationships')
    op.drop_index('ix_relationships_source', table_name='relationships')
    op.drop_table('relationships')
    op.drop_index(op.f('ix_relationship_kinds_tenant_id'), table_name='relationship_kinds')
    op.drop_table('relationship_kinds')
    op.drop_index(op.f('ix_pipelines_tenant_id'), table_name='pipelines')
    op.drop_table('pipelines')
    op.drop_table('tenants')
    # ### end Alembic commands ###
