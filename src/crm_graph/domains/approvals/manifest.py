"""The approvals domain, declared once (see crm_graph.kernel.domain)."""

from __future__ import annotations

from crm_graph.domains.approvals import events, models, policies, read
from crm_graph.kernel.domain import Domain

DOMAIN = Domain(
    name="approvals",
    description="Approval requests other domains raise (a quote's discount) and their decisions.",
    tables=(models,),
    entities=(read.APPROVAL_REQUEST,),
    root_lists={"approvalRequests": "ApprovalRequest"},
    rules=policies.RULES,
    events=tuple(events.EVENT_TYPES),
)
