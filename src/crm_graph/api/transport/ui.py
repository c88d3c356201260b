"""The reference web app at /app: the built bundle shipped in the package (static/app,
built from clients/web by `make ui`), so running crm-graph never needs Node.js.

- /app/config.json: how the app signs in (dev login, OpenID Connect with PKCE);
- /app/assets/...: hashed files, cached for a year;
- any other /app path: index.html, so the app's own routes survive a reload (SPA fallback).
"""

from __future__ import annotations

import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from crm_graph.kernel.settings import Settings

BUNDLE = Path(__file__).resolve().parents[2] / "static" / "app"  # crm_graph/static/app
IMMUTABLE = "public, max-age=31536000, immutable"
WIDGET_DEMOS = ("/widget/demo", "/widget/demo.html")  # the first one served is announced


# GraphiQL at /graphql in development: the app's explorer, bundled (Strawberry's page
# and the dev login's load GraphiQL from a CDN and are blank offline).
EXPLORER_REDIRECT = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>GraphiQL (crm-graph)</title>
<meta http-equiv="refresh" content="0; url=/app/explorer"></head>
<body><p>GraphiQL is at <a href="/app/explorer">/app/explorer</a>.</p></body></html>
"""


def explorer_redirect(bundle: Path = BUNDLE) -> str | None:
    """The page /graphql shows a browser: a way to the bundled explorer, once built."""
    return EXPLORER_REDIRECT if (bundle / "index.html").is_file() else None


def content_security_policy(settings: Settings) -> str:
    """Everything comes from this server; the only other peer is the OpenID provider
    (its token endpoint is called from the page). Monaco (the explorer's editor) and
    ECharts set inline styles; layout workers are module files, Monaco's may be blobs."""
    connect = ["'self'"]
    if settings.oidc_issuer:
        parts = urlsplit(settings.oidc_issuer)
        connect.append(f"{parts.scheme}://{parts.netloc}")
    return "; ".join(
        [
            "default-src 'self'",
            f"connect-src {' '.join(connect)}",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "style-src 'self' 'unsafe-inline'",
            "worker-src 'self' blob:",
            "frame-ancestors 'self'",
            "base-uri 'self'",
            "form-action 'self'",
        ]
    )


def routes(settings: Settings, bundle: Path = BUNDLE) -> list[Route]:
    root = bundle.resolve()
    csp = content_security_policy(settings)

    async def config(request: Request) -> Response:
        oidc = None
        if settings.oidc_enabled:
            # A browser app is a public client: its client id is the audience the API expects.
            oidc = {
                "issuer": settings.oidc_issuer,
                "clientId": settings.oidc_audience,
                "tenantClaim": settings.oidc_tenant_claim,
            }
        body = {"devLogin": bool(settings.dev_login and not settings.production), "oidc": oidc}
        return JSONResponse(body, headers={"Cache-Control": "no-store"})

    async def app_root(request: Request) -> Response:
        return RedirectResponse(request.url.replace(path="/app/"), status_code=308)

    async def serve(request: Request) -> Response:
        index = root / "index.html"
        if not index.is_file():
            return PlainTextResponse("The web app is not built: run `make ui`.", status_code=404)
        wanted = (root / request.path_params["path"]).resolve()
        if wanted.is_file() and wanted.is_relative_to(root):
            hashed = wanted.parent.name == "assets"
            headers = {"Cache-Control": IMMUTABLE if hashed else "no-cache"}
            return FileResponse(wanted, headers=headers)
        if request.path_params["path"].startswith("assets/"):
            # A missing hashed file is an old page asking after a deploy: 404, not HTML.
            return PlainTextResponse("Not found", status_code=404)
        return FileResponse(index, headers={"Cache-Control": "no-cache", "Content-Security-Policy": csp})

    return [
        Route("/app/config.json", config, methods=["GET"]),
        Route("/app", app_root, methods=["GET"]),
        Route("/app/{path:path}", serve, methods=["GET", "HEAD"]),
    ]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def banner(base: str, settings: Settings, widget_demo: str | None) -> str:
    lines = ["crm-graph is ready:", f"  web app      {base}/app/"]
    if widget_demo:
        lines.append(f"  widget demo  {base}{widget_demo}")
    lines.append(f"  {'API' if settings.production else 'GraphiQL':<12} {base}/graphql")
    return "\n".join(lines) + "\n"


def announce(settings: Settings, host: str, port: int, timeout: float = 120.0) -> threading.Thread:
    """Once the server answers, print where to go (stdout: the logs are on stderr), so
    the URLs come after the start-up lines rather than buried among them."""
    shown = "localhost" if host in ("0.0.0.0", "::") else host
    base = f"http://{shown}:{port}"

    def wait_then_print() -> None:
        deadline = time.monotonic() + timeout
        while not _answers(f"{base}/health"):
            if time.monotonic() > deadline:
                return
            time.sleep(0.2)
        demo = next((path for path in WIDGET_DEMOS if _answers(base + path)), None)
        sys.stdout.write(banner(base, settings, demo))
        sys.stdout.flush()

    thread = threading.Thread(target=wait_then_print, name="crm-graph-banner", daemon=True)
    thread.start()
    return thread
