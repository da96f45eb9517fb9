"""Reading and changing the shop's settings (one set of rules for the API and the
dashboard)."""

from django.utils.translation import gettext as _

from kairos.accounts.services import check_organization
from kairos.errors import PermissionDenied, Problems
from kairos.shop.sections import SECTIONS


def shop_settings(organization):
    return {name: getattr(organization, name) for name in SECTIONS}


def update_shop(organization, changes, actor):
    """Apply only the given settings, each checked and allowed for the actor's role;
    all or nothing."""
    refused = [name for name in changes if not actor.can(SECTIONS[name].permission)]
    if refused:
        raise PermissionDenied(refused[0], _("your role may not change it"))
    problems = []
    for name, value in changes.items():
        try:
            setattr(organization, name, SECTIONS[name].clean(value))
        except Problems as found:
            problems += found.problems
    if problems:
        raise Problems(problems)
    check_organization(organization)
    organization.save(update_fields=list(changes))  # moves the configuration version
    return organization

