"""Verifying crm-graph's webhook requests (Standard Webhooks: HMAC-SHA256 over
`{webhook-id}.{webhook-timestamp}.{body}`, keyed by the base64 part of `whsec_...`)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

TOLERANCE_SECONDS = 5 * 60  # older or future timestamps are refused: a captured request cannot be replayed


class WebhookVerificationError(Exception):
    """The request is not signed by the secret, or too old or too new."""


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `v1,<base64>` signature crm-graph sends for this request."""
    try:
        key = base64.b64decode(secret.removeprefix("whsec_"), validate=True)
    except binascii.Error as exc:
        raise WebhookVerificationError("The secret is not a whsec_ base64 key.") from exc
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None,
           tolerance: int = TOLERANCE_SECONDS) -> dict[str, Any]:
    """The event in `body`, once its signature and timestamp check out; raises
    WebhookVerificationError otherwise. `headers` may use any case. During a secret
    rotation crm-graph sends two signatures: either one is enough."""
    lowered = {k.lower(): v for k, v in headers.items()}
    msg_id, timestamp = lowered.get("webhook-id", ""), lowered.get("webhook-timestamp", "")
    if not msg_id or not timestamp.isdigit():
        raise WebhookVerificationError("Missing webhook-id or webhook-timestamp header.")
    if abs((time.time() if now is None else now) - int(timestamp)) > tolerance:
        raise WebhookVerificationError("The timestamp is outside the tolerance (a replay?).")
    expected = sign(secret, msg_id, int(timestamp), body).encode()
    for signature in lowered.get("webhook-signature", "").split():
        if hmac.compare_digest(signature.encode(), expected):
            event: dict[str, Any] = json.loads(body)
            return event
    raise WebhookVerificationError("No signature matches the secret.")
