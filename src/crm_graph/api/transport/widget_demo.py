"""Try the widget in development (mounted with dev login: CRM_DEV_LOGIN=true, never in
production): GET /widget/demo embeds <crm-widget> on crm-graph's own origin, opened on a
demo contact, with tokens from POST /dev/embed-token. Those are made as a portal's
backend would, for an API key of the tenant ("Widget demo (dev login)", role admin,
created on first use), and are as open as the other /dev endpoints: that is their purpose.
"""

from __future__ import annotations

import hashlib
import html
import secrets
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from crm_graph.domains.contacts.models import Contact
from crm_graph.platform.identity import embed
from crm_graph.platform.identity.models import Tenant

KEY_NAME = "Widget demo (dev login)"
KEY_ROLE = "admin"
TTL_MINUTES = 5

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>crm-graph widget demo</title>
<style>body {{ font: 15px system-ui, sans-serif; margin: 2rem; max-width: 44rem; }}
crm-widget {{ display: block; margin-top: 1rem; --crm-accent: #0f766e; }}</style>
<script src="/widget/crm-widget.js"></script></head>
<body><h1>A portal page</h1>
<p>The widget below is framed from <code>/widget/frame</code> and given tokens by
<code>postMessage</code>; a real portal gets them from its backend with
<code>embedTokenCreate</code>.</p>
<crm-widget server="{server}" tenant="{tenant}" email="{email}"></crm-widget>
<script>
  document.querySelector("crm-widget").getToken = async () => {{
    const response = await fetch("/dev/embed-token?tenant={tenant}", {{ method: "POST" }});
    return (await response.json()).token;
  }};
</script></body></html>
"""


def _origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.url.netloc}"


def routes(state: Any) -> list[Route]:
    """`state` carries `settings` and the owner `engine`."""
    tenants, contacts, keys = Tenant.__table__, Contact.__table__, embed.KEYS

    async def page(request: Request) -> Response:
        slug = request.query_params.get("tenant", "demo")
        stmt = (
            sa.select(contacts.c.emails)
            .join(tenants, tenants.c.id == contacts.c.tenant_id)
            .where(tenants.c.slug == slug, sa.func.cardinality(contacts.c.emails) > 0, contacts.c.archived_at.is_(None))
            .order_by(contacts.c.created_at)
            .limit(1)
        )
        async with state.engine.connect() as conn:
            emails = (await conn.execute(stmt)).scalar()
        if not emails:
            return HTMLResponse("No contact with an email in that tenant: run `crm-graph seed --demo`.", 404)
        values = {
            k: html.escape(v, quote=True)
            for k, v in {"server": _origin(request), "tenant": slug, "email": emails[0]}.items()
        }
        return HTMLResponse(PAGE.format(**values))

    async def token(request: Request) -> Response:
        slug = request.query_params.get("tenant", "demo")
        async with state.engine.begin() as conn:
            tenant_id = (await conn.execute(sa.select(tenants.c.id).where(tenants.c.slug == slug))).scalar()
            if tenant_id is None:
                return JSONResponse({"error": "No such tenant."}, 404)
            key_id = (
                await conn.execute(
                    sa.select(keys.c.id).where(
                        keys.c.tenant_id == tenant_id,
                        keys.c.name == KEY_NAME,
                        keys.c.role == KEY_ROLE,
                        keys.c.revoked_at.is_(None),
                    )
                )
            ).scalar()
            if key_id is None:  # its secret is never used: the demo signs embed tokens directly
                key_id = (
                    await conn.execute(
                        sa.insert(keys)
                        .values(
                            tenant_id=tenant_id,
                            name=KEY_NAME,
                            role=KEY_ROLE,
                            prefix=secrets.token_hex(6),
                            secret_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
                        )
                        .returning(keys.c.id)
                    )
                ).scalar_one()
        made = embed.sign(state.settings, tenant_id, key_id, KEY_ROLE, _origin(request), None, TTL_MINUTES)
        return JSONResponse({"token": made.token, "expiresAt": made.expires_at.isoformat()})

    return [Route("/widget/demo", page, methods=["GET"]), Route("/dev/embed-token", token, methods=["POST"])]
