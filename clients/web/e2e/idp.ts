// A small OpenID provider for the sign-in test: discovery, an authorization endpoint
// that signs in one configured user at once, a token endpoint that checks PKCE, and
// the JWKS the crm-graph server verifies the RS256 tokens with.
import { createHash, createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export const CLIENT_ID = 'crm-web';
export const OIDC_USER = { email: 'rep2@demo.example', tenant: 'demo' };

interface Pending { challenge: string; redirectUri: string }

function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

async function body(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

export async function startIdp(): Promise<{ issuer: string; server: Server; tokensIssued: () => number }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = b64url(randomBytes(8));
  const pending = new Map<string, Pending>();
  let issued = 0;
  let issuer = '';

  const sign = (claims: Record<string, unknown>) => {
    const input = `${b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }))}.${b64url(JSON.stringify(claims))}`;
    return `${input}.${b64url(createSign('RSA-SHA256').update(input).sign(privateKey))}`;
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      response.end(JSON.stringify(value));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, { issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks` });
    }
    if (url.pathname === '/jwks') {
      return json(200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
    }
    if (url.pathname === '/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== CLIENT_ID || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
        return json(400, { error: 'invalid_request' });
      }
      const code = b64url(randomBytes(16));
      pending.set(code, { challenge: q.get('code_challenge') ?? '', redirectUri: q.get('redirect_uri') ?? '' });
      const back = new URL(q.get('redirect_uri') ?? '');
      back.search = new URLSearchParams({ code, state: q.get('state') ?? '' }).toString();
      response.writeHead(302, { location: back.toString() });
      return response.end();
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      const form = new URLSearchParams(await body(request));
      const grant = pending.get(form.get('code') ?? '');
      pending.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (!grant || grant.redirectUri !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) {
        return json(400, { error: 'invalid_grant' });
      }
      issued += 1;
      const now = Math.floor(Date.now() / 1000);
      const token = sign({ iss: issuer, aud: CLIENT_ID, sub: 'oidc-user', iat: now, exp: now + 600, email_verified: true, ...OIDC_USER });
      return json(200, { access_token: token, id_token: token, token_type: 'Bearer', expires_in: 600 });
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return { issuer, server, tokensIssued: () => issued };
}
