// Runs graphql-http's GraphQL-over-HTTP server audits against one URL and prints
// every result as one JSON array on stdout (tests/http/test_graphql_http_audit.py
// reads it). Every request carries the bearer token: our API answers nothing
// anonymously, so without it each audit would only see a 401.
//
//   CRM_AUDIT_URL=http://127.0.0.1:PORT/graphql CRM_AUDIT_TOKEN=... node audit.mjs
import { serverAudits } from 'graphql-http';

const url = process.env.CRM_AUDIT_URL;
const token = process.env.CRM_AUDIT_TOKEN;
if (!url || !token) {
  console.error('CRM_AUDIT_URL and CRM_AUDIT_TOKEN must be set');
  process.exit(2);
}

function authenticatedFetch(input, init = {}) {
  const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

// What the server answered, so a failure can be understood without re-running it.
async function describe(response) {
  if (!response) return null;
  let body = null;
  try {
    body = (await response.clone().text()).slice(0, 500);
  } catch {
    body = '(body already read)';
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body };
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: authenticatedFetch })) {
  let result;
  try {
    result = await audit.fn();
  } catch (err) {
    // graphql-http throws only on a fatal problem (the server is unreachable, ...).
    result = { id: audit.id, name: audit.name, status: 'error', reason: `audit threw: ${err?.stack ?? err}` };
  }
  results.push({
    id: result.id,
    name: result.name,
    status: result.status,
    reason: result.reason ?? null,
    response: await describe(result.response),
  });
}
process.stdout.write(JSON.stringify(results));
