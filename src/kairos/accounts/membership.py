"""Which organisation a signed-in user is acting for, and what they may do there."""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from kairos.accounts.models import Membership, Organization
from kairos.accounts.roles import can

SESSION_KEY = "organization_id"


@dataclass(frozen=True)
class Actor:
    """Who is calling: a dashboard user or an API key, always inside one organisation."""

    organization: Organization
    role: str
    user: object = None
    api_key: object = None

    def can(self, permission):
        return can(self.role, permission)


def current_membership(request):
    if not request.user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=request.user).select_related("organization")
    chosen = request.session.get(SESSION_KEY)
    return memberships.filter(organization_id=chosen).first() or memberships.order_by("id").first()


def actor_for(request):
    membership = current_membership(request)
    if membership is None:
        return None
    return Actor(membership.organization, membership.role, user=request.user)


def member_required(permission=None):
    """Dashboard view decorator: signed in, member of an organisation, allowed to do this.

    `permission=None` admits any member (every role may see the overview)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.actor = actor_for(request)
            if request.actor is None or (permission and not request.actor.can(permission)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
