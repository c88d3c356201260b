"""The audit log as a composed part of the schema."""

from __future__ import annotations

from crm_graph.kernel.domain import Domain
from crm_graph.platform.audit import models, queries

DOMAIN = Domain(
    name="audit",
    description="The append-only audit log, hash-chained per tenant.",
    tables=(models,),
    entities=(queries.AUDIT_ENTRY,),
    root_lists={"audit_log": "AuditEntry"},
    type_fields="crm_graph.platform.audit.api",
)
