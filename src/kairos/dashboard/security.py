"""Headers that make the dashboard harder to attack: what a page may load and run, which
browser features it may use, and that nothing a signed-in person sees is kept in a cache.

HSTS, nosniff and the referrer policy come from Django's SecurityMiddleware (settings.py,
"HTTPS"); this adds what Django 5.2 does not have built in.
"""

import secrets

# The public API, the widget and static files answer shops' pages on every checkout: they
# have their own headers (integrations/cors.py) and stay off this middleware's work.
SKIPPED_PREFIXES = ("/api/public/", "/static/", "/widget")
# The demo shop's thank-you page stands for a shop's own page: it sends the policy a shop
# would (none, or the strict one with ?csp=1), not the dashboard's.
OWN_POLICY_PREFIXES = ("/demo/",)

# Browser features no dashboard page uses: a page injected into cannot use them either.
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
    "payment", "usb",
))


def content_security_policy(nonce):
    """Scripts and styles only from Kairos' own origin, or inline with this response's
    nonce. Style *attributes* are allowed: charts size their bars with them (reports), and
    an attribute can change how a page looks, never run code."""
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


class SecurityHeaders:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(SKIPPED_PREFIXES):
            return self.get_response(request)
        # Templates put it on anything inline: <script nonce="{{ request.csp_nonce }}">.
        request.csp_nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if is_html(response) and not request.path.startswith(OWN_POLICY_PREFIXES):
            response.setdefault("Content-Security-Policy",
                                content_security_policy(request.csp_nonce))
        if is_private(request):
            # Signed-in pages (a new API key's secret among them) and admin API answers:
            # never kept by a browser's history cache or a proxy.
            response["Cache-Control"] = "no-store"
        return response


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


def is_private(request):
    if request.path.startswith("/api/v1/"):
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
