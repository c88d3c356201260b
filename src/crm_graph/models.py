"""Every table of every domain in DOMAINS, in one `metadata` (Alembic, tests)."""

from sqlmodel import SQLModel

from crm_graph.domains import enabled  # noqa: F401  (imports each domain's table modules)

metadata = SQLModel.metadata
