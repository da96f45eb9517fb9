"""Who is calling: the client's address, for login throttling and rate limits.

Behind a reverse proxy every request comes from the proxy, so the client's own address
is in a header the proxy sets. That header is read only when the operator names it
(`CLIENT_ADDRESS_HEADER`): anyone can send the header, so trusting it without a proxy that
overwrites it would let an attacker choose their address and escape every limit.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The calling client's IP address as text (Django request)."""
    return address_in(request.META)


def address_in(environ):
    """The same from a WSGI environ (request.META is one), for code without a request."""
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        address = proxied_address(environ.get(meta_key(header), ""))
        if address:
            return address
    return environ.get("REMOTE_ADDR", "")


def meta_key(header):
    return "HTTP_" + header.upper().replace("-", "_")


def proxied_address(value):
    # X-Forwarded-For is "client, proxy1, …": each proxy appends the address it saw, so
    # only the last entry was written by our own proxy; earlier ones the client may forge.
    candidate = value.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return ""
