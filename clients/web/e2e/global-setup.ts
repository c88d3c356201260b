// Starts a real crm-graph (API, worker, demo data) on a free port for the whole run,
// unless E2E_BASE_URL names one already running. PostgreSQL and Redis are embedded in
// a temporary directory, or, with CRM_DATABASE_URL (the server's maintenance database),
// a fresh database is created on that server and dropped afterwards.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLIENT_ID, startIdp } from './idp';

const ROOT = resolve(import.meta.dirname, '../../..');
const PYTHON = process.env.CRM_PYTHON ?? join(ROOT, '.venv/bin/python');

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function python(code: string, env: NodeJS.ProcessEnv): string {
  const run = spawnSync(PYTHON, ['-c', code], { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return run.stdout.trim();
}

async function waitForReady(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`crm-graph exited with ${server.exitCode}:\n${log()}`);
    try {
      const response = await fetch(`${url}/dev/users`);
      if (response.ok && ((await response.json()) as { users: unknown[] }).users.length > 0) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`crm-graph did not start:\n${log()}`);
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (process.env.E2E_BASE_URL) return async () => {};
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
  const port = await freePort();
  // Sign-in by OpenID Connect too, against a local provider (the dev login stays on).
  const idp = await startIdp();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CRM_OIDC_ISSUER: idp.issuer,
    CRM_OIDC_AUDIENCE: CLIENT_ID,
    CRM_OIDC_JWKS_URL: `${idp.issuer}/jwks`,
    CRM_DATA_DIR: dataDir,
    CRM_DEV_LOGIN: 'true',
    CRM_LOG_JSON: 'false',
    CRM_LOG_LEVEL: process.env.CRM_LOG_LEVEL ?? 'WARNING',
    CRM_EMBEDDED_REDIS_PORT: '0',
  };
  let dropDatabase = async () => {};
  if (process.env.CRM_DATABASE_URL) {
    const maintenance = process.env.CRM_DATABASE_URL;
    const name = `crm_e2e_${process.pid}_${Date.now()}`;
    const helper = 'import asyncio, sys; from crm_graph.kernel.embedded import create_database, drop_database as d;';
    env.CRM_DATABASE_URL = python(`${helper} print(asyncio.run(create_database(sys.argv[1] if len(sys.argv)>1 else ${JSON.stringify(maintenance)}, ${JSON.stringify(name)})))`, env);
    dropDatabase = async () => {
      python(`${helper} asyncio.run(d(${JSON.stringify(maintenance)}, ${JSON.stringify(name)}))`, process.env);
    };
  }
  let output = '';
  const server = spawn(PYTHON, ['-m', 'crm_graph', 'run', '--port', String(port)], { cwd: ROOT, env, detached: true });
  server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitForReady(url, server, () => output);
  process.env.E2E_BASE_URL = url;
  process.env.E2E_OIDC_ISSUER = idp.issuer;

  return async () => {
    // SIGINT: crm-graph stops its worker and the embedded services it started.
    server.kill('SIGINT');
    await new Promise<void>((done) => {
      const timer = setTimeout(() => {
        server.kill('SIGKILL');
        done();
      }, 30_000);
      server.once('exit', () => {
        clearTimeout(timer);
        done();
      });
    });
    idp.server.close();
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
