"""Imports every entity declaration so the registry is complete."""

from crm_graph.domains.accounts import read as accounts  # noqa: F401
from crm_graph.platform.audit import queries as audit  # noqa: F401
from crm_graph.platform.authz import queries as authz  # noqa: F401
from crm_graph.domains.contacts import read as contacts  # noqa: F401
from crm_graph.platform.identity import api_keys  # noqa: F401  (the ApiKey entity)
from crm_graph.platform.identity import queries as identity  # noqa: F401
from crm_graph.domains.interactions import read as interactions  # noqa: F401
from crm_graph.domains.notifications import read as notifications  # noqa: F401
from crm_graph.domains.opportunities import read as opportunities  # noqa: F401
from crm_graph.domains.relationships import read as relationships  # noqa: F401
from crm_graph.platform.webhooks import queries as webhooks  # noqa: F401
