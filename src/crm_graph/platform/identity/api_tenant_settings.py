"""The tenant's settings (admins): `tenantSettings` and `tenantSettingsUpdate`.

Settings are one row per tenant, not a record with a global ID, so the payload is
written here rather than by mutations.mutation(); it has the same shape (the
settings under their name, `errors` as data).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from crm_graph.api.kit.fields import Policy, root_field
from crm_graph.api.kit.mutations import UserError, input_data, to_errors
from crm_graph.kernel.errors import UseCaseError
from crm_graph.platform.identity import tenant_settings

ORIGINS = (
    "Browser origins (scheme://host[:port]) whose pages may call the API for this tenant, "
    "beside those the server allows for every tenant. Requests from other origins are "
    "refused (HTTP 403 FORBIDDEN_ORIGIN, WebSocket close 4403)."
)


@strawberry.type(description="Settings of your tenant.")
class TenantSettings:
    cors_origins: list[str] = strawberry.field(description=ORIGINS)


@strawberry.input(description="Only the fields you give change.")
class TenantSettingsUpdateInput:
    cors_origins: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description='The whole list from now on, e.g. ["https://portal.example.com"]; [] removes them all.',
    )


@strawberry.type(description="Result of tenantSettingsUpdate: the settings on success, else the errors.")
class TenantSettingsUpdatePayload:
    settings: TenantSettings | None = strawberry.field(
        default=None, description="The settings after the change; null on errors."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was changed; empty on success.")


def _settings(row: Mapping[str, Any]) -> TenantSettings:
    return TenantSettings(cors_origins=list(row["cors_origins"]))


async def resolve_settings(info: Info) -> TenantSettings:
    ctx = info.context
    return _settings(await tenant_settings.read_settings(ctx.db, ctx.actor))


async def update_settings(
    info: Info, input: Annotated[TenantSettingsUpdateInput, strawberry.argument(description="The settings to change.")]
) -> TenantSettingsUpdatePayload:
    ctx = info.context
    try:
        data = input_data(input, {})
        async with ctx.db.unit_of_work(ctx.actor) as uow:
            row = await tenant_settings.update_settings(uow, ctx.actor, data)
    except UseCaseError as exc:
        return TenantSettingsUpdatePayload(settings=None, errors=to_errors(exc))
    return TenantSettingsUpdatePayload(settings=_settings(row), errors=[])


FIELDS = {
    "tenant_settings_update": root_field(
        resolver=update_settings,
        policy=Policy(tenant_settings.RECORD_TYPE, "update"),
        description="Change your tenant's settings, such as the origins allowed to call the API.",
    ),
}

QUERY_FIELDS = {
    "tenant_settings": root_field(
        resolver=resolve_settings,
        policy=Policy(tenant_settings.RECORD_TYPE, "read"),
        description="Your tenant's settings.",
    ),
}
