"""A local webhook receiver: verifies crm-graph's Standard Webhooks signatures and
prints each event. Standard library only.

    export WEBHOOK_SECRET=whsec_...        # from webhookCreate (shown once)
    python examples/webhook_receiver.py    # listens on 127.0.0.1:9000

Then, in GraphiQL (run `make run` with CRM_WEBHOOK_ALLOW_PRIVATE=true for a local URL):

    mutation { webhookCreate(input: {url: "http://127.0.0.1:9000/hook", eventTypes: ["*"]}) {
      webhook { id } secret errors { message } } }
and start a worker: `.venv/bin/crm-graph worker`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

TOLERANCE = 5 * 60  # seconds: older or future timestamps are refused (replays)


def verify(secret: str, headers: dict[str, str], body: bytes, now: float | None = None) -> bool:
    """Is `body` signed by `secret` (whsec_...) as the Standard Webhooks spec says?"""
    msg_id, timestamp = headers.get("webhook-id", ""), headers.get("webhook-timestamp", "")
    if not msg_id or not timestamp.isdigit():
        return False
    if abs((now or time.time()) - int(timestamp)) > TOLERANCE:
        return False
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest())
    # During a secret rotation both signatures are sent, space separated.
    for signature in headers.get("webhook-signature", "").split():
        version, _, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            return True
    return False


class Handler(BaseHTTPRequestHandler):
    seen: ClassVar[set[str]] = set()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        if not verify(os.environ["WEBHOOK_SECRET"], headers, body):
            self.send_response(401)
            self.end_headers()
            print("refused: bad signature")
            return
        duplicate = headers["webhook-id"] in self.seen  # retries reuse the id: deduplicate on it
        self.seen.add(headers["webhook-id"])
        event = json.loads(body)
        summary = event.get("event", event)
        print(("duplicate " if duplicate else "") + f"{summary.get('type')} {summary.get('record_id')}",
              json.dumps(event.get("changes") or event.get("data"), default=str)[:200])
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


if __name__ == "__main__":
    print("listening on http://127.0.0.1:9000/hook")
    HTTPServer(("127.0.0.1", 9000), Handler).serve_forever()
