"""Imports every table module so that `metadata` knows all tables (Alembic, tests)."""

from sqlmodel import SQLModel

from crm_graph.accounts import models as accounts  # noqa: F401
from crm_graph.audit import models as audit  # noqa: F401
from crm_graph.authz import models as authz  # noqa: F401
from crm_graph.contacts import models as contacts  # noqa: F401
from crm_graph.events import models as events  # noqa: F401
from crm_graph.identity import api_key_models as api_keys  # noqa: F401
from crm_graph.identity import models as identity  # noqa: F401
from crm_graph.interactions import models as interactions  # noqa: F401
from crm_graph.notifications import models as notifications  # noqa: F401
from crm_graph.opportunities import models as opportunities  # noqa: F401
from crm_graph.relationships import models as relationships  # noqa: F401
from crm_graph.webhooks import models as webhooks  # noqa: F401

metadata = SQLModel.metadata
