"""CORS for the public API: only the origins a shop configured for its site key.

The public endpoints decide per request (they know the site key) and set
`request.cors_origin`; this middleware turns that into headers and answers preflights,
which carry no site key, for any origin that some active site key allows.
"""

from django.http import HttpResponse

from kairos.accounts.models import SiteKey

PUBLIC_PREFIX = "/api/public/"


def origin_allowed_by_any_key(origin):
    # Preflights are rare next to the requests they precede (browsers cache them).
    return SiteKey.objects.filter(active=True, allowed_origins__contains=origin).exists()


class PublicCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PUBLIC_PREFIX):
            return self.get_response(request)
        origin = request.headers.get("Origin")
        if request.method == "OPTIONS" and origin:
            return self.preflight(origin)
        request.cors_origin = None
        response = self.get_response(request)
        if origin and request.cors_origin == origin:
            response["Access-Control-Allow-Origin"] = origin
            response["Vary"] = "Origin"
        return response

    def preflight(self, origin):
        response = HttpResponse(status=204)
        if origin_allowed_by_any_key(origin.rstrip("/")):
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Content-Type, Idempotency-Key"
            response["Access-Control-Max-Age"] = "86400"
        response["Vary"] = "Origin"
        return response
