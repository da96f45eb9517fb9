"""Where a webhook may point: no loopback, private or link-local address (SSRF).

A URL is checked when it is saved and again, resolved, at every delivery — and the
request goes to the address that was checked, so a DNS answer that changes in between
(DNS rebinding) cannot turn a webhook against the network Kairos runs in. The operator
may allow private addresses (WEBHOOK_ALLOW_PRIVATE_URLS), e.g. for an internal CRM.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

MAX_URL_LENGTH = 2000


class RefusedURL(ValueError):
    """Why a webhook URL may not be used (the message names no field)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as in the URL: the Host header and the TLS server name
    port: int
    address: str  # the checked IP address the request connects to
    path: str  # path and query

    @property
    def host_header(self):
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def parse(url):
    if len(url) > MAX_URL_LENGTH:
        raise RefusedURL(f"longer than {MAX_URL_LENGTH} characters")
    if not url.isprintable():  # control characters, lone surrogates
        raise RefusedURL("contains control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RefusedURL("not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefusedURL("must be an http:// or https:// URL with a host")
    if parts.username is not None or parts.password is not None:
        raise RefusedURL("must not contain a user name or password")
    port = port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    return parts.scheme, parts.hostname, port, path + (f"?{parts.query}" if parts.query else "")


def is_public(address):
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url):
    """The URL's target, at a checked address; raises RefusedURL."""
    scheme, host, port, path = parse(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError, ValueError):
        raise RefusedURL(f"the host {host} does not resolve") from None
    addresses = [info[4][0] for info in found]
    if not settings.WEBHOOK_ALLOW_PRIVATE_URLS and not all(map(is_public, addresses)):
        raise RefusedURL("resolves to a loopback, private or link-local address, which "
                         "this server does not allow")
    return Target(scheme, host, port, addresses[0], path)
