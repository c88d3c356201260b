"""The edge kinds every tenant starts with, as data.

Provisioning copies them into `relationship_kinds` (built_in=true) so that a tenant's
graph vocabulary lives in one table, whether built in or added later.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from crm_graph.domains.relationships.models import RecordType, RelationshipKind

ORGANIZATION = RecordType.ORGANIZATION.value
CONTACT = RecordType.CONTACT.value
OPPORTUNITY = RecordType.OPPORTUNITY.value


@dataclass(frozen=True, slots=True)
class KindSpec:
    key: str
    label: str  # read from the source: "<source> <label> <target>"
    inverse_label: str  # read from the target: "<target> <inverse_label> <source>"
    source_types: tuple[str, ...]
    target_types: tuple[str, ...]
    # Symmetric edges are stored once, in either direction, and mean the same both ways.
    symmetric: bool = False


BUILT_IN_KINDS: tuple[KindSpec, ...] = (
    # organization <-> organization
    KindSpec("partner_of", "Partner of", "Partner of", (ORGANIZATION,), (ORGANIZATION,), symmetric=True),
    KindSpec("competitor_of", "Competitor of", "Competitor of", (ORGANIZATION,), (ORGANIZATION,), symmetric=True),
    KindSpec("subsidiary_of", "Subsidiary of", "Parent of", (ORGANIZATION,), (ORGANIZATION,)),
    KindSpec("customer_of", "Customer of", "Vendor to", (ORGANIZATION,), (ORGANIZATION,)),
    KindSpec("supplier_of", "Supplier of", "Supplied by", (ORGANIZATION,), (ORGANIZATION,)),
    # contact -> organization
    KindSpec("works_at", "Works at", "Employs", (CONTACT,), (ORGANIZATION,)),
    KindSpec("advisor_of", "Advisor of", "Advised by", (CONTACT,), (ORGANIZATION,)),
    KindSpec("former_employee_of", "Former employee of", "Former employer of", (CONTACT,), (ORGANIZATION,)),
    # contact <-> contact
    KindSpec("reports_to", "Reports to", "Manages", (CONTACT,), (CONTACT,)),
    KindSpec("knows", "Knows", "Knows", (CONTACT,), (CONTACT,), symmetric=True),
    KindSpec("referred_by", "Referred by", "Referred", (CONTACT,), (CONTACT,)),
    # Source = the competing organization, target = the deal: edges point from the actor
    # to what it acts on (as works_at does), so "who competes on this deal" reads the
    # opportunity's incoming edges and "which deals does X contest" X's outgoing ones.
    KindSpec("competing_on", "Competing on", "Contested by", (ORGANIZATION,), (OPPORTUNITY,)),
)

BUILT_IN_KINDS_BY_KEY: dict[str, KindSpec] = {kind.key: kind for kind in BUILT_IN_KINDS}


async def create_built_in_kinds(conn: Any, tenant_id: uuid.UUID, new_id: Callable[[], uuid.UUID]) -> None:
    """The built-in edge kinds of a new tenant: one statement."""
    await conn.execute(
        sa.insert(RelationshipKind.__table__),
        [
            {
                "id": new_id(),
                "tenant_id": tenant_id,
                "key": kind.key,
                "label": kind.label,
                "inverse_label": kind.inverse_label,
                "source_types": list(kind.source_types),
                "target_types": list(kind.target_types),
                "symmetric": kind.symmetric,
                "built_in": True,
            }
            for kind in BUILT_IN_KINDS
        ],
    )
