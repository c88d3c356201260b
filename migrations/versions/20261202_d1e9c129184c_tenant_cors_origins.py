"""tenant cors origins

Revision ID: d1e9c129184c
Revises: 7c1e5a9d3b20
Create Date: 2026-12-02 03:50:00.000000

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = 'd1e9c129184c'
down_revision: str | Sequence[str] | None = '7c1e5a9d3b20'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('tenants', sa.Column('cors_origins', postgresql.ARRAY(sa.Text()), server_default='{}',
                                       nullable=False))
    # Admins change their tenant's list through the API (row-level security keeps
    # them to their own row); nothing else of the row becomes writable.
    op.execute("GRANT UPDATE (cors_origins, updated_at) ON tenants TO crm_app")


def downgrade() -> None:
    op.execute("REVOKE UPDATE (cors_origins, updated_at) ON tenants FROM crm_app")
    op.drop_column('tenants', 'cors_origins')
