"""SQL for the second layer of tenant isolation: PostgreSQL row-level security.

The API's connections run as APP_ROLE, which owns no table, so these policies
apply to every statement it sends: a query that forgot its tenant filter still
sees only the tenant set in `app.tenant_id` for the request (nothing when unset).
Migrations call these for every tenant table they create.
"""

from __future__ import annotations

from crm_graph.kernel.db import APP_ROLE

_CURRENT_TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"


def create_app_role() -> list[str]:
    return [
        f"""DO $$ BEGIN CREATE ROLE {APP_ROLE} NOLOGIN;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$""",
        f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}",
        # Any role that can log in as the database owner may act as the app role.
        f"DO $$ BEGIN EXECUTE format('GRANT {APP_ROLE} TO %I', current_user); END $$",
    ]


def protect(
    table: str, column: str = "tenant_id", *, append_only: bool = False, privileges: str | None = None
) -> list[str]:
    """RLS on `table`, and the app role's privileges on it (all four unless narrowed)."""
    privileges = privileges or ("SELECT, INSERT" if append_only else "SELECT, INSERT, UPDATE, DELETE")
    return [
        f"GRANT {privileges} ON {table} TO {APP_ROLE}",
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"CREATE POLICY tenant_isolation ON {table} USING ({column} = {_CURRENT_TENANT}) "
        f"WITH CHECK ({column} = {_CURRENT_TENANT})",
    ]
