"""Where a webhook may connect: only globally routable addresses, checked at every
attempt, and the connection pinned to the address that was checked.

Refusing listed ranges lets through whatever the list forgot, so an address must be
`is_global` AND outside every block of the IANA special-purpose registries (the
registries mark a few blocks "globally reachable"; none of them is a webhook
receiver) AND not multicast AND not a known cloud metadata address AND, for IPv6,
not a form that wraps an IPv4 address (IPv4-mapped and -compatible, 6to4, NAT64,
Teredo): such a form reaches whatever IPv4 address it wraps, loopback included.

The host name is resolved once per attempt by `resolve` and the request is sent to
the first address that passed, with the URL's host kept in `Host` and in the TLS
server name: a resolver that answers differently the second time (DNS rebinding)
never gets a second question.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

IP = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

# https://www.iana.org/assignments/iana-ipv4-special-registry and ...-ipv6-special-registry
SPECIAL_PURPOSE = tuple(
    ipaddress.ip_network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.31.196.0/24",
        "192.52.193.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "192.175.48.0/24",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "255.255.255.255/32",
        "::/128",
        "::1/128",
        "::/96",
        "::ffff:0:0/96",
        "64:ff9b::/96",
        "64:ff9b:1::/48",
        "100::/64",
        "100:0:0:1::/64",
        "2001::/23",
        "2001:db8::/32",
        "2002::/16",
        "2620:4f:8000::/48",
        "3fff::/20",
        "5f00::/16",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    )
)
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated, yet still routed by some stacks
# Cloud metadata services. Most sit in ranges refused above; Azure's wire server
# (168.63.129.16) is in public space, so it is named.
METADATA = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "168.63.129.16",
        "100.100.100.200",
        "192.0.0.192",
        "fd00:ec2::254",
    )
)


def address_problem(ip: IP, *, allow_loopback: bool = False) -> str | None:
    """Why a webhook may not connect to `ip`, or None. `allow_loopback` (tests and
    local development only) lets plain 127.0.0.0/8 and ::1 through, nothing else."""
    if allow_loopback and ip.is_loopback:
        return None
    if ip in METADATA:
        return "Resolves to a cloud metadata address."
    if isinstance(ip, ipaddress.IPv6Address) and (
        ip.ipv4_mapped is not None or ip.sixtofour is not None or ip.teredo is not None or ip in IPV4_COMPATIBLE
    ):
        return "Resolves to an IPv6 address that wraps an IPv4 address."
    if not ip.is_global or ip.is_multicast or any(ip in net for net in SPECIAL_PURPOSE):
        return "Resolves to an address that is not publicly routable."
    return None


async def system_resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # The address is text for AF_INET/AF_INET6 (an int only for AF_UNIX-like families).
    return list(dict.fromkeys(str(info[4][0]).split("%", 1)[0] for info in infos))  # an IPv6 zone dropped


@dataclass(frozen=True)
class Target:
    """A URL checked for delivery, and the address to connect to."""

    url: str
    host: str
    address: str


def url_syntax_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return "Not a valid URL."
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Must be an http or https URL."
    if parts.username or parts.password:
        return "Must not contain credentials."
    return None


async def check(url: str, *, allow_loopback: bool, resolve: Resolver = system_resolve) -> Target | str:
    """The Target of `url` (every address it resolves to passed), or why it is refused."""
    problem = url_syntax_problem(url)
    if problem:
        return problem
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        literal: IP | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = await resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError):
            return "The host name does not resolve."
    if not addresses:
        return "The host name does not resolve."
    for address in addresses:
        try:
            problem = address_problem(ipaddress.ip_address(address), allow_loopback=allow_loopback)
        except ValueError:
            problem = "The host name resolves to something that is not an address."
        if problem:
            return problem
    return Target(url, host, addresses[0])


def pinned_request(client: httpx.AsyncClient, target: Target, body: bytes, headers: dict[str, str]) -> httpx.Request:
    """A POST to `target.url` whose connection goes to `target.address`: the URL's
    host is replaced by the address, `Host` and the TLS server name keep the name (so
    certificates are checked against it)."""
    url = httpx.URL(target.url)
    request = client.build_request(
        "POST",
        url.copy_with(host=target.address),
        content=body,
        headers={**headers, "host": url.netloc.decode("ascii")},
    )
    if url.scheme == "https":
        request.extensions["sni_hostname"] = target.host
    return request
