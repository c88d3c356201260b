"""The quotes domain's event types: lifecycle, the approval workflow, lines."""

from __future__ import annotations

from crm_graph.domains.quotes.models import Quote, QuoteLine
from crm_graph.kernel.catalog import EventType, lifecycle

_STATUS = ("status", "submitted_by_id", "submitted_at", "approved_at", "sent_at", "closed_at")

EVENT_TYPES: list[EventType] = [
    *lifecycle("quote", Quote.__table__),
    EventType("quote.revised", "quote", "A new revision of a quote was made (its lines copied).", ("number",)),
    EventType(
        "quote.submitted",
        "quote",
        "A quote was submitted with a discount above the threshold: it waits for approval.",
        _STATUS,
    ),
    EventType("quote.approved", "quote", "A quote was approved (by a manager, or on submit).", _STATUS),
    EventType("quote.approval_rejected", "quote", "An approver rejected a quote: it is a draft again.", _STATUS),
    EventType("quote.sent", "quote", "A quote was marked sent to the customer.", _STATUS),
    EventType("quote.accepted", "quote", "The customer accepted a quote.", _STATUS),
    EventType("quote.rejected", "quote", "The customer declined a quote.", _STATUS),
    EventType("quote.expired", "quote", "A quote passed its valid-until date unaccepted.", _STATUS),
    *lifecycle("quote_line", QuoteLine.__table__, noun="quote line", actions=("created", "updated")),
    EventType("quote_line.deleted", "quote_line", "A line was removed from a draft quote.", ("quote_id",)),
    EventType(
        "quote_settings.updated",
        "quote_settings",
        "The tenant's quoting settings changed.",
        ("discount_threshold", "document_template", "company_name", "default_valid_days"),
    ),
]
