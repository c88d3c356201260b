"""OpenID Connect bearer tokens (RS256 / ES256) verified against the issuer's JWKS.

PyJWT's JWKS client is synchronous, so fetches run in a worker thread. Keys are
cached by `kid`; an unknown `kid` refetches the set (the issuer rotated its keys),
but at most once per REFETCH_AFTER, so tokens with made-up kids cannot turn every
request into a request to the issuer.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jwt
from jwt import PyJWK, PyJWKClient

ALGORITHMS = ("RS256", "ES256")
REFETCH_AFTER = 30.0  # seconds between fetches caused by an unknown kid
MAX_KEY_AGE = 3600.0  # refetch even known keys after this, so a withdrawn key stops working
LEEWAY = 30  # seconds of clock skew tolerated between the issuer and us


class TokenRefused(Exception):
    """The token is not one the configured issuer signed for us, or has expired."""


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    audience: str
    jwks_url: str


class KeySet:
    """The issuer's signing keys by kid, fetched lazily and refreshed as described above."""

    def __init__(self, jwks_url: str) -> None:
        self._client = PyJWKClient(jwks_url, cache_jwk_set=False, timeout=5)
        self._keys: dict[str, PyJWK] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def _refresh(self) -> None:
        try:
            keys = await asyncio.to_thread(self._client.get_signing_keys)
        except jwt.PyJWKClientError as exc:
            # Keep serving the keys we have: an issuer outage should not log everyone out.
            self._fetched_at = time.monotonic()
            if not self._keys:
                raise TokenRefused("The identity provider's keys could not be fetched.") from exc
            return
        self._keys = {k.key_id: k for k in keys if k.key_id}
        self._fetched_at = time.monotonic()

    async def key(self, kid: str | None) -> PyJWK:
        age = time.monotonic() - self._fetched_at
        if age > MAX_KEY_AGE or (kid not in self._keys and age > REFETCH_AFTER):
            async with self._lock:
                # Another request may have refreshed while this one waited.
                age = time.monotonic() - self._fetched_at
                if age > MAX_KEY_AGE or (kid not in self._keys and age > REFETCH_AFTER):
                    await self._refresh()
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))  # the header may omit kid when there is one key
        found = self._keys.get(kid) if kid is not None else None
        if found is None:
            raise TokenRefused("The token is signed with an unknown key.")
        return found


@lru_cache(maxsize=8)
def key_set(jwks_url: str) -> KeySet:
    """One key set per URL for the process, shared by every request."""
    return KeySet(jwks_url)


async def verify(config: OidcConfig, token: str, header: dict[str, Any]) -> dict[str, Any]:
    """The token's claims, once signature, issuer, audience and expiry check out."""
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise TokenRefused("The token's algorithm is not accepted.")
    key = await key_set(config.jwks_url).key(header.get("kid"))
    # The key decides the algorithm: an RSA key never verifies an ES256 header and so on.
    if key.algorithm_name != alg:
        raise TokenRefused("The token's algorithm does not match its key.")
    try:
        return jwt.decode(
            token,
            key.key,
            algorithms=[alg],
            audience=config.audience,
            issuer=config.issuer,
            leeway=LEEWAY,
            options={"require": ["exp", "iss", "aud"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenRefused("The token has expired.") from exc
    except jwt.PyJWTError as exc:
        raise TokenRefused("The token is not valid.") from exc
