"""Imports every entity declaration so the registry is complete."""

from crm_graph.accounts import queries as accounts  # noqa: F401
from crm_graph.audit import queries as audit  # noqa: F401
from crm_graph.authz import queries as authz  # noqa: F401
from crm_graph.contacts import queries as contacts  # noqa: F401
from crm_graph.identity import api_keys  # noqa: F401  (the ApiKey entity)
from crm_graph.identity import queries as identity  # noqa: F401
from crm_graph.interactions import queries as interactions  # noqa: F401
from crm_graph.notifications import queries as notifications  # noqa: F401
from crm_graph.opportunities import queries as opportunities  # noqa: F401
from crm_graph.relationships import queries as relationships  # noqa: F401
from crm_graph.webhooks import queries as webhooks  # noqa: F401
