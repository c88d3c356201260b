"""Quote mutations, the quoting settings, and the printable document."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Optional

import strawberry
from strawberry.types import Info

from crm_graph.api.kit.errors import bad_input
from crm_graph.api.kit.fields import Policy, root_field
from crm_graph.api.kit.mutations import UserError, archive_mutations, input_data, mutation, to_errors
from crm_graph.domains.quotes import document, service, settings
from crm_graph.kernel.errors import UseCaseError
from crm_graph.readside.ids import from_global_id

UNSET = strawberry.UNSET
UPDATE = Policy("quote", "update")
APPROVE = Policy("quote", "approve")


@strawberry.input(description="One line of a new quote.")
class QuoteLineInput:
    product_id: strawberry.ID = strawberry.field(description="Global ID of an active Product.")
    quantity: Decimal = strawberry.field(description="How many units, more than 0 (up to 4 decimal places).")
    unit_price: Optional[Decimal] = strawberry.field(
        default=None, description="Overrides the price book's list price; omit to use the list price."
    )
    discount_percent: Decimal = strawberry.field(default=Decimal(0), description="Discount in percent, 0 to 100.")
    tax_rate: Decimal = strawberry.field(default=Decimal(0), description="Tax rate in percent, 0 to 100.")
    description: Optional[str] = strawberry.field(default=None, description="Defaults to the product's name.")


@strawberry.input(description="A new draft quote on an opportunity, priced from a price book.")
class QuoteCreateInput:
    opportunity_id: strawberry.ID = strawberry.field(description="Global ID of the Opportunity the quote is for.")
    name: Optional[str] = strawberry.field(default=None, description="Defaults to the opportunity's name.")
    price_book_id: Optional[strawberry.ID] = strawberry.field(
        default=None, description="Defaults to the tenant's default price book; its currency is the quote's."
    )
    valid_until: Optional[date] = strawberry.field(
        default=None, description="Defaults to today plus the tenant's default validity (30 days)."
    )
    notes: Optional[str] = None
    lines: list[QuoteLineInput] = strawberry.field(default_factory=list, description="Its lines, in order.")


@strawberry.input(description="Only the fields you give change; only a draft can be edited.")
class QuoteUpdateInput:
    id: strawberry.ID
    expected_version: Optional[int] = None
    name: Optional[str] = UNSET
    valid_until: Optional[date] = UNSET
    notes: Optional[str] = UNSET


@strawberry.input(description="A line added at the end of a draft quote.")
class QuoteLineAddInput:
    quote_id: strawberry.ID = strawberry.field(description="Global ID of the draft Quote.")
    product_id: strawberry.ID = strawberry.field(description="Global ID of an active Product.")
    quantity: Decimal = strawberry.field(description="How many units, more than 0.")
    unit_price: Optional[Decimal] = strawberry.field(
        default=None, description="Overrides the price book's list price; omit to use the list price."
    )
    discount_percent: Decimal = strawberry.field(default=Decimal(0), description="Discount in percent, 0 to 100.")
    tax_rate: Decimal = strawberry.field(default=Decimal(0), description="Tax rate in percent, 0 to 100.")
    description: Optional[str] = strawberry.field(default=None, description="Defaults to the product's name.")


@strawberry.input(
    description="Only the fields you give change; a null unitPrice goes back to the list price. Draft quotes only."
)
class QuoteLineUpdateInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the QuoteLine.")
    expected_version: Optional[int] = strawberry.field(
        default=None, description="The line's version you last read; refused with Conflict if it moved on."
    )
    product_id: Optional[strawberry.ID] = strawberry.field(
        default=UNSET, description="Another product: its list price is looked up again."
    )
    quantity: Optional[Decimal] = strawberry.field(default=UNSET, description="How many units, more than 0.")
    unit_price: Optional[Decimal] = strawberry.field(
        default=UNSET, description="A price by hand; null: the price book's list price."
    )
    discount_percent: Optional[Decimal] = strawberry.field(default=UNSET, description="Discount in percent.")
    tax_rate: Optional[Decimal] = strawberry.field(default=UNSET, description="Tax rate in percent.")
    description: Optional[str] = strawberry.field(default=UNSET, description="Text printed for the line.")


@strawberry.input(description="A line to remove from a draft quote.")
class QuoteLineRemoveInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the QuoteLine.")
    expected_version: Optional[int] = strawberry.field(
        default=None, description="The line's version you last read; refused with Conflict if it moved on."
    )


@strawberry.input(description="A quote to move along its workflow.")
class QuoteActionInput:
    id: strawberry.ID
    expected_version: Optional[int] = None


@strawberry.input(description="An approver's decision on a quote in review.")
class QuoteDecisionInput:
    id: strawberry.ID
    expected_version: Optional[int] = None
    comment: Optional[str] = strawberry.field(
        default=None, description="The approver's comment; required when rejecting."
    )


FIELDS: dict[str, Any] = {
    "quote_create": mutation(
        "quoteCreate",
        QuoteCreateInput,
        entity="Quote",
        policy=Policy("quote", "create"),
        handler=service.create_quote,
        ids={"opportunity_id": "Opportunity", "price_book_id": "PriceBook"},
        description="Create a draft quote on an opportunity, with its lines priced from the price book.",
    ),
    "quote_update": mutation(
        "quoteUpdate",
        QuoteUpdateInput,
        entity="Quote",
        policy=UPDATE,
        handler=service.update_quote,
        description="Change a draft quote's name, validity or notes.",
    ),
    "quote_submit": mutation(
        "quoteSubmit",
        QuoteActionInput,
        entity="Quote",
        policy=UPDATE,
        handler=service.submit,
        description="Submit a draft: approved at once when its discounts are within the tenant's threshold, "
        "else in review with an approval request for a sales manager.",
    ),
    "quote_approve": mutation(
        "quoteApprove",
        QuoteDecisionInput,
        entity="Quote",
        policy=APPROVE,
        handler=service.approve,
        description="Approve a quote in review (sales managers and admins; not your own request).",
    ),
    "quote_reject": mutation(
        "quoteReject",
        QuoteDecisionInput,
        entity="Quote",
        policy=APPROVE,
        handler=service.reject,
        description="Reject a quote in review with a comment: it goes back to draft.",
    ),
    "quote_send": mutation(
        "quoteSend",
        QuoteActionInput,
        entity="Quote",
        policy=UPDATE,
        handler=service.send,
        description="Mark an approved quote sent to the customer; refused (APPROVAL_REQUIRED) before approval.",
    ),
    "quote_accept": mutation(
        "quoteAccept",
        QuoteActionInput,
        entity="Quote",
        policy=UPDATE,
        handler=service.accept,
        description="Record that the customer accepted a sent quote: it becomes the opportunity's primary quote "
        "and the opportunity's amount becomes its grand total.",
    ),
    "quote_decline": mutation(
        "quoteDecline",
        QuoteActionInput,
        entity="Quote",
        policy=UPDATE,
        handler=service.decline,
        description="Record that the customer declined a sent quote (status rejected).",
    ),
    "quote_revise": mutation(
        "quoteRevise",
        QuoteActionInput,
        entity="Quote",
        policy=Policy("quote", "create"),
        handler=service.revise,
        description="Make the next revision of a quote: a new draft with the same number and its lines copied; "
        "the old version stays readable as previousRevision.",
    ),
    **archive_mutations("Quote", (service.archive_quote, service.restore_quote)),
    "quote_line_add": mutation(
        "quoteLineAdd",
        QuoteLineAddInput,
        entity="Quote",
        policy=UPDATE,
        handler=service.add_line,
        ids={"quote_id": "Quote", "product_id": "Product"},
        description="Add a line to a draft quote; answers the quote with its new totals.",
    ),
    "quote_line_update": mutation(
        "quoteLineUpdate",
        QuoteLineUpdateInput,
        entity="Quote",
        policy=UPDATE,
        handler=service.update_line,
        ids={"id": "QuoteLine", "product_id": "Product"},
        description="Change a line of a draft quote; answers the quote with its new totals.",
    ),
    "quote_line_remove": mutation(
        "quoteLineRemove",
        QuoteLineRemoveInput,
        entity="Quote",
        policy=UPDATE,
        handler=service.remove_line,
        ids={"id": "QuoteLine"},
        description="Remove a line from a draft quote; answers the quote with its new totals.",
    ),
}


# --- settings (one row per tenant: not a node, so the payload is written here) -------


@strawberry.type(description="Your tenant's quoting settings.")
class QuoteSettings:
    discount_threshold: Decimal = strawberry.field(
        description="Percent: a quote with a line discount (or an overall discount) above it needs a sales "
        "manager's approval before it is sent."
    )
    document_template: Optional[str] = strawberry.field(
        description="Jinja2 template (sandboxed, autoescaped) of the printable quote; null: the built-in one. "
        "It sees quote, lines, totals, customer and seller."
    )
    company_name: Optional[str] = strawberry.field(description="The seller's name printed on quotes.")
    default_valid_days: int = strawberry.field(description="Days a new quote is valid for unless given.")
    version: int = strawberry.field(description="Increases with every change; 0 before the first.")


@strawberry.input(description="Only the fields you give change.")
class QuoteSettingsUpdateInput:
    discount_threshold: Optional[Decimal] = strawberry.field(
        default=UNSET, description="Percent from 0 to 100 above which a discount needs approval."
    )
    document_template: Optional[str] = strawberry.field(
        default=UNSET, description="A Jinja2 template; null or blank for the built-in one."
    )
    company_name: Optional[str] = strawberry.field(default=UNSET, description="The seller's name on quotes.")
    default_valid_days: Optional[int] = strawberry.field(default=UNSET, description="From 1 to 3650.")


@strawberry.type(description="Result of quoteSettingsUpdate: the settings on success, else the errors.")
class QuoteSettingsUpdatePayload:
    settings: Optional[QuoteSettings] = strawberry.field(
        default=None, description="The settings after the change; null on errors."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was changed; empty on success.")


def _settings(row: Mapping[str, Any]) -> QuoteSettings:
    return QuoteSettings(
        discount_threshold=row["discount_threshold"],
        document_template=row["document_template"],
        company_name=row["company_name"],
        default_valid_days=row["default_valid_days"],
        version=row["version"],
    )


async def resolve_settings(info: Info) -> QuoteSettings:
    ctx = info.context
    async with ctx.db.unit_of_work(ctx.actor) as uow:
        return _settings(await settings.read(uow, uow.tenant_id))


async def update_settings(
    info: Info, input: Annotated[QuoteSettingsUpdateInput, strawberry.argument(description="The settings to change.")]
) -> QuoteSettingsUpdatePayload:
    ctx = info.context
    try:
        data = input_data(input, {})
        async with ctx.db.unit_of_work(ctx.actor) as uow:
            row = await settings.update(uow, ctx.actor, data)
    except UseCaseError as exc:
        return QuoteSettingsUpdatePayload(settings=None, errors=to_errors(exc))
    return QuoteSettingsUpdatePayload(settings=_settings(row), errors=[])


# --- the printable document ------------------------------------------------------------


@strawberry.type(
    description="A quote ready to print: its HTML (from the tenant's template) and its PDF. The PDF comes "
    "base64-encoded in the response, so it needs no second request, URL or token."
)
class QuoteDocument:
    html: str = strawberry.field(description="The quote as a complete HTML page, from the tenant's template.")
    pdf_base64: str = strawberry.field(description="The quote as a PDF file (A4), base64-encoded.")
    filename: str = strawberry.field(description="A file name for the PDF, e.g. Q-00042-rev-2.pdf.")
    content_type: str = strawberry.field(description="The PDF's media type: application/pdf.")
    template_error: Optional[str] = strawberry.field(
        description="Why the tenant's template failed on this quote (the built-in template was used); null if it "
        "did not."
    )


async def resolve_document(
    info: Info, id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the Quote.")]
) -> Optional[QuoteDocument]:
    ctx = info.context
    found = from_global_id(id)
    if found is None or found[0].name != "Quote":
        raise bad_input("Not the ID of a Quote.", "id")
    try:
        async with ctx.db.unit_of_work(ctx.actor) as uow:
            made = await document.render(uow, found[1])
    except UseCaseError:
        return None  # not visible to you: as if it did not exist
    return QuoteDocument(
        html=made.html,
        pdf_base64=base64.b64encode(made.pdf).decode("ascii"),
        filename=made.filename,
        content_type="application/pdf",
        template_error=made.template_error,
    )


FIELDS["quote_settings_update"] = root_field(
    resolver=update_settings,
    policy=Policy(settings.RECORD_TYPE, "update"),
    description="Change your tenant's quoting settings: the approval threshold, the document template (admins).",
)

QUERY_FIELDS = {
    "quote_settings": root_field(
        resolver=resolve_settings,
        policy=Policy("quote", "read"),
        description="Your tenant's quoting settings (the discount approval threshold, the document template).",
    ),
    "quote_document": root_field(
        resolver=resolve_document,
        policy=Policy("quote", "read"),
        description="A quote as printable HTML and as a PDF; null if you cannot see the quote.",
    ),
}
