"""The e-mail a new member of a shop receives: who invited them to which shop, as what,
and a link to choose their password (or, for someone who already has an account, to log
in). Written in the shop's language first and then in the other, since the inviter
cannot know which one the new member reads."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from kairos.accounts.roles import Role
from kairos.languages import NATIVE_CHOICES

SEPARATOR = "\n\n" + "—" * 20 + "\n\n"


def send_invitation(request, membership, new_account):
    """Mail the member of `membership`, added by request.user."""
    user, shop = membership.user, membership.organization
    context = {"shop": shop.name, "inviter": inviter_name(request.user),
               "link": request.build_absolute_uri(entry_path(user, new_account)),
               "new_account": new_account,
               "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)}
    subjects, bodies = [], []
    for language in languages(shop):
        with translation.override(language):
            context["role"] = Role(membership.role).label
            subjects.append(render_to_string("accounts/email/invitation_subject.txt",
                                             context).strip())
            bodies.append(render_to_string("accounts/email/invitation.txt", context).strip())
    send_mail(" / ".join(subjects), SEPARATOR.join(bodies) + "\n", None, [user.email])


def entry_path(user, new_account):
    if not new_account:
        return reverse("login")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(user)])


def inviter_name(user):
    return user.get_full_name() or user.email or user.get_username()


def languages(shop):
    """The shop's language first, then the others Kairos speaks."""
    codes = [code for code, _name in NATIVE_CHOICES]
    return sorted(codes, key=lambda code: code != shop.default_language)
