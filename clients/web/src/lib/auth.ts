// Who is signed in, and how one signs in: the dev login's user picker (development
// servers) or OpenID Connect's authorization code flow with PKCE (when configured).

export interface Session {
  token: string;
  tenant: string;
  email: string;
  expiresAt: number; // epoch ms
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  tenantClaim: string;
}

export interface AppConfig {
  devLogin: boolean;
  oidc: OidcConfig | null;
}

export interface DevUser {
  tenant: string;
  email: string;
  name: string;
  roles: string[];
}

const SESSION_KEY = 'crm.session';
const PKCE_KEY = 'crm.pkce';

export function loadSession(storage: Storage = localStorage): Session | null {
  const raw = storage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    return session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null, storage: Storage = localStorage): void {
  if (session) storage.setItem(SESSION_KEY, JSON.stringify(session));
  else storage.removeItem(SESSION_KEY);
}

/** The claims of a JWT, unverified: the server verifies; the app only reads its expiry. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

function expiryOf(token: string): number {
  const exp = jwtClaims(token).exp;
  return typeof exp === 'number' ? exp * 1000 : Date.now() + 3600_000;
}

export async function fetchConfig(): Promise<AppConfig> {
  const response = await fetch('/app/config.json');
  if (!response.ok) return { devLogin: false, oidc: null };
  return (await response.json()) as AppConfig;
}

export async function devUsers(): Promise<DevUser[]> {
  const response = await fetch('/dev/users');
  if (!response.ok) throw new Error(response.statusText);
  return ((await response.json()) as { users: DevUser[] }).users;
}

export async function devLogin(tenant: string, email: string): Promise<Session> {
  const response = await fetch('/dev/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tenant, email }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(body.error ?? response.statusText);
  return { token: body.token, tenant, email, expiresAt: expiryOf(body.token) };
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`OpenID discovery failed: ${response.status}`);
  return (await response.json()) as Discovery;
}

function redirectUri(): string {
  return `${location.origin}/app/callback`;
}

/** Leaves the page for the provider's sign-in; it comes back to /app/callback. */
export async function startOidc(oidc: OidcConfig): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
  const { authorization_endpoint } = await discover(oidc.issuer);
  const url = new URL(authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: oidc.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid email profile',
    state,
    code_challenge: await pkceChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** On /app/callback: trade the code for tokens, checking the state we sent. */
export async function finishOidc(oidc: OidcConfig, search: string): Promise<Session> {
  const params = new URLSearchParams(search);
  const saved = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem(PKCE_KEY);
  if (!saved.verifier || params.get('state') !== saved.state) throw new Error('Sign-in state mismatch');
  const error = params.get('error');
  if (error) throw new Error(params.get('error_description') ?? error);
  const { token_endpoint } = await discover(oidc.issuer);
  const response = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') ?? '',
      redirect_uri: redirectUri(),
      client_id: oidc.clientId,
      code_verifier: saved.verifier,
    }),
  });
  const body = (await response.json()) as { access_token?: string; id_token?: string };
  // The API checks audience and tenant claims; an id_token carries them when the
  // access token is opaque.
  const token = [body.access_token, body.id_token].find((t) => t && t.split('.').length === 3);
  if (!response.ok || !token) throw new Error('The provider returned no usable token');
  const claims = jwtClaims(token);
  return {
    token,
    tenant: String(claims[oidc.tenantClaim] ?? ''),
    email: String(claims.email ?? ''),
    expiresAt: expiryOf(token),
  };
}
