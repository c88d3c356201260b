"""The contacts domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from crm_graph.domains.contacts import events, models, policies, read
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="contacts",
    description="Contacts: people, usually working at an organization; merge.",
    tables=(models,),
    entities=(read.CONTACT,),
    root_lists={"contacts": "Contact"},
    api=("crm_graph.domains.contacts.api",),
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
)
