"""Authentication for the admin REST API: a secret API key or a dashboard session."""

from django.utils.translation import gettext as _
from ninja.security import HttpBearer, SessionAuth

from kairos.accounts.membership import Actor, actor_for
from kairos.accounts.models import ApiKey
from kairos.errors import PermissionDenied


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request, token):
        api_key = ApiKey.authenticate(token) if token.startswith("sk_") else None
        if api_key is None:
            return None
        request.actor = Actor(api_key.organization, api_key.role, api_key=api_key)
        return request.actor


class DashboardSessionAuth(SessionAuth):
    """The dashboard's own JavaScript calls the API with its session (CSRF checked)."""

    def authenticate(self, request, key):
        request.actor = actor_for(request)
        return request.actor


ADMIN_AUTH = [ApiKeyAuth(), DashboardSessionAuth()]


def require(request, permission):
    """Refuse with 403 unless the caller's role grants `permission`; returns the actor."""
    actor = request.auth
    if not actor.can(permission):
        raise PermissionDenied("", _("Your role may not %(permission)s.")
                               % {"permission": permission.replace("_", " ")})
    return actor
