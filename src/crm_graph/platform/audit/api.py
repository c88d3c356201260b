"""AuditEntry.changes shows only the fields the reader may read (field rules apply
to the audit trail as to the records themselves)."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from crm_graph.platform.events.queries import strip_hidden


def _changes(root: Any, info: Info) -> JSON:
    row = root._row
    return JSON(strip_hidden(info.context.actor, row["record_type"] or "", row["changes"]))


EXTRA_FIELDS = {
    "AuditEntry": {
        "changes": strawberry.field(
            resolver=_changes,
            description="Changed fields: {field: [before, after]}; never secrets, nor fields you may not read.",
        )
    }
}
