"""Where the crawler may go: allow-listed hosts only, and no private address.

Every URL (the first and every redirect hop) is checked here before a request is sent.
"""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from crawler.errors import FetchError


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@lru_cache(maxsize=256)
def _addresses(host: str) -> tuple[str, ...]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise FetchError("dns_error", f"cannot resolve {host}: {exc}") from exc
    return tuple(sorted({str(info[4][0]) for info in infos}))


def _is_internal(addr: str) -> bool:
    ip = ipaddress.ip_address(addr.split("%", 1)[0])
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_multicast or ip.is_unspecified)


def check_url(url: str, allowed_hosts: list[str], allow_loopback: bool, *, hop: bool = False) -> None:
    """Raise ``FetchError`` unless ``url`` may be fetched."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError("bad_url", f"scheme not allowed: {url}")
    host = (parts.hostname or "").lower()
    allowed = {h.lower() for h in allowed_hosts}
    if host not in allowed:
        code = "foreign_redirect" if hop else "host_not_allowed"
        raise FetchError(code, f"host {host!r} is not in the allow-list {sorted(allowed)}: {url}")
    if allow_loopback:
        return
    for addr in _addresses(host):
        if _is_internal(addr):
            raise FetchError("private_address",
                             f"{host} resolves to {addr}, a private or loopback address")
