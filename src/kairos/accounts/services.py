import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from kairos.accounts.models import Membership, Organization, SiteKey
from kairos.accounts.roles import Role
from kairos.accounts.signals import organization_created
from kairos.errors import Problems


@transaction.atomic
def create_organization(name, owner=None, site_origins=(), **fields):
    """A shop with its owner and a first site key; feature apps add their defaults."""
    organization = Organization(name=name, **fields)
    check_organization(organization)
    organization.save()
    if owner is not None:
        Membership.objects.create(user=owner, organization=organization, role=Role.OWNER)
    SiteKey.objects.create(
        organization=organization, label="Default", allowed_origins="\n".join(site_origins)
    )
    organization_created.send(sender=Organization, organization=organization)
    return organization


def check_organization(organization):
    """Problems naming each field of the shop the database should not store."""
    try:
        organization.full_clean(exclude=["config_version"])
    except ValidationError as invalid:
        raise Problems((field, message) for field, messages in invalid.message_dict.items()
                       for message in messages) from None


def get_or_create_user(email):
    """(user, created). A new user gets a random password nobody knows: Django sends
    password-reset links only to usable passwords, and that link is how they choose one."""
    user, created = get_user_model().objects.get_or_create(
        username=email, defaults={"email": email}
    )
    if created:
        user.set_password(secrets.token_urlsafe(32))
        user.save(update_fields=["password"])
    return user, created


def ensure_user(email, password=None):
    """The user with this email, created if needed; the password is set when given."""
    user, _created = get_or_create_user(email)
    if password is not None:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def add_membership(user, organization, role):
    membership, _created = Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    return membership
