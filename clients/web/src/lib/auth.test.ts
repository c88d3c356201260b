import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwtClaims, loadSession, pkceChallenge, saveSession } from './auth';

describe('sign-in', () => {
  it('derives the PKCE S256 challenge: base64url of the SHA-256 of the verifier, unpadded', async () => {
    const verifier = 'dBjftJeZ4CVP-mJ92IZM1lx4u3ZM6TEjDzHoxGMqOxM';
    const challenge = await pkceChallenge(verifier);
    expect(challenge).toBe(createHash('sha256').update(verifier).digest('base64url'));
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('reads a token\'s claims, names in any script included', () => {
    const payload = btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify({ exp: 42, name: '王芳' }))));
    expect(jwtClaims(`x.${payload.replace(/=+$/, '')}.y`)).toEqual({ exp: 42, name: '王芳' });
  });

  it('forgets an expired session', () => {
    saveSession({ token: 't', tenant: 'demo', email: 'a@b', expiresAt: Date.now() - 1 });
    expect(loadSession()).toBeNull();
    saveSession({ token: 't', tenant: 'demo', email: 'a@b', expiresAt: Date.now() + 60_000 });
    expect(loadSession()?.token).toBe('t');
    saveSession(null);
    expect(loadSession()).toBeNull();
  });
});
