// For the widget's browser tests: a real crm-graph (clients/live_server.py), a portal
// on a second origin that embeds the widget and mints tokens server-side with an API
// key, and Chromium (Debian's /usr/bin/chromium, driven by playwright-core).
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const PYTHON = process.env.CRM_PYTHON ?? resolve(ROOT, ".venv/bin/python");
// live_server.py leaves CRM_JWT_SECRET at its development default; expired and
// short-lived tokens are signed here with the key crm_graph.platform.identity.embed derives from it.
const JWT_SECRET = process.env.CRM_JWT_SECRET ?? "dev-secret-change-me-before-production";

export async function startCrm() {
  const child = spawn(PYTHON, [resolve(ROOT, "clients/live_server.py"), "--organizations", "8"],
    { cwd: ROOT, stdio: ["pipe", "pipe", "inherit"] });
  const exited = new Promise((done) => child.on("exit", done));
  const line = await new Promise((done, fail) => {
    createInterface({ input: child.stdout }).once("line", done);
    child.once("exit", (code) => fail(new Error(`live_server.py exited with ${code}`)));
  });
  const info = JSON.parse(line);
  return { ...info, stop: async () => { child.stdin.end(); await exited; } };
}

export async function gql(url, credential, query, variables = {}) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

export async function devToken(base, email) {
  const response = await fetch(`${base}/dev/login`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ tenant: "demo", email }),
  });
  return (await response.json()).token;
}

function b64url(value) {
  return Buffer.from(value).toString("base64url");
}

/** An embed token with the claims of `token` but another lifetime, signed as crm-graph signs them. */
export function resign(token, fromNowSeconds, lifeSeconds) {
  const claims = JSON.parse(Buffer.from(token.slice("embed_".length).split(".")[1], "base64url").toString());
  const now = Math.floor(Date.now() / 1000);
  claims.exp = now + fromNowSeconds;
  claims.iat = claims.exp - lifeSeconds;
  const key = createHmac("sha256", JWT_SECRET).update("crm-graph embed token").digest();
  const signing = `${b64url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64url(JSON.stringify(claims))}`;
  return `embed_${signing}.${createHmac("sha256", key).update(signing).digest("base64url")}`;
}

const EMBED = `mutation($input: EmbedTokenCreateInput!) { embedTokenCreate(input: $input) {
  token errors { __typename message path ... on ValidationError { code } } } }`;

/**
 * The portal: GET /page?email=...&mode=... embeds the widget; GET /token is its backend
 * asking crm-graph for an embed token (with the API key) for the page's own origin.
 * mode=expired hands out expired tokens; mode=short one of 6 seconds, then real ones;
 * record=<ID> binds the tokens to that record.
 */
export async function startPortal(crm, apiKey) {
  const issued = new Map(); // mode -> tokens handed out
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, `http://${request.headers.host}`);
    const mode = url.searchParams.get("mode") ?? "valid";
    if (url.pathname === "/token") {
      const count = (issued.get(mode) ?? 0) + 1;
      issued.set(mode, count);
      const record = url.searchParams.get("record");
      const input = { origin: url.origin, ttlMinutes: 5, ...(record ? { recordId: record } : {}) };
      const payload = (await gql(crm.graphql, apiKey, EMBED, { input })).embedTokenCreate;
      if (!payload.token) {
        response.writeHead(403, { "content-type": "application/json" }).end(JSON.stringify(payload.errors));
        return;
      }
      const token = mode === "expired" ? resign(payload.token, -30, 60)
        : mode === "short" && count === 1 ? resign(payload.token, 6, 6) : payload.token;
      response.writeHead(200, { "content-type": "text/plain" }).end(token);
      return;
    }
    if (url.pathname === "/page") {
      const email = url.searchParams.get("email") ?? "";
      const lang = (url.searchParams.get("lang") ?? "en").replace(/[^A-Za-z-]/g, "");
      response.writeHead(200, { "content-type": "text/html" }).end(`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>Portal</title>
<style>crm-widget { display: block; width: 420px; --crm-accent: rgb(200, 0, 100); --crm-radius: 2px; }</style>
<script src="${crm.url}/widget/crm-widget.js"></script></head>
<body><h1>Partner portal</h1>
<crm-widget server="${crm.url}" tenant="demo" email="${email.replace(/"/g, "")}"></crm-widget>
<script>
  window.tokenRequests = 0;
  document.querySelector("crm-widget").getToken = async () => {
    window.tokenRequests += 1;
    return (await fetch("/token?mode=${mode}&record=${encodeURIComponent(url.searchParams.get("record") ?? "")}")).text();
  };
</script></body></html>`);
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise((done) => server.listen(0, "127.0.0.1", done));
  const port = server.address().port;
  return {
    origin: `http://127.0.0.1:${port}`,
    // The same server under another name is another origin, which the tenant does not allow.
    otherOrigin: `http://localhost:${port}`,
    issued,
    stop: () => new Promise((done) => server.close(done)),
  };
}

export async function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--enable-unsafe-swiftshader", "--disable-background-networking",
      "--disable-component-update", "--no-first-run"],
  });
}
