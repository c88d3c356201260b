"""DOMAINS: the one list of what this build serves. Everything that used to be a
central list is a loop over it: the tables Alembic sees, the read declarations, the
schema's roots, the default role rules, the worker's jobs, the event catalog, the
notification kinds and a new tenant's set-up.

Adding a domain: make its folder (`crm-graph new-domain NAME`), add one line here,
autogenerate a migration.
"""

from __future__ import annotations

from typing import Any

from crm_graph.domains.accounts import manifest as accounts
from crm_graph.domains.approvals import manifest as approvals
from crm_graph.domains.contacts import manifest as contacts
from crm_graph.domains.interactions import manifest as interactions
from crm_graph.domains.leads import manifest as leads
from crm_graph.domains.notifications import manifest as notifications
from crm_graph.domains.notifications.service import notify
from crm_graph.domains.opportunities import manifest as opportunities
from crm_graph.domains.products import manifest as products
from crm_graph.domains.quotes import manifest as quotes
from crm_graph.domains.relationships import manifest as relationships
from crm_graph.domains.tasks import manifest as tasks
from crm_graph.kernel import catalog
from crm_graph.kernel.domain import Domain, Rule
from crm_graph.kernel.notices import NOTICES
from crm_graph.platform.audit import manifest as audit
from crm_graph.platform.authz import manifest as authz
from crm_graph.platform.events import manifest as events
from crm_graph.platform.identity import manifest as identity
from crm_graph.platform.webhooks import manifest as webhooks
from crm_graph.readside import spec

DOMAINS: tuple[Domain, ...] = (
    # Platform services with a GraphQL surface of their own.
    identity.DOMAIN,
    authz.DOMAIN,
    audit.DOMAIN,
    events.DOMAIN,
    webhooks.DOMAIN,
    # The CRM's domains.
    relationships.DOMAIN,
    accounts.DOMAIN,
    contacts.DOMAIN,
    opportunities.DOMAIN,
    interactions.DOMAIN,
    tasks.DOMAIN,
    leads.DOMAIN,
    products.DOMAIN,
    approvals.DOMAIN,
    quotes.DOMAIN,
    notifications.DOMAIN,
)


def default_rules() -> list[Rule]:
    """The rules every new tenant starts with: each domain's, in DOMAINS order."""
    return [rule for domain in DOMAINS for rule in domain.rules]


def root_lists() -> dict[str, str]:
    """Root connection field name -> entity name, over every domain."""
    return {name: entity for domain in DOMAINS for name, entity in (domain.root_lists or {}).items()}


def jobs() -> list[Any]:
    return [job for domain in DOMAINS for job in domain.jobs]


def cron_jobs() -> list[Any]:
    return [job for domain in DOMAINS for job in domain.cron_jobs]


# The read declarations of every domain, in one table the read side looks names up in.
spec.install([entity for domain in DOMAINS for entity in domain.entities])
# ... and their event types, in the one catalog the unit of work, webhooks and the API read.
catalog.CATALOG.load(event_type for domain in DOMAINS for event_type in domain.events)
# ... and the kinds of notification they raise, stored by the notifications domain.
NOTICES.install((kind for domain in DOMAINS for kind in domain.notification_kinds), writer=notify)
