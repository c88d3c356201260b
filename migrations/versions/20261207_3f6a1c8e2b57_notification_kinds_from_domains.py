"""notification kinds from domains

Revision ID: 3f6a1c8e2b57
Revises: d0b8d5696b2a
Create Date: 2026-12-07 13:20:00.000000

The kinds of notification are declared by the domains that raise them (each manifest's
`notification_kinds`) and checked when one is written (crm_graph.kernel.notices), so a
new domain adds a kind without a migration; the table's CHECK listing them goes.
Downgrading puts it back with the kinds of this revision, written out here.
"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '3f6a1c8e2b57'
down_revision: str | Sequence[str] | None = 'd0b8d5696b2a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint('ck_notifications_kind', 'notifications', type_='check')


def downgrade() -> None:
    op.create_check_constraint('ck_notifications_kind', 'notifications',
                               "kind IN ('task_due', 'opportunity_stale', 'webhook_disabled')")
