"""The address of the client a request came from.

Behind a reverse proxy every request comes from the proxy, so the client's own address
is in a header the proxy sets; but any client can send that header itself, so it is read
only when the operator names it (CLIENT_ADDRESS_HEADER, e.g. X-Forwarded-For) because
a proxy they run sets it. The proxy appends the address it saw: the last entry is the one
to trust.
"""

from django.conf import settings


def client_address(request):
    return address_in(request.META)


def address_in(meta):
    """The same, from a WSGI environ or a request's META."""
    header = settings.CLIENT_ADDRESS_HEADER
    if header:
        forwarded = meta.get("HTTP_" + header.upper().replace("-", "_"), "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return meta.get("REMOTE_ADDR", "")
