"""The dashboard's answer to a refusal: a page in the user's language, not a traceback.

A view that has a form to show a service's Problems on catches them itself
(campaigns/forms.py, `call_reporting_problems`); whatever refusal reaches this middleware
becomes a page with the error's status. Django's own PermissionDenied is answered here
too: Django would log its full traceback for every 403, and a refused click is not an
error of the server.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kairos.api_errors import API_PREFIXES
from kairos.errors import KairosError

TITLES = {
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    409: gettext_lazy("Already done"),
}


class ErrorPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            return error_page(request, 403, _("Your role may not open this page."))
        if isinstance(exception, KairosError):
            return error_page(request, exception.status, str(exception))
        return None


def error_page(request, status, message):
    title = TITLES.get(status, _("This cannot be done"))
    return render(request, "dashboard/error.html", {"title": title, "message": message},
                  status=status)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without its security token (a page left open past
    its session, cookies refused, or another site posting) — Kairos' 403 page, not
    Django's bare one; JSON under the APIs. Django's `reason` is for developers, not users."""
    message = _("The form's security check failed: the page was open too long or your "
                "browser refused Kairos' cookies. Go back, reload the page and try again.")
    if request.path.startswith(API_PREFIXES):
        return JsonResponse({"detail": _("CSRF: the request has no valid CSRF token (send "
                                         "the X-CSRFToken header, or use an API key)")},
                            status=403)
    return error_page(request, 403, message)
