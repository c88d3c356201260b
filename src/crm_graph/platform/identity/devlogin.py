"""Dev login: act as any demo user without an identity provider.

Mounted only when `CRM_DEV_LOGIN=true` and not in production (see app.py):
- GET /dev/users: the active users of every tenant;
- POST /dev/login {"tenant": slug, "email": ...}: {"token": an 8-hour HS256 token};
- GRAPHIQL_HTML: GraphiQL with a "act as" picker that fetches such a token and sends
  it with every request, so a newcomer can explore the API from the first minute.
These endpoints hand out tokens to anyone who can reach them: that is their purpose.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from crm_graph.platform.identity import auth
from crm_graph.platform.identity.models import Tenant, User

TOKEN_TTL = timedelta(hours=8)  # a working day


def routes(state: Any) -> list[Route]:
    """The /dev endpoints; `state` carries `settings` and the owner `engine`."""

    async def list_users(request: Request) -> Response:
        users, tenants = User.__table__, Tenant.__table__
        stmt = (
            sa.select(tenants.c.slug, users.c.email, users.c.name, users.c.roles)
            .join(tenants, tenants.c.id == users.c.tenant_id)
            .where(users.c.archived_at.is_(None))
            .order_by(tenants.c.slug, users.c.email)
        )
        async with state.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return JSONResponse(
            {"users": [{"tenant": r.slug, "email": r.email, "name": r.name, "roles": list(r.roles)} for r in rows]}
        )

    async def login(request: Request) -> Response:
        try:
            body = await request.json()
        except ValueError:
            body = None
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("tenant"), str)
            or not isinstance(body.get("email"), str)
        ):
            return JSONResponse({"error": 'Send JSON {"tenant": "<slug>", "email": "<email>"}.'}, status_code=400)
        found = await auth.find_user(state.engine, body["tenant"], body["email"])
        if found is None:
            return JSONResponse({"error": "No active user with this email in this tenant."}, status_code=404)
        token = auth.issue_token_for(state.settings, found[0], found[1], TOKEN_TTL, method=auth.DEV_METHOD)
        return JSONResponse({"token": token})

    return [Route("/dev/users", list_users, methods=["GET"]), Route("/dev/login", login, methods=["POST"])]


# Strawberry's own GraphiQL page (strawberry/static/graphiql.html, same CDN files and
# integrity hashes) plus the user picker. Built with DOM calls, not innerHTML, so
# names from the database are never parsed as HTML.
GRAPHIQL_HTML = """<!doctype html>
<html>
  <head>
    <title>crm-graph GraphiQL (dev login)</title>
    <style>
      body { height: 100%; margin: 0; width: 100%; overflow: hidden; font-family: system-ui, sans-serif; }
      #picker { height: 40px; box-sizing: border-box; padding: 6px 12px; display: flex; gap: 8px;
                align-items: center; border-bottom: 1px solid #ddd; font-size: 14px; }
      #picker select { font-size: 14px; max-width: 70vw; }
      #status { color: #888; }
      #graphiql { height: calc(100vh - 40px); display: flex; }
    </style>
    <script crossorigin src="https://unpkg.com/react@18.2.0/umd/react.production.min.js"
      integrity="sha384-tMH8h3BGESGckSAVGZ82T9n90ztNXxvdwvdM6UoR56cYcf+0iGXBliJ29D+wZ/x8"></script>
    <script crossorigin src="https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js"
      integrity="sha384-bm7MnzvK++ykSwVJ2tynSE5TRdN+xL418osEVF2DE/L/gfWHj91J2Sphe582B1Bh"></script>
    <link crossorigin rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css"
      integrity="sha384-Mq3vbRBY71jfjQAt/DcjxUIYY33ksal4cgdRt9U/hNPvHBCaT2JfJ/PTRiPKf0aM" />
    <link crossorigin rel="stylesheet" href="https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css"
      integrity="sha384-5DFJlDPW2tSATRbM8kzoP1j194jexLswuNmClWoRr2Q0x7R68JIQzPHZ02Faktwi" />
  </head>
  <body>
    <div id="picker">
      <label for="who">Act as</label>
      <select id="who"><option>Loading users…</option></select>
      <span id="status"></span>
    </div>
    <div id="graphiql" class="graphiql-container">Pick a user above.</div>
    <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"
      integrity="sha384-HbRVEFG0JGJZeAHCJ9Xm2+tpknBQ7QZmNlO/DgZtkZ0aJSypT96YYGRNod99l9Ie"></script>
    <script crossorigin src="https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js"
      integrity="sha384-2oonKe47vfHIZnmB6ZZ10vl7T0Y+qrHQF2cmNTaFDuPshpKqpUMGMc9jgj9MLDZ9"></script>
    <script>
      const STORED = "crm-graph.dev-user";
      const fetchURL = window.location.href.split("?")[0];
      const usersURL = new URL("dev/users", fetchURL);
      const loginURL = new URL("dev/login", fetchURL);
      const select = document.getElementById("who");
      const status = document.getElementById("status");
      const root = ReactDOM.createRoot(document.getElementById("graphiql"));
      let token = null;

      const wsURL = fetchURL.replace(/^http/, "ws");

      // Our token goes first, so an Authorization typed into the headers editor wins.
      // Subscriptions go over a WebSocket, which carries no headers: there the token
      // goes in the connection_init payload (graphql-transport-ws).
      function makeFetcher() {
        const baseFetcher = GraphiQL.createFetcher({
          url: fetchURL, subscriptionUrl: wsURL,
          wsConnectionParams: token ? { authorization: "Bearer " + token } : {},
        });
        return function fetcher(params, opts) {
          const headers = Object.assign({}, token ? { Authorization: "Bearer " + token } : {},
                                        (opts && opts.headers) || {});
          return baseFetcher(params, Object.assign({}, opts, { headers }));
        };
      }

      const explorer = GraphiQLPluginExplorer.explorerPlugin();
      function render(userKey) {
        // A new key remounts GraphiQL, which then loads the schema as the new user.
        root.render(React.createElement(GraphiQL, {
          key: userKey, fetcher: makeFetcher(), plugins: [explorer], defaultEditorToolsVisibility: true,
          isHeadersEditorEnabled: true, shouldPersistHeaders: true, inputValueDeprecation: true,
        }));
      }

      async function actAs(value) {
        status.textContent = "signing in…";
        const response = await fetch(loginURL, {
          method: "POST", headers: { "content-type": "application/json" }, body: value,
        });
        const body = await response.json();
        if (!response.ok) { status.textContent = body.error || response.statusText; return; }
        token = body.token;
        localStorage.setItem(STORED, value);
        status.textContent = "token valid for 8 hours";
        render(value);
      }

      async function start() {
        const response = await fetch(usersURL);
        const users = (await response.json()).users;
        select.replaceChildren();
        const groups = {};
        for (const user of users) {
          if (!groups[user.tenant]) {
            groups[user.tenant] = document.createElement("optgroup");
            groups[user.tenant].label = user.tenant;
            select.appendChild(groups[user.tenant]);
          }
          const option = document.createElement("option");
          option.value = JSON.stringify({ tenant: user.tenant, email: user.email });
          option.textContent = user.name + " <" + user.email + "> (" + user.roles.join(", ") + ")";
          groups[user.tenant].appendChild(option);
        }
        if (!users.length) { status.textContent = "No users yet: run `crm-graph seed --demo`."; return; }
        const values = Array.from(select.options, (o) => o.value);
        const admin = users.find((u) => u.roles.includes("admin"));
        const stored = localStorage.getItem(STORED);
        select.value = values.includes(stored) ? stored
          : JSON.stringify({ tenant: (admin || users[0]).tenant, email: (admin || users[0]).email });
        select.addEventListener("change", () => actAs(select.value));
        await actAs(select.value);
      }
      start().catch((error) => { status.textContent = String(error); });
    </script>
  </body>
</html>
"""
