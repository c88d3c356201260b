"""narrow the app role's privileges

Revision ID: d8014f8490f5
Revises: 511efac42c44
Create Date: 2026-11-23 06:02:28.348359

"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


# revision identifiers, used by Alembic.
revision: str = 'd8014f8490f5'
down_revision: str | Sequence[str] | None = '511efac42c44'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The API's role needs to write these only as follows; anything more would let a
# bug (or an injected statement) rewrite history.
NARROWED = {
    "audit_heads": "SELECT, INSERT, UPDATE",
    "outbox_heads": "SELECT, INSERT, UPDATE",
    "outbox": "SELECT, INSERT",  # the relay runs as the owner
}


def upgrade() -> None:
    for table, privileges in NARROWED.items():
        op.execute(f"REVOKE ALL ON {table} FROM crm_app")
        op.execute(f"GRANT {privileges} ON {table} TO crm_app")
    op.execute("REVOKE ALL ON tenants FROM crm_app")
    op.execute("GRANT SELECT ON tenants TO crm_app")
    op.execute("GRANT UPDATE (policy_version) ON tenants TO crm_app")


def downgrade() -> None:
    for table in (*NARROWED, "tenants"):
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO crm_app")
