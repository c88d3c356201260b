"""examples/webhook_receiver.py accepts what crm-graph signs, and nothing else (it
verifies with the Python client's helper, crm_graph_client.verify)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from crm_graph.platform.webhooks import signing

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "webhook_receiver.py"


def _receiver():
    spec = importlib.util.spec_from_file_location("webhook_receiver", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_verifies_our_signatures():
    receiver = _receiver()
    secret, old = signing.new_secret(), signing.new_secret()
    body = b'{"type": "organization.created"}'
    headers = signing.headers([secret], "msg_1", 1_800_000_000, body)
    assert receiver.verify(secret, headers, body, now=1_800_000_000) == {"type": "organization.created"}
    rotating = signing.headers([secret, old], "msg_1", 1_800_000_000, body)
    assert receiver.verify(old, rotating, body, now=1_800_000_000) == {"type": "organization.created"}


def test_the_example_refuses_tampering_replays_and_other_secrets():
    receiver = _receiver()
    secret = signing.new_secret()
    body = b'{"type": "organization.created"}'
    headers = signing.headers([secret], "msg_1", 1_800_000_000, body)
    for refused in (
        lambda: receiver.verify(secret, headers, body + b" ", now=1_800_000_000),
        lambda: receiver.verify(signing.new_secret(), headers, body, now=1_800_000_000),
        lambda: receiver.verify(secret, headers, body, now=1_800_000_000 + 3600),
    ):
        with pytest.raises(receiver.WebhookVerificationError):
            refused()
