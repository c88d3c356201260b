"""The web app at /app: served from the bundle in the package, no Node.js at run time."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from crm_graph.api.transport import ui, widget
from crm_graph.kernel.settings import Settings


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>crm-graph</title>")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)")
    (tmp_path.parent / "secret.txt").write_text("not for the web")
    return tmp_path


def client(bundle: Path, **settings: object) -> httpx.AsyncClient:
    app = Starlette(routes=ui.routes(Settings(**settings), bundle))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def test_app_routes_fall_back_to_the_page_so_a_reload_keeps_the_screen(bundle: Path) -> None:
    http = client(bundle)
    for path in ("/app/", "/app/board", "/app/organizations/T3JnYW5pemF0aW9uOjE="):
        response = await http.get(path)
        assert response.status_code == 200
        assert "<title>crm-graph</title>" in response.text
        assert response.headers["cache-control"] == "no-cache"
        assert "default-src 'self'" in response.headers["content-security-policy"]
    assert (await http.get("/app", follow_redirects=False)).headers["location"].endswith("/app/")


async def test_hashed_assets_are_cached_for_a_year_and_missing_ones_are_404(bundle: Path) -> None:
    http = client(bundle)
    asset = await http.get("/app/assets/index-abc123.js")
    assert asset.status_code == 200 and asset.text == "console.log(1)"
    assert "immutable" in asset.headers["cache-control"]
    # An old page asking for a file of the previous build gets a 404, not HTML as JavaScript.
    assert (await http.get("/app/assets/index-old.js")).status_code == 404


async def test_no_file_outside_the_bundle_is_served(bundle: Path) -> None:
    response = await client(bundle).get("/app/..%2Fsecret.txt")
    assert "not for the web" not in response.text


async def test_config_tells_the_app_how_to_sign_in(bundle: Path) -> None:
    assert (await client(bundle, dev_login=True).get("/app/config.json")).json() == {"devLogin": True, "oidc": None}
    production = client(bundle, dev_login=True, env="production", jwt_secret="x" * 40)
    assert (await production.get("/app/config.json")).json()["devLogin"] is False
    oidc_client = client(
        bundle, oidc_issuer="https://id.example", oidc_audience="crm-web", oidc_jwks_url="https://id.example/jwks"
    )
    oidc = (await oidc_client.get("/app/config.json")).json()["oidc"]
    assert oidc == {"issuer": "https://id.example", "clientId": "crm-web", "tenantClaim": "tenant"}
    page = await client(bundle, oidc_issuer="https://id.example/realms/x").get("/app/")
    assert "connect-src 'self' https://id.example;" in page.headers["content-security-policy"]


async def test_an_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    response = await client(tmp_path / "missing").get("/app/")
    assert response.status_code == 404 and "make ui" in response.text


def test_graphiql_in_development_is_the_bundled_explorer_once_built(bundle: Path, tmp_path: Path) -> None:
    page = ui.explorer_redirect(bundle)
    assert page is not None and "url=/app/explorer" in page and "https://" not in page
    assert ui.explorer_redirect(tmp_path / "unbuilt") is None


def test_the_built_bundle_ships_in_the_package() -> None:
    assert (ui.BUNDLE / "index.html").is_file()
    assert any((ui.BUNDLE / "assets").glob("*.js"))


async def test_the_cjk_font_stylesheet_has_a_stable_name_the_widget_frame_links(bundle: Path) -> None:
    """The widget's frame uses the app's Noto Sans SC (the package carries it once): the
    stylesheet keeps its name across builds, so it is revalidated, never cached for a year."""
    (bundle / "fonts").mkdir()
    (bundle / "fonts" / "noto-sans-sc.css").write_text("@font-face{font-family:Noto Sans SC}")
    response = await client(bundle).get("/app/fonts/noto-sans-sc.css")
    assert response.status_code == 200 and response.headers["cache-control"] == "no-cache"
    assert response.headers["content-type"].startswith("text/css")

    built = (ui.BUNDLE / "fonts" / "noto-sans-sc.css").read_text()
    slices = re.findall(r"url\(([^)]+)\)", built)
    assert len(slices) > 50 and all(url.startswith("/app/assets/noto-sans-sc-") for url in slices)
    assert all((ui.BUNDLE / url.removeprefix("/app/")).is_file() for url in slices)
    frame = (widget.STATIC / "frame.html").read_text()
    assert '<link rel="stylesheet" href="/app/fonts/noto-sans-sc.css">' in frame
    assert not any(widget.STATIC.rglob("*.woff2"))
    assert "font-src 'self';" in widget.FRAME_POLICY


def test_after_start_up_the_urls_of_the_app_the_widget_demo_and_graphiql_are_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import http.server
    import threading

    class Server(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path in ("/health", "/widget/demo") else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Server)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        ui.announce(Settings(), "127.0.0.1", httpd.server_address[1], timeout=10).join(15)
    finally:
        httpd.shutdown()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    assert capsys.readouterr().out == (
        f"crm-graph is ready:\n  web app      {base}/app/\n  widget demo  {base}/widget/demo\n"
        f"  GraphiQL     {base}/graphql\n"
    )
