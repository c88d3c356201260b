"""Embed tokens: what a portal's backend gets (with its API key, `embedTokenCreate`) to
hand to the crm-graph widget framed in its pages.

A token is `embed_<JWT>`, HS256 under a key derived from CRM_JWT_SECRET (so it can
never pass for a user token), and says: the tenant, the API key that made it and the
key's role (the only role it may carry), optionally one record, the embedding origin,
and an expiry minutes away. Using one acts as the API key with that role, and only
while the key is still valid: revoking the key ends its tokens too.

A token bound to a record runs only the widget frame's own documents
(static/widget/documents.json, written by its build) about that record, and never
subscribes: it opens that record and no other.

The origin binds it to one site: it must be among the tenant's allowed CORS origins
when the token is made; the widget frame accepts it by postMessage only from that
origin; and the API refuses it from any page but that origin or the widget frame
itself (same origin as the API).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Message, Receive, Scope
from strawberry.http.websocket_origin import normalize_origin

from crm_graph.kernel.actor import Actor, Identity
from crm_graph.kernel.errors import Forbidden, NotFound
from crm_graph.kernel.settings import Settings
from crm_graph.kernel.validation import Checker
from crm_graph.platform.identity.api_key_models import ApiKey
from crm_graph.platform.identity.models import Tenant
from crm_graph.platform.identity.origin import cross_origin
from crm_graph.platform.identity.tenant_settings import parse_origin
from crm_graph.readside.ids import from_global_id

PREFIX = "embed_"
ALGORITHM = "HS256"
METHOD = "embed"  # Identity.method of a request made with an embed token
DEFAULT_TTL_MINUTES = 10
MAX_TTL_MINUTES = 60
# Records a widget can be opened on: a contact card, or an organization's.
RECORD_TYPES = ("Contact", "Organization")
WIDGET_DOCUMENTS = Path(__file__).resolve().parents[2] / "static" / "widget" / "documents.json"
KEYS: sa.Table = ApiKey.__table__
TENANTS: sa.Table = Tenant.__table__


class EmbedRefused(Exception):
    """The presented embed token is malformed, expired, from a revoked key or used
    from another origin; the message says which."""


@dataclass(frozen=True)
class EmbedToken:
    token: str
    expires_at: datetime


def signing_key(settings: Settings) -> bytes:
    """Derived from CRM_JWT_SECRET: an embed token is no user token under any secret."""
    return hmac.new(settings.jwt_secret.encode(), b"crm-graph embed token", hashlib.sha256).digest()


def looks_like_token(token: str) -> bool:
    return token.startswith(PREFIX)


async def allowed_origins(db: Any, settings: Settings, tenant_id: uuid.UUID) -> frozenset[str]:
    """The origins whose pages may call the API for the tenant: every tenant's
    (CRM_CORS_ORIGINS) and its own (tenantSettingsUpdate)."""
    own = (await db.execute(sa.select(TENANTS.c.cors_origins).where(TENANTS.c.id == tenant_id))).scalar()
    everywhere = {o for o in (normalize_origin(v) for v in settings.cors_origins) if o}
    return frozenset(everywhere | set(own or ()))


async def create_token(db: Any, settings: Settings, actor: Actor, data: dict[str, Any]) -> EmbedToken:
    """A token for a page on `origin`; only an API key may ask, for its own role."""
    if actor.api_key_id is None:
        # A user's session must not be turned into a token another site holds.
        raise Forbidden("Only an API key can create embed tokens; call this from your portal's backend.")
    role = (data.get("role") or "").strip() or (actor.roles[0] if actor.roles else "")
    origin_given = data.get("origin") or ""
    ttl = data.get("ttl_minutes")
    ttl = DEFAULT_TTL_MINUTES if ttl is None else ttl
    record_id = data.get("record_id")
    record = from_global_id(record_id) if isinstance(record_id, str) else None
    check = Checker({})
    origin = parse_origin(origin_given) if len(origin_given) <= 300 else None
    if origin is None:
        check.fail(
            "origin",
            "Not an origin: scheme, host and optional port, e.g. https://portal.example.com.",
            "INVALID_ORIGIN",
        )
    elif origin not in await allowed_origins(db, settings, actor.tenant_id) and "*" not in settings.cors_origins:
        check.fail(
            "origin",
            f"{origin} is not among the tenant's allowed origins (tenantSettingsUpdate corsOrigins).",
            "ORIGIN_NOT_ALLOWED",
        )
    if not isinstance(ttl, int) or not 1 <= ttl <= MAX_TTL_MINUTES:
        check.fail("ttl_minutes", f"From 1 to {MAX_TTL_MINUTES} minutes.", "OUT_OF_RANGE")
    if record_id is not None and (record is None or record[0].name not in RECORD_TYPES):
        check.fail("record_id", "The global ID of a Contact or an Organization.", "INVALID_ID")
    check.done()
    if role not in actor.roles:
        raise Forbidden(
            f"The key acts with role {', '.join(actor.roles) or 'none'}; a token carries no other.", ("role",)
        )
    if record is not None:
        # `db` is under row-level security: another tenant's record is not there.
        table = record[0].table
        if (await db.execute(sa.select(table.c.id).where(table.c.id == record[1]))).first() is None:
            raise NotFound(record[0].record_type, ("record_id",))
    return sign(settings, actor.tenant_id, actor.api_key_id, role, origin or "", record_id, ttl)


def sign(
    settings: Settings,
    tenant_id: uuid.UUID,
    key_id: uuid.UUID,
    role: str,
    origin: str,
    record_id: str | None,
    ttl_minutes: int,
) -> EmbedToken:
    """The token itself, for checked values (create_token checks them)."""
    now = datetime.now(UTC).replace(microsecond=0)
    expires = now + timedelta(minutes=ttl_minutes)
    claims = {
        "typ": "embed",
        "tid": str(tenant_id),
        "kid": str(key_id),
        "role": role,
        "rec": record_id,
        "org": origin,
        "iat": now,
        "exp": expires,
        "jti": secrets.token_urlsafe(12),
    }
    return EmbedToken(PREFIX + jwt.encode(claims, signing_key(settings), algorithm=ALGORITHM), expires)


def read_claims(settings: Settings, token: str) -> dict[str, Any]:
    """The verified claims of an embed token, or EmbedRefused."""
    if settings.production and settings.jwt_secret == Settings.model_fields["jwt_secret"].default:
        raise EmbedRefused("Embed tokens are not accepted: CRM_JWT_SECRET is the public default.")
    try:
        claims: dict[str, Any] = jwt.decode(
            token.removeprefix(PREFIX),
            signing_key(settings),
            algorithms=[ALGORITHM],
            options={"require": ["exp", "tid", "kid", "role", "org"]},
        )
        if claims.get("typ") != "embed":
            raise jwt.InvalidTokenError("not an embed token")
        uuid.UUID(claims["tid"]), uuid.UUID(claims["kid"])
    except jwt.ExpiredSignatureError as exc:
        raise EmbedRefused("The embed token has expired; ask the host page for a new one.") from exc
    except (jwt.PyJWTError, ValueError, TypeError) as exc:
        raise EmbedRefused("The embed token is not valid.") from exc
    return claims


async def identify(engine: AsyncEngine, settings: Settings, request: Any, token: str) -> Identity:
    """The Identity an embed token stands for: its API key, with the token's role."""
    claims = read_claims(settings, token)
    scope = getattr(request, "scope", None)
    if scope is None and claims.get("rec"):  # a WebSocket's connection_init
        raise EmbedRefused("A token bound to a record cannot subscribe.")
    if scope is not None:
        origin = cross_origin(scope)  # None: no Origin, or the widget frame (same origin)
        if origin is not None and normalize_origin(origin) != claims["org"]:
            raise EmbedRefused(f"This embed token is for pages on {claims['org']}.")
    key_id = uuid.UUID(claims["kid"])
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                sa.select(KEYS.c.tenant_id, KEYS.c.role, KEYS.c.revoked_at, KEYS.c.expires_at).where(
                    KEYS.c.id == key_id
                )
            )
        ).first()
    if (
        row is None
        or str(row.tenant_id) != claims["tid"]
        or row.role != claims["role"]
        or row.revoked_at is not None
        or (row.expires_at is not None and row.expires_at <= datetime.now(UTC))
    ):
        raise EmbedRefused("The API key behind this embed token is no longer valid.")
    return Identity(tenant_id=row.tenant_id, api_key_id=key_id, api_key_role=row.role, method=METHOD)


async def tenant_origins(engine: AsyncEngine, settings: Settings, slug: str) -> frozenset[str] | None:
    """The allowed origins of the tenant with this slug (None: no such tenant): who may
    frame the widget (crm_graph.api.transport.widget's frame-ancestors)."""
    async with engine.connect() as conn:
        row = (await conn.execute(sa.select(TENANTS.c.id).where(TENANTS.c.slug == slug))).first()
        if row is None:
            return None
        return await allowed_origins(conn, settings, row.id)


@functools.cache
def _widget_documents() -> dict[str, str]:
    """The frame's documents, text -> which."""
    documents = json.loads(WIDGET_DOCUMENTS.read_text())
    return {documents["byId"]: "byId", documents["log"]: "log"}


def bound_refusal(record: str, body: Any) -> str | None:
    """Why a token bound to `record` may not run this request body, or None if it may:
    the frame's node query for that record, or its interactionLog linking that record."""
    refusal = "This embed token is bound to one record: only the widget's requests about it run."
    if not isinstance(body, dict) or not isinstance(body.get("variables") or {}, dict):
        return refusal
    query = body.get("query")
    variables: dict[str, Any] = body.get("variables") or {}
    which = _widget_documents().get(query) if isinstance(query, str) else None
    given: dict[str, Any] = variables["input"] if isinstance(variables.get("input"), dict) else {}
    found = from_global_id(record)
    if which == "byId" and variables.get("id") == record:
        return None
    if which == "log" and found is not None:
        if found[0].name == "Contact" and given.get("contactIds") == [record]:
            return None
        if found[0].name == "Organization" and given.get("organizationId") == record and not given.get("contactIds"):
            return None
    return refusal


def _forbidden(message: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": "FORBIDDEN"}}]}
    return Response(orjson.dumps(body), status_code=403, media_type="application/json")


async def guard(scope: Scope, receive: Receive, settings: Settings) -> Receive | Response:
    """For a request an embed token authenticated (RequestContextMiddleware): the
    request's `receive` when it may go on (its body replayed if it had to be read),
    or the 403 to answer when the token is bound to a record and the request is not
    one of the widget's about it."""
    headers = Headers(scope=scope)
    claims = read_claims(settings, headers.get("authorization", "").partition(" ")[2].strip())
    record = claims.get("rec")
    if not record:
        return receive
    if scope["method"] != "POST" or "text/event-stream" in headers.get("accept", ""):
        return _forbidden("A token bound to a record sends the widget's POST requests only.")
    chunks, size, more = [], 0, True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            return _forbidden("The request ended early.")
        chunks.append(message.get("body", b""))
        size += len(chunks[-1])
        if size > settings.max_body_bytes:
            return _forbidden("The request is too large.")
        more = message.get("more_body", False)
    body = b"".join(chunks)
    try:
        refusal = bound_refusal(record, orjson.loads(body))
    except orjson.JSONDecodeError:
        refusal = "Send JSON."
    if refusal is not None:
        return _forbidden(refusal)
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
