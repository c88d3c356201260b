"""The event catalog: every domain's event types, composed here and nowhere else.

A domain contributes by listing its `EVENT_TYPES` (see crm_graph.platform.events.catalog) and
adding it below; nothing registers itself at import time.
"""

from __future__ import annotations

from crm_graph.domains.accounts import events as accounts
from crm_graph.platform.authz import events as authz
from crm_graph.domains.contacts import events as contacts
from crm_graph.platform.events.catalog import Catalog
from crm_graph.platform.identity import events as identity
from crm_graph.domains.interactions import events as interactions
from crm_graph.domains.opportunities import events as opportunities
from crm_graph.domains.relationships import events as relationships
from crm_graph.platform.webhooks import events as webhooks

DOMAIN_EVENT_TYPES = (accounts, contacts, interactions, opportunities, relationships, identity, authz, webhooks)

CATALOG = Catalog(t for domain in DOMAIN_EVENT_TYPES for t in domain.EVENT_TYPES)
