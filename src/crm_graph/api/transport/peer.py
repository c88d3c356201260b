"""Who sent a request, as far as we may believe it: the client's address (taken from
`X-Forwarded-For` only when the connection comes from a configured proxy) and the
request id (the caller's `X-Request-Id` only when it is short and plain)."""

from __future__ import annotations

import ipaddress
import random
import re

from starlette.types import Scope

# Parsed where the settings are checked (the kernel), used here to trust proxies.
from crm_graph.kernel.settings import Network, parse_networks

__all__ = ["Network", "TrustedProxies", "parse_networks", "request_id"]

# Ids go into the audit log, log lines and error messages: a bounded, printable set
# (what UUIDs, ULIDs and the usual tracing ids use), nothing a log viewer could misread.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def new_request_id() -> str:
    """An id for a request that brings none (or an unusable one): 128 random bits from
    `random` (seeded from the OS, reseeded in a forked child), without uuid4's system
    call per request. It only has to be unique, not secret."""
    return f"{random.getrandbits(128):032x}"


def request_id(header: str | None) -> str:
    """The caller's id when it is 1-128 characters of letters, digits and `._:-`;
    otherwise a new one, so a stored id is never the caller's arbitrary text."""
    if header and REQUEST_ID.fullmatch(header):
        return header
    return new_request_id()


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip()
    if value.startswith("["):  # [v6]:port
        value = value[1 : value.find("]")] if "]" in value else value
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


class TrustedProxies:
    """Rewrites a connection's client address from `X-Forwarded-For` when, and only
    when, the peer is one of the configured proxies. The address used is the
    right-most one not itself a trusted proxy: everything left of it was written by
    the client and proves nothing. No proxies configured: the header is ignored."""

    def __init__(self, networks: tuple[Network, ...]) -> None:
        self.networks = networks

    def trusted(self, host: str | None) -> bool:
        address = _address(host) if host else None
        return address is not None and any(address in network for network in self.networks)

    def apply(self, scope: Scope) -> None:
        if not self.networks:
            return
        client = scope.get("client")
        if not client or not self.trusted(client[0]):
            return
        forwarded = [value.decode("latin-1") for name, value in scope["headers"] if name == b"x-forwarded-for"]
        hops = [hop.strip() for hop in ",".join(forwarded).split(",") if hop.strip()]
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                return  # garbage in the chain: keep the proxy's own address
            if not self.trusted(str(address)):
                scope["client"] = (str(address), 0)
                return
        if hops:  # every hop is a proxy of ours: the left-most is the closest to the client
            scope["client"] = (str(_address(hops[0])), 0)
