"""A local webhook receiver: verifies crm-graph's Standard Webhooks signatures with the
Python client's helper (crm_graph_client.verify) and prints each event.

    export WEBHOOK_SECRET=whsec_...        # from webhookCreate (shown once)
    PYTHONPATH=clients/python/src python examples/webhook_receiver.py    # listens on 127.0.0.1:9000

Then, in GraphiQL (run `make run` with CRM_WEBHOOK_ALLOW_PRIVATE=true for a local URL):

    mutation { webhookCreate(input: {url: "http://127.0.0.1:9000/hook", eventTypes: ["*"]}) {
      webhook { id } secret errors { message } } }
and start a worker: `.venv/bin/crm-graph worker`.
"""

from __future__ import annotations

import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

from crm_graph_client import WebhookVerificationError, verify


class Handler(BaseHTTPRequestHandler):
    seen: ClassVar[set[str]] = set()

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            event = verify(os.environ["WEBHOOK_SECRET"], headers, body)
        except WebhookVerificationError as refused:
            self.send_response(401)
            self.end_headers()
            print(f"refused: {refused}")
            return
        duplicate = headers["webhook-id"] in self.seen  # retries reuse the id: deduplicate on it
        self.seen.add(headers["webhook-id"])
        summary = event.get("event", event)
        print(
            ("duplicate " if duplicate else "") + f"{summary.get('type')} {summary.get('record_id')}",
            json.dumps(event.get("changes") or event.get("data"), default=str)[:200],
        )
        self.send_response(204)
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


if __name__ == "__main__":
    print("listening on http://127.0.0.1:9000/hook")
    HTTPServer(("127.0.0.1", 9000), Handler).serve_forever()
