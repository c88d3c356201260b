"""The embeddable widget's files, served at /widget (built from clients/widget into
static/widget/, shipped in the package: no Node.js needed to run it).

- /widget/crm-widget.js: the loader a portal puts in its pages (`<crm-widget>`);
- /widget/frame?tenant=<slug>: the page the loader frames. Its Content-Security-Policy
  `frame-ancestors` lists the tenant's allowed origins (CRM_CORS_ORIGINS and the
  tenant's corsOrigins), so no other site can frame it; an unknown tenant is a 404.
- /widget/<file>: the frame's script and styles;
- /widget/demo, with dev login only: the widget on a page of crm-graph's own (crm_graph.api.transport.widget_demo).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from crm_graph.api.transport import widget_demo
from crm_graph.platform.identity import embed

STATIC = Path(__file__).resolve().parents[2] / "static" / "widget"  # crm_graph/static/widget
# Everything the frame loads comes from here; the API it calls is on the same origin. Its
# CJK font is the web app's (/app/fonts/noto-sans-sc.css and /app/assets/*.woff2).
FRAME_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; object-src 'none'"
)


def frame_ancestors(origins: frozenset[str]) -> str:
    if "*" in origins:
        return "frame-ancestors *"
    return "frame-ancestors " + (" ".join(sorted(origins)) if origins else "'none'")


def routes(state: Any) -> list[Route | Mount]:
    """`state` carries `settings` and the owner `engine` (the tenant is not known yet)."""
    settings = state.settings
    demo = settings.dev_login and not settings.production  # /widget/demo frames it from our own origin

    async def frame(request: Request) -> Response:
        slug = request.query_params.get("tenant", "")
        origins = await embed.tenant_origins(state.engine, state.settings, slug) if slug else None
        if origins is None:
            return PlainTextResponse("No such tenant.", status_code=404)
        if "*" in settings.cors_origins:
            origins = frozenset({"*"})
        elif demo:
            origins = origins | {"'self'"}
        headers = {
            "Content-Security-Policy": f"{FRAME_POLICY}; {frame_ancestors(origins)}",
            # The policy follows the tenant's settings: never serve a stale one.
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        }
        return HTMLResponse((STATIC / "frame.html").read_text(), headers=headers)

    return [
        Route("/widget/frame", frame, methods=["GET"]),
        *(widget_demo.routes(state) if demo else []),
        Mount("/widget", StaticFiles(directory=STATIC, check_dir=False), name="widget"),
    ]
