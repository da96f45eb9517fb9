"""Roles and what each may do. Views and the API both ask `can(role, permission)`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    ADMIN = "admin", _("Admin")
    CAMPAIGN_MANAGER = "campaign_manager", _("Campaign Manager")
    REPORTING = "reporting", _("Reporting User")
    AGENT = "agent", _("Agent")


class Permission(models.TextChoices):
    VIEW_REPORTS = "view_reports"  # responses, segments, campaigns, performance (read)
    MANAGE_CAMPAIGNS = "manage_campaigns"  # segments, campaigns, questionnaires (write)
    WORK_CALLBACKS = "work_callbacks"  # the callbacks inbox
    MANAGE_SETTINGS = "manage_settings"  # keys, users, organisation settings
    MANAGE_OWNERS = "manage_owners"  # grant or remove the Owner role
    # Customers' names, e-mails, phones and the shop's flagged fields, unmasked.
    VIEW_PERSONAL_DATA = "view_personal_data"
    MANAGE_PERSONAL_DATA = "manage_personal_data"  # export and erase one customer


_ALL = set(Permission)
GRANTS = {
    Role.OWNER: _ALL,
    Role.ADMIN: _ALL - {Permission.MANAGE_OWNERS},
    Role.CAMPAIGN_MANAGER: {
        Permission.VIEW_REPORTS,
        Permission.MANAGE_CAMPAIGNS,
        Permission.WORK_CALLBACKS,
        Permission.VIEW_PERSONAL_DATA,
    },
    # Statistics need no people: Reporting users see personal data masked.
    Role.REPORTING: {Permission.VIEW_REPORTS},
    # Agents call the customer back: the customer card shows who.
    Role.AGENT: {Permission.WORK_CALLBACKS, Permission.VIEW_PERSONAL_DATA},
}


def can(role, permission):
    return permission in GRANTS.get(role, ())


def may_hand_out(giver_role, role):
    """Whether someone with `giver_role` may give `role` to a key: never more than they hold
    (an Admin's key cannot be an Owner's)."""
    return GRANTS.get(role, set()) <= GRANTS.get(giver_role, set())
