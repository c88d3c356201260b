"""embedTokenCreate: a short-lived token for the embeddable widget (crm_graph.platform.identity.embed).

Written like tenant_settings.py (no record: the payload holds the token), with the
same shape as every payload: the result under its name and `errors` as data.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from crm_graph.api.kit.fields import root_field
from crm_graph.api.kit.mutations import UserError, to_errors
from crm_graph.kernel.errors import Forbidden, UseCaseError
from crm_graph.kernel.settings import get_settings
from crm_graph.platform.identity import embed


@strawberry.input(description="What an embed token is bound to. Ask with an API key, from your portal's backend.")
class EmbedTokenCreateInput:
    origin: str = strawberry.field(
        description="The origin of the page that will show the widget, e.g. https://portal.example.com; "
        "one of the tenant's allowed origins (tenantSettings corsOrigins)."
    )
    role: str | None = strawberry.field(
        default=None, description="The role the token acts with: the API key's own (the default); no other."
    )
    record_id: strawberry.ID | None = strawberry.field(
        default=None, description="A Contact or Organization the widget is opened on, if any."
    )
    ttl_minutes: int = strawberry.field(
        default=embed.DEFAULT_TTL_MINUTES,
        description=f"Minutes until the token expires, 1 to {embed.MAX_TTL_MINUTES}; the widget asks the page "
        "for a new one before then.",
    )


@strawberry.type(description="Result of embedTokenCreate: the token on success, else the errors.")
class EmbedTokenCreatePayload:
    token: str | None = strawberry.field(
        default=None, description="`embed_...`: give it to the widget by postMessage (its loader does), never in a URL."
    )
    expires_at: datetime | None = strawberry.field(default=None, description="When the token stops working.")
    errors: list[UserError] = strawberry.field(description="Why no token was made (empty on success).")


async def create_embed_token(
    info: Info,
    input: Annotated[EmbedTokenCreateInput, strawberry.argument(description="The origin, role, record and lifetime.")],
) -> EmbedTokenCreatePayload:
    ctx = info.context
    if ctx.embedded:
        # A token that mints tokens would outlive its own expiry and origin.
        return EmbedTokenCreatePayload(errors=to_errors(Forbidden("An embed token cannot create embed tokens.")))
    data = {"origin": input.origin, "role": input.role, "record_id": input.record_id, "ttl_minutes": input.ttl_minutes}
    try:
        made = await embed.create_token(ctx.db, ctx.settings or get_settings(), ctx.actor, data)
    except UseCaseError as exc:
        return EmbedTokenCreatePayload(errors=to_errors(exc))
    return EmbedTokenCreatePayload(token=made.token, expires_at=made.expires_at, errors=[])


FIELDS = {
    # Public as a root field: create_token itself admits only API keys, and only for
    # the key's own role, so a token grants nothing its key does not have.
    "embed_token_create": root_field(
        resolver=create_embed_token,
        public=True,
        description="A short-lived token for the embeddable widget on one origin (API keys only).",
    ),
}
