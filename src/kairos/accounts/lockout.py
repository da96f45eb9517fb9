"""The answer to a login attempt while its account or address is locked (django-axes).

Axes' backend refuses the attempt before Django's backend hashes the password, so a
locked attacker costs a database read, not a million PBKDF2 rounds.
"""

from django.conf import settings
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    context = {"minutes": settings.LOGIN_LOCK_MINUTES}
    response = render(request, "registration/locked_out.html", context, status=429)
    # The lock runs from the failure that set it, so it ends at most this long from now.
    response["Retry-After"] = str(seconds)
    return response


def attempted_account(request, credentials):
    """The account an attempt counts against: e-mails sign in, whatever their case."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()
