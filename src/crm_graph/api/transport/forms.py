"""The public web-to-lead endpoint: `POST /forms/<key>`, where a website's form posts.

It reaches exactly one thing: the form's use case (crm_graph.domains.leads.forms),
acting as the user who created the form. No token is read, no GraphQL is run, and
the answer says only whether the post was taken. It sits outside the API's CORS and
authentication (CRMApp routes /forms/ here first): the form's own origin list rules.

Refused, with nothing written: an unknown or archived key (404), a page of an origin
the form does not list (403; a post without Origin only when the form allows `*`),
more posts from one address than the form's rate limit (429, Retry-After), a body
that is not a form or JSON object or is too large (415/413/400), a filled honeypot
field (400), and input the lead's validation refuses (422 with the problems).
"""

from __future__ import annotations

import uuid
from typing import Any

import orjson
import sqlalchemy as sa
from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from crm_graph.api.transport import ratelimit
from crm_graph.domains.leads import forms
from crm_graph.kernel.actor import Identity
from crm_graph.kernel.db import RequestDB
from crm_graph.kernel.errors import Invalid, UseCaseError
from crm_graph.platform.authz.actors import UnknownActor, load_actor

PREFIX = "/forms/"
MAX_BODY = 16 * 1024
FORMS: sa.Table = forms.TABLE
NAMES = {field: name for name, field in forms.ACCEPTED.items()}  # a lead's field -> the form's name for it


def _answer(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(
        orjson.dumps(body),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", **(headers or {})},
    )


def _refused(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    return _answer(status, {"accepted": False, "error": {"code": code, "message": message}}, headers)


async def _read_body(receive: Receive) -> bytes | None:
    """The body, or None when it passes MAX_BODY (reading stops there)."""
    chunks, size = [], 0
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        more = message.get("more_body", False)
    return b"".join(chunks)


def _parse(content_type: str, body: bytes) -> dict[str, Any] | None:
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            parsed = orjson.loads(body or b"{}")
        except orjson.JSONDecodeError:
            return None
        return parsed if isinstance(parsed, dict) else None
    if kind == "application/x-www-form-urlencoded":
        from urllib.parse import parse_qsl

        try:
            return dict(parse_qsl(body.decode(), keep_blank_values=True))
        except UnicodeDecodeError:
            return None
    return None


class FormsEndpoint:
    """`state` carries the owner engine (the tenant is not known until the key is
    looked up), the API's engine, the Redis cost budget and the settings."""

    def __init__(self, state: Any) -> None:
        self.state = state

    async def _form(self, key: str) -> dict[str, Any] | None:
        if not forms.KEY.match(key):
            return None
        async with self.state.engine.connect() as conn:
            row = (
                await conn.execute(sa.select(FORMS).where(FORMS.c.key == key, FORMS.c.archived_at.is_(None)))
            ).first()
        return dict(row._mapping) if row is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(scope, receive)
        await response(scope, receive, send)

    async def handle(self, scope: Scope, receive: Receive) -> Response:
        key = scope["path"][len(PREFIX) :]
        headers = Headers(scope=scope)
        form = await self._form(key)
        if form is None:
            return _refused(404, "UNKNOWN_FORM", "No such form.")
        origin = headers.get("origin")
        allowed = set(form["origins"])
        normalized = forms.origin_of(origin) if origin else None
        if "*" not in allowed and (normalized is None or normalized not in allowed):
            return _refused(403, "FORBIDDEN_ORIGIN", "This form may not be posted from this page.", {"Vary": "Origin"})
        cors = {"Access-Control-Allow-Origin": origin, "Vary": "Origin"} if origin else {}
        if scope["method"] == "OPTIONS":
            return Response(
                status_code=204,
                headers={
                    **cors,
                    "Access-Control-Allow-Methods": "POST",
                    "Access-Control-Allow-Headers": "Content-Type",
                    "Access-Control-Max-Age": "600",
                },
            )
        if scope["method"] != "POST":
            return _refused(405, "METHOD_NOT_ALLOWED", "Post the form.", {**cors, "Allow": "POST, OPTIONS"})
        client = scope.get("client")
        address = client[0] if client else "unknown"
        per_minute = form["rate_limit_per_minute"]
        bucket = ratelimit.Bucket(f"crm:forms:{form['id']}:{address}", per_minute, per_minute / 60)
        decision = await self.state.budget.charge([bucket], 1)
        if not decision.allowed:
            return _refused(
                429,
                "THROTTLED",
                f"Too many posts; retry in {decision.retry_after} s.",
                {**cors, "Retry-After": str(decision.retry_after)},
            )
        body = await _read_body(receive)
        if body is None:
            return _refused(413, "TOO_LARGE", f"At most {MAX_BODY} bytes.", cors)
        posted = _parse(headers.get("content-type", ""), body)
        if posted is None:
            return _refused(415, "UNSUPPORTED_BODY", "Post application/x-www-form-urlencoded or a JSON object.", cors)
        if str(posted.get(form["honeypot_field"]) or "").strip():
            return _refused(400, "REJECTED", "The post was rejected.", cors)
        return await self._post(form, posted, scope, cors)

    async def _post(self, form: dict[str, Any], posted: dict[str, Any], scope: Scope, cors: dict[str, str]) -> Response:
        state = self.state
        tenant_id: uuid.UUID = form["tenant_id"]
        client = scope.get("client")
        db = RequestDB(
            state.app_engine,
            tenant_id,
            [state.announce] if state.announce is not None else [],
            request_id=f"form:{uuid.uuid4().hex[:16]}",
            client_address=client[0] if client else None,
            statement_timeout_ms=int(state.settings.operation_timeout_seconds * 1000),
        )
        try:
            try:
                actor = await load_actor(db, Identity(tenant_id, form["created_by_id"]))
            except UnknownActor:
                return _refused(503, "FORM_UNAVAILABLE", "The form is not available.", cors)
            try:
                async with db.unit_of_work(actor) as uow:
                    await forms.post_form(uow, actor, form, posted)
            except Invalid as exc:
                problems = [
                    {
                        "field": ".".join([NAMES.get(p.path[0], p.path[0]), *p.path[1:]]),
                        "message": p.message,
                        "code": p.code,
                    }
                    for p in exc.problems
                    if p.path
                ]
                return _answer(422, {"accepted": False, "error": {"code": "INVALID", "problems": problems}}, cors)
            except UseCaseError:
                return _refused(503, "FORM_UNAVAILABLE", "The form is not available.", cors)
        finally:
            await db.close()
        return _answer(201, {"accepted": True}, cors)
