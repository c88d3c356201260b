// Starts clients/live_server.py (a real crm-graph on a free port: fresh database, demo
// data, API and worker) and stops it. Needs the repository's .venv (make venv).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const PYTHON = process.env.CRM_PYTHON ?? resolve(ROOT, ".venv/bin/python");

export interface LiveServer {
  url: string;
  graphql: string;
  stop(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}, args: string[] = []): Promise<LiveServer> {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run \`make venv\` at the repository root`);
  const child: ChildProcess = spawn(PYTHON, [resolve(ROOT, "clients/live_server.py"), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  const first = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", done);
    child.once("exit", (code) => fail(new Error(`live_server.py exited with ${code} before serving`)));
  });
  const info = JSON.parse(first) as { url: string; graphql: string };
  return {
    ...info,
    async stop() {
      child.stdin!.end(); // EOF: it stops the API and worker and drops its database
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A dev-login token for a demo user (the server runs with CRM_DEV_LOGIN=true). */
export async function devToken(baseUrl: string, email: string, tenant = "demo"): Promise<string> {
  const response = await fetch(`${baseUrl}/dev/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ tenant, email }),
  });
  if (!response.ok) throw new Error(`dev login for ${email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
