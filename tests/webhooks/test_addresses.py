"""Webhook URLs reach public addresses only: every special-purpose range of the IANA
registries, every IPv6 form that wraps an IPv4 address and the cloud metadata
addresses are refused; every resolved address is checked; and the connection goes to
the address that was checked, even when the name answers differently the next time."""

from __future__ import annotations

import ipaddress
import json
from typing import Any

import pytest
import sqlalchemy as sa

from crm_graph.platform.webhooks import addresses, delivery
from crm_graph.platform.webhooks.service import url_problem

# One address inside each block of the IANA IPv4 and IPv6 special-purpose registries
# (and multicast), beside the forms that wrap IPv4 and the metadata services.
REFUSED = [
    "0.0.0.0",
    "0.1.2.3",
    "10.0.0.1",
    "100.64.0.1",
    "100.127.255.254",
    "127.0.0.1",
    "127.8.8.8",
    "169.254.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.0.0.1",
    "192.0.0.8",
    "192.0.0.9",
    "192.0.0.10",
    "192.0.0.170",
    "192.0.0.171",
    "192.0.2.1",
    "192.31.196.1",
    "192.52.193.1",
    "192.88.99.1",
    "192.168.1.1",
    "192.175.48.1",
    "198.18.0.1",
    "198.19.255.255",
    "198.51.100.1",
    "203.0.113.1",
    "224.0.0.1",
    "224.0.1.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:8.8.8.8",
    "::127.0.0.1",
    "::8.8.8.8",
    "64:ff9b::7f00:1",
    "64:ff9b::808:808",
    "64:ff9b:1::1",
    "100::1",
    "100:0:0:1::1",
    "2001::1",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "2001:1::1",
    "2001:1::2",
    "2001:1::3",
    "2001:2::1",
    "2001:3::1",
    "2001:4:112::1",
    "2001:10::1",
    "2001:20::1",
    "2001:30::1",
    "2001:db8::1",
    "2002:7f00:1::1",
    "2002:808:808::1",
    "2620:4f:8000::1",
    "3fff::1",
    "5f00::1",
    "fc00::1",
    "fd00::1",
    "fe80::1",
    "fec0::1",
    "ff02::1",
    "ff0e::1",
    # Metadata services: AWS, ECS, Azure's wire server (public space), Alibaba, Oracle, AWS over IPv6.
    "169.254.169.254",
    "169.254.170.2",
    "168.63.129.16",
    "100.100.100.200",
    "192.0.0.192",
    "fd00:ec2::254",
]
ALLOWED = ["8.8.8.8", "93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:82b::200e"]


@pytest.mark.parametrize("address", REFUSED)
def test_special_purpose_and_embedded_addresses_are_refused(address):
    assert addresses.address_problem(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_pass(address):
    assert addresses.address_problem(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "127.1.2.3", "::1"])
def test_the_development_flag_lets_plain_loopback_through(address):
    assert addresses.address_problem(ipaddress.ip_address(address), allow_loopback=True) is None


@pytest.mark.parametrize(
    "address", ["::ffff:127.0.0.1", "2002:7f00:1::1", "64:ff9b::7f00:1", "10.0.0.1", "169.254.169.254", "100.64.0.1"]
)
def test_the_development_flag_lets_nothing_else_through(address):
    assert addresses.address_problem(ipaddress.ip_address(address), allow_loopback=True) is not None


def _resolver(*answers: list[str]) -> Any:
    """A resolver answering `answers` in turn (the last one again when they run out)."""
    calls: list[str] = []

    async def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return answers[min(len(calls), len(answers)) - 1]

    resolve.calls = calls  # type: ignore[attr-defined]
    return resolve


@pytest.mark.parametrize(
    "url",
    [
        "http://[::ffff:7f00:1]/x",
        "http://[2002:7f00:1::1]/x",
        "http://100.64.1.1/x",
        "http://[64:ff9b::a9fe:a9fe]/latest",
        "http://168.63.129.16/x",
        "http://user:pw@example.com/x",
        "gopher://x/",
    ],
)
async def test_urls_are_refused_at_creation(url):
    assert await url_problem(url, allow_private=False, resolve=_resolver(["8.8.8.8"])) is not None


@pytest.mark.parametrize("url", ["http://0x7f000001/x", "http://2130706433/x", "http://localhost/x"])
async def test_names_the_system_resolves_to_loopback_are_refused(url):
    assert await url_problem(url, allow_private=False) is not None


async def test_every_resolved_address_is_checked():
    mixed = _resolver(["8.8.8.8", "10.0.0.5"])
    assert await url_problem("https://hooks.example.com/x", allow_private=False, resolve=mixed) is not None
    public = _resolver(["8.8.8.8", "2606:4700:4700::1111"])
    assert await url_problem("https://hooks.example.com/x", allow_private=False, resolve=public) is None


async def test_a_rebinding_name_is_checked_and_connected_to_once_per_attempt(gql, tenant, ctx, receiver):
    """The name answers loopback (allowed in tests) the first time, the metadata address
    after: the request must still reach the receiver at the address that was checked,
    with the name in Host, and the name must be asked once per attempt."""
    port = receiver.url.rsplit(":", 1)[1].split("/")[0]
    url = f"http://rebind.invalid:{port}/hook"
    ctx["resolve"] = _resolver(["127.0.0.1"], ["169.254.169.254"])
    out = (
        await gql(
            """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) { errors { message } } }""",
            {"i": {"url": receiver.url, "eventTypes": ["organization.created"]}},
        )
    )["webhookCreate"]
    assert out["errors"] == []
    async with ctx["engine"].begin() as conn:
        await conn.execute(sa.text("UPDATE webhooks SET url = :u WHERE tenant_id = :t"), {"u": url, "t": tenant.id})
    await gql("""mutation { organizationCreate(input: {name: "Acme"}) { errors { message } } }""")
    await delivery.webhook_fanout(ctx, tenant.id)
    await delivery.retry_due_deliveries(ctx, tenant.id)
    assert ctx["resolve"].calls == ["rebind.invalid"]
    assert len(receiver.requests) == 1
    assert receiver.requests[0].headers["host"] == f"rebind.invalid:{port}"
    assert json.loads(receiver.requests[0].body)["type"] == "organization.created"


async def test_a_name_that_turns_to_metadata_is_refused_at_delivery(gql, tenant, ctx, receiver, engine):
    port = receiver.url.rsplit(":", 1)[1].split("/")[0]
    out = (
        await gql(
            """mutation($i: WebhookCreateInput!) { webhookCreate(input: $i) { errors { message } } }""",
            {"i": {"url": receiver.url, "eventTypes": ["organization.created"]}},
        )
    )["webhookCreate"]
    assert out["errors"] == []
    async with engine.begin() as conn:
        await conn.execute(
            sa.text("UPDATE webhooks SET url = :u WHERE tenant_id = :t"),
            {"u": f"http://rebind.invalid:{port}/hook", "t": tenant.id},
        )
    ctx["resolve"] = _resolver(["169.254.169.254"])
    await gql("""mutation { organizationCreate(input: {name: "Acme"}) { errors { message } } }""")
    await delivery.webhook_fanout(ctx, tenant.id)
    await delivery.retry_due_deliveries(ctx, tenant.id)
    assert receiver.requests == []
    async with engine.connect() as conn:
        error = (
            await conn.execute(
                sa.text("SELECT last_error FROM webhook_deliveries WHERE tenant_id = :t"), {"t": tenant.id}
            )
        ).scalar()
    assert error.startswith("Refused:") and "metadata" in error
