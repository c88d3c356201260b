"""Authentication: turn a request's `Authorization: Bearer ...` into an Identity, or refuse.

Three kinds of bearer credential, told apart without trusting them:
- `crm_<prefix>_<secret>`: an API key (crm_graph.platform.identity.api_keys);
- a JWT whose header says HS256: signed by us with `CRM_JWT_SECRET` (`crm-graph token`,
  dev login), naming a tenant UUID and a user UUID (claim names configurable);
- a JWT whose header says RS256/ES256: from the OpenID Connect issuer, when one is
  configured; it names a tenant slug and an email, which are looked up.
There is no anonymous access: everything else is Unauthenticated (HTTP 401).
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import jwt
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from crm_graph.kernel.actor import Identity
from crm_graph.kernel.settings import Settings
from crm_graph.platform.identity import api_keys, embed, oidc
from crm_graph.platform.identity.models import Tenant, User

ALGORITHM = "HS256"
DEV_METHOD = "dev"  # the `amr` value dev login puts in its tokens


class Unauthenticated(Exception):
    pass


def issue_token(
    secret: str,
    tenant_id: uuid.UUID,
    user_id: uuid.UUID,
    ttl: timedelta = timedelta(hours=1),
    *,
    tenant_claim: str = "tid",
    user_claim: str = "sub",
    method: str | None = None,
) -> str:
    """An HS256 token for a user; pass the Settings' claim names if they are not the defaults."""
    now = datetime.now(UTC)
    claims: dict[str, Any] = {user_claim: str(user_id), tenant_claim: str(tenant_id), "iat": now, "exp": now + ttl}
    if method:
        claims["amr"] = [method]
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def issue_token_for(
    settings: Settings, tenant_id: uuid.UUID, user_id: uuid.UUID, ttl: timedelta, method: str | None = None
) -> str:
    """An HS256 token this deployment accepts (its secret and claim names)."""
    return issue_token(
        settings.jwt_secret,
        tenant_id,
        user_id,
        ttl,
        tenant_claim=settings.jwt_tenant_claim,
        user_claim=settings.jwt_user_claim,
        method=method,
    )


class _Verified:
    """HS256 tokens already verified, with their expiry (LRU): the same bytes under the
    same secret and claim names always give the same Identity, until they expire."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._entries: OrderedDict[Any, tuple[Identity, float]] = OrderedDict()

    def get(self, key: Any) -> tuple[Identity, float] | None:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: Any, value: tuple[Identity, float]) -> None:
        self._entries[key] = value
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)


_VERIFIED = _Verified()


def read_token(settings: Settings, token: str) -> Identity:
    """The Identity in one of our HS256 tokens."""
    return _read_token(settings, token)[0]


def _read_token(settings: Settings, token: str) -> tuple[Identity, float]:
    """The Identity in one of our HS256 tokens, and when the token expires."""
    if not settings.jwt_secret:
        raise Unauthenticated("HS256 tokens are not accepted: CRM_JWT_SECRET is empty.")
    if settings.production and settings.jwt_secret == Settings.model_fields["jwt_secret"].default:
        # Anyone who has read settings.py could sign such a token.
        raise Unauthenticated("HS256 tokens are not accepted: CRM_JWT_SECRET is the public default.")
    tenant_claim, user_claim = settings.jwt_tenant_claim, settings.jwt_user_claim
    try:
        claims = jwt.decode(
            token, settings.jwt_secret, algorithms=[ALGORITHM], options={"require": ["exp", tenant_claim, user_claim]}
        )
        tenant_id, user_id = uuid.UUID(str(claims[tenant_claim])), uuid.UUID(str(claims[user_claim]))
    except jwt.ExpiredSignatureError as exc:
        raise Unauthenticated("The token has expired.") from exc
    except (jwt.PyJWTError, ValueError) as exc:
        raise Unauthenticated("The token is not valid.") from exc
    method = DEV_METHOD if DEV_METHOD in (claims.get("amr") or []) else "jwt"
    return Identity(tenant_id=tenant_id, user_id=user_id, method=method), float(claims["exp"])


async def find_user(engine: AsyncEngine, tenant_slug: str, email: str) -> tuple[uuid.UUID, uuid.UUID] | None:
    """(tenant id, user id) of an active user, by tenant slug and email (any case)."""
    users, tenants = User.__table__, Tenant.__table__
    stmt = (
        sa.select(users.c.tenant_id, users.c.id)
        .join(tenants, tenants.c.id == users.c.tenant_id)
        .where(
            tenants.c.slug == tenant_slug,
            sa.func.lower(users.c.email) == email.strip().lower(),
            users.c.archived_at.is_(None),
        )
        .limit(2)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    # Emails differing only in case are distinct rows; refuse rather than pick one.
    return (rows[0].tenant_id, rows[0].id) if len(rows) == 1 else None


async def _oidc_identity(engine: AsyncEngine, settings: Settings, token: str, header: dict[str, Any]) -> Identity:
    assert settings.oidc_issuer and settings.oidc_audience and settings.oidc_jwks_url
    config = oidc.OidcConfig(settings.oidc_issuer, settings.oidc_audience, settings.oidc_jwks_url)
    try:
        claims = await oidc.verify(config, token, header)
    except oidc.TokenRefused as exc:
        raise Unauthenticated(str(exc)) from exc
    slug, email = claims.get(settings.oidc_tenant_claim), claims.get(settings.oidc_email_claim)
    if not isinstance(slug, str) or not isinstance(email, str):
        raise Unauthenticated(
            f"The token must carry `{settings.oidc_tenant_claim}` (tenant) and `{settings.oidc_email_claim}` claims."
        )
    # An address the provider has not verified could belong to anyone.
    if claims.get("email_verified") is False:
        raise Unauthenticated("The token's email address is not verified.")
    found = await find_user(engine, slug, email)
    if found is None:
        raise Unauthenticated("No active user with this email in this tenant.")
    return Identity(tenant_id=found[0], user_id=found[1], method="oidc")


class Credentials(Protocol):
    """What `authenticate` reads of a request: its headers (and an embed token its
    ASGI `scope`, when it has one). A Starlette Request is one; so is what a
    WebSocket's connection_init carries (platform/events/api_subscriptions.py)."""

    @property
    def headers(self) -> Mapping[str, str]: ...


def bearer_token(request: Credentials) -> str:
    header = request.headers.get("authorization")
    if not header:
        raise Unauthenticated("No credentials given: send `Authorization: Bearer <token or API key>`.")
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated("Use `Authorization: Bearer <token or API key>`.")
    return token


async def authenticate(request: Credentials, state: Any) -> Identity:
    """The request's Identity. `state` carries `settings` and the owner `engine`, used for
    look-ups made before the tenant is known."""
    settings: Settings = state.settings
    token = bearer_token(request)
    if api_keys.looks_like_key(token):
        try:
            return await api_keys.identify(state.engine, token)
        except api_keys.KeyRefused as exc:
            raise Unauthenticated(str(exc)) from exc
    if embed.looks_like_token(token):
        try:
            return await embed.identify(state.engine, settings, request, token)
        except embed.EmbedRefused as exc:
            raise Unauthenticated(str(exc)) from exc
    key = (token, settings.jwt_secret, settings.jwt_tenant_claim, settings.jwt_user_claim, settings.production)
    remembered = _VERIFIED.get(key)
    if remembered is not None and remembered[1] > time.time():
        return remembered[0]
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise Unauthenticated("The token is not a JWT or an API key.") from exc
    alg = header.get("alg")
    if alg == ALGORITHM:
        identity, expires = _read_token(settings, token)
        _VERIFIED.put(key, (identity, expires))
        return identity
    if alg in oidc.ALGORITHMS:
        if not settings.oidc_enabled:
            raise Unauthenticated(f"{alg} tokens are not accepted: OpenID Connect is not configured.")
        return await _oidc_identity(state.engine, settings, token, header)
    raise Unauthenticated("The token's algorithm is not accepted.")
