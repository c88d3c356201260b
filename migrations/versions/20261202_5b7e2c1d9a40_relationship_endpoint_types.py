"""relationship endpoint types

Revision ID: 5b7e2c1d9a40
Revises: d1e9c129184c
Create Date: 2026-12-02 09:50:00.000000

An edge joins organizations, contacts and opportunities only (the API's RecordType);
the database now says so too, and the read side relies on it (a polymorphic `source`
or `target` is looked up in these three tables only).
"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '5b7e2c1d9a40'
down_revision: str | Sequence[str] | None = 'd1e9c129184c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TYPES = "'organization', 'contact', 'opportunity'"


def upgrade() -> None:
    op.create_check_constraint('ck_relationships_endpoint_types', 'relationships',
                               f"source_type IN ({TYPES}) AND target_type IN ({TYPES})")


def downgrade() -> None:
    op.drop_constraint('ck_relationships_endpoint_types', 'relationships', type_='check')
