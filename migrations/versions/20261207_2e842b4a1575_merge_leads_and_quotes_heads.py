"""merge leads and quotes heads

Revision ID: 2e842b4a1575
Revises: 3f6a1c8e2b57, 603181a6848a
Create Date: 2026-12-07 14:11:56.064842

"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


# revision identifiers, used by Alembic.
revision: str = '2e842b4a1575'
down_revision: str | Sequence[str] | None = ('3f6a1c8e2b57', '603181a6848a')
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
