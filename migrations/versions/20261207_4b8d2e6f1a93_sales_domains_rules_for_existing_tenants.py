"""existing tenants' built-in roles get the leads, catalog, quotes and approvals rules

Revision ID: 4b8d2e6f1a93
Revises: 9c4e1f7a2b63
Create Date: 2026-12-07 14:45:00.000000

A new tenant's built-in roles get every domain's default rules when the tenant is made;
the tenants that exist already get here what the leads, products, quotes and approvals
domains grant by default, as those rules stand at this revision (written out below, so
the revision does the same thing whatever the code says later). A rule already there
is left alone; a built-in role an admin deleted gets nothing.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "4b8d2e6f1a93"
down_revision: str | Sequence[str] | None = "9c4e1f7a2b63"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (role, object, action, scope, effect)
RULES: list[tuple[str, str, str, str, str]] = [
    ("analyst", "approval_request", "read", "tenant", "allow"),
    ("analyst", "lead", "read", "tenant", "allow"),
    ("analyst", "lead_assignment_rule", "read", "tenant", "allow"),
    ("analyst", "lead_form", "read", "tenant", "allow"),
    ("analyst", "lead_scoring_rule", "read", "tenant", "allow"),
    ("analyst", "price_book", "read", "tenant", "allow"),
    ("analyst", "price_book_entry", "read", "tenant", "allow"),
    ("analyst", "product", "read", "tenant", "allow"),
    ("analyst", "quote", "read", "tenant", "allow"),
    ("analyst", "quote_line", "read", "tenant", "allow"),
    ("integration", "approval_request", "create", "tenant", "allow"),
    ("integration", "approval_request", "read", "tenant", "allow"),
    ("integration", "approval_request", "update", "tenant", "allow"),
    ("integration", "lead", "create", "tenant", "allow"),
    ("integration", "lead", "read", "tenant", "allow"),
    ("integration", "lead", "update", "tenant", "allow"),
    ("integration", "price_book", "create", "tenant", "allow"),
    ("integration", "price_book", "read", "tenant", "allow"),
    ("integration", "price_book", "update", "tenant", "allow"),
    ("integration", "price_book_entry", "create", "tenant", "allow"),
    ("integration", "price_book_entry", "read", "tenant", "allow"),
    ("integration", "price_book_entry", "update", "tenant", "allow"),
    ("integration", "product", "create", "tenant", "allow"),
    ("integration", "product", "read", "tenant", "allow"),
    ("integration", "product", "update", "tenant", "allow"),
    ("integration", "quote", "create", "tenant", "allow"),
    ("integration", "quote", "read", "tenant", "allow"),
    ("integration", "quote", "update", "tenant", "allow"),
    ("integration", "quote_line", "create", "tenant", "allow"),
    ("integration", "quote_line", "read", "tenant", "allow"),
    ("integration", "quote_line", "update", "tenant", "allow"),
    ("marketing_manager", "lead", "create", "tenant", "allow"),
    ("marketing_manager", "lead", "read", "tenant", "allow"),
    ("marketing_manager", "lead", "update", "tenant", "allow"),
    ("marketing_manager", "lead_assignment_rule", "read", "tenant", "allow"),
    ("marketing_manager", "lead_form", "read", "tenant", "allow"),
    ("marketing_manager", "lead_scoring_rule", "archive", "tenant", "allow"),
    ("marketing_manager", "lead_scoring_rule", "create", "tenant", "allow"),
    ("marketing_manager", "lead_scoring_rule", "read", "tenant", "allow"),
    ("marketing_manager", "lead_scoring_rule", "update", "tenant", "allow"),
    ("marketing_manager", "price_book", "read", "tenant", "allow"),
    ("marketing_manager", "price_book_entry", "read", "tenant", "allow"),
    ("marketing_manager", "product", "read", "tenant", "allow"),
    ("sales_manager", "approval_request", "create", "team", "allow"),
    ("sales_manager", "approval_request", "read", "team", "allow"),
    ("sales_manager", "approval_request", "update", "team", "allow"),
    ("sales_manager", "lead", "archive", "team", "allow"),
    ("sales_manager", "lead", "create", "team", "allow"),
    ("sales_manager", "lead", "read", "team", "allow"),
    ("sales_manager", "lead", "update", "team", "allow"),
    ("sales_manager", "lead_assignment_rule", "archive", "tenant", "allow"),
    ("sales_manager", "lead_assignment_rule", "create", "tenant", "allow"),
    ("sales_manager", "lead_assignment_rule", "read", "tenant", "allow"),
    ("sales_manager", "lead_assignment_rule", "update", "tenant", "allow"),
    ("sales_manager", "lead_form", "read", "tenant", "allow"),
    ("sales_manager", "lead_scoring_rule", "archive", "tenant", "allow"),
    ("sales_manager", "lead_scoring_rule", "create", "tenant", "allow"),
    ("sales_manager", "lead_scoring_rule", "read", "tenant", "allow"),
    ("sales_manager", "lead_scoring_rule", "update", "tenant", "allow"),
    ("sales_manager", "price_book", "archive", "tenant", "allow"),
    ("sales_manager", "price_book", "create", "tenant", "allow"),
    ("sales_manager", "price_book", "read", "tenant", "allow"),
    ("sales_manager", "price_book", "update", "tenant", "allow"),
    ("sales_manager", "price_book_entry", "archive", "tenant", "allow"),
    ("sales_manager", "price_book_entry", "create", "tenant", "allow"),
    ("sales_manager", "price_book_entry", "read", "tenant", "allow"),
    ("sales_manager", "price_book_entry", "update", "tenant", "allow"),
    ("sales_manager", "product", "archive", "tenant", "allow"),
    ("sales_manager", "product", "create", "tenant", "allow"),
    ("sales_manager", "product", "read", "tenant", "allow"),
    ("sales_manager", "product", "update", "tenant", "allow"),
    ("sales_manager", "quote", "approve", "team", "allow"),
    ("sales_manager", "quote", "archive", "team", "allow"),
    ("sales_manager", "quote", "create", "team", "allow"),
    ("sales_manager", "quote", "read", "team", "allow"),
    ("sales_manager", "quote", "update", "team", "allow"),
    ("sales_manager", "quote_line", "archive", "team", "allow"),
    ("sales_manager", "quote_line", "create", "team", "allow"),
    ("sales_manager", "quote_line", "read", "team", "allow"),
    ("sales_manager", "quote_line", "update", "team", "allow"),
    ("sales_rep", "approval_request", "create", "own", "allow"),
    ("sales_rep", "approval_request", "read", "own", "allow"),
    ("sales_rep", "approval_request", "update", "own", "allow"),
    ("sales_rep", "lead", "archive", "own", "allow"),
    ("sales_rep", "lead", "create", "own", "allow"),
    ("sales_rep", "lead", "read", "own", "allow"),
    ("sales_rep", "lead", "update", "own", "allow"),
    ("sales_rep", "lead_assignment_rule", "read", "tenant", "allow"),
    ("sales_rep", "lead_scoring_rule", "read", "tenant", "allow"),
    ("sales_rep", "price_book", "read", "tenant", "allow"),
    ("sales_rep", "price_book_entry", "read", "tenant", "allow"),
    ("sales_rep", "product", "read", "tenant", "allow"),
    ("sales_rep", "quote", "archive", "own", "allow"),
    ("sales_rep", "quote", "create", "own", "allow"),
    ("sales_rep", "quote", "read", "own", "allow"),
    ("sales_rep", "quote", "update", "own", "allow"),
    ("sales_rep", "quote_line", "archive", "own", "allow"),
    ("sales_rep", "quote_line", "create", "own", "allow"),
    ("sales_rep", "quote_line", "read", "own", "allow"),
    ("sales_rep", "quote_line", "update", "own", "allow"),
    ("service_agent", "price_book", "read", "tenant", "allow"),
    ("service_agent", "price_book_entry", "read", "tenant", "allow"),
    ("service_agent", "product", "read", "tenant", "allow"),
    ("service_agent", "quote", "read", "tenant", "allow"),
    ("service_agent", "quote.discount_total", "*", "tenant", "deny"),
    ("service_agent", "quote.max_discount_percent", "*", "tenant", "deny"),
    ("service_agent", "quote_line", "read", "tenant", "allow"),
    ("service_agent", "quote_line.discount_amount", "*", "tenant", "deny"),
    ("service_agent", "quote_line.discount_percent", "*", "tenant", "deny"),
]
OBJECTS = sorted({r[1] for r in RULES})


def upgrade() -> None:
    op.get_bind().execute(
        sa.text("""
            INSERT INTO policy_rules (tenant_id, ptype, subject, object, action, scope, effect)
            SELECT r.tenant_id, 'p', x.role, x.object, x.action, x.scope, x.effect
            FROM roles r
            JOIN unnest(CAST(:roles AS text[]), CAST(:objects AS text[]), CAST(:actions AS text[]),
                        CAST(:scopes AS text[]), CAST(:effects AS text[]))
                 AS x(role, object, action, scope, effect) ON x.role = r.name
            WHERE r.built_in
            ON CONFLICT DO NOTHING
        """),
        {
            "roles": [r[0] for r in RULES],
            "objects": [r[1] for r in RULES],
            "actions": [r[2] for r in RULES],
            "scopes": [r[3] for r in RULES],
            "effects": [r[4] for r in RULES],
        },
    )


def downgrade() -> None:
    op.get_bind().execute(
        sa.text("DELETE FROM policy_rules WHERE ptype = 'p' AND object = ANY(CAST(:objects AS text[]))"),
        {"objects": OBJECTS},
    )
