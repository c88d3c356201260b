"""Imports every table module so that `metadata` knows all tables (Alembic, tests)."""

from sqlmodel import SQLModel

from crm_graph.domains.accounts import models as accounts  # noqa: F401
from crm_graph.platform.audit import models as audit  # noqa: F401
from crm_graph.platform.authz import models as authz  # noqa: F401
from crm_graph.domains.contacts import models as contacts  # noqa: F401
from crm_graph.platform.events import models as events  # noqa: F401
from crm_graph.platform.identity import api_key_models as api_keys  # noqa: F401
from crm_graph.platform.identity import models as identity  # noqa: F401
from crm_graph.domains.interactions import models as interactions  # noqa: F401
from crm_graph.domains.notifications import models as notifications  # noqa: F401
from crm_graph.domains.opportunities import models as opportunities  # noqa: F401
from crm_graph.domains.relationships import models as relationships  # noqa: F401
from crm_graph.platform.webhooks import models as webhooks  # noqa: F401

metadata = SQLModel.metadata
