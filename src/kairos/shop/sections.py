"""Each setting of /api/v1/shop: who may change it and how a new value is checked.

Settings live on the shop (accounts.Organization), so saving one moves the shop's
configuration version and every app process picks it up. To add a setting: a field on
Organization, a Section here, and the field in api.py's ShopOut and ShopPatch.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kairos.accounts.places import is_country
from kairos.accounts.roles import Permission
from kairos.callbacks.sla import clean_sla
from kairos.campaigns.budget import clean_contact_budget
from kairos.errors import Problems
from kairos.personal_data import clean_personal_fields


@dataclass(frozen=True)
class Section:
    permission: Permission
    clean: Callable = lambda value: value  # the value to store; raises Problems


def not_null(name):
    """A text setting: given, and storable by every database (no NUL, no lone surrogate)."""

    def clean(value):
        if value is None:
            raise Problems([(name, _("may not be null"))])
        if "\x00" in value or not storable(value):
            raise Problems([(name, _("contains characters that cannot be stored"))])
        return value.strip()

    return clean


def storable(text):
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def country(value):
    code = not_null("country")(value).upper()
    if not is_country(code):
        raise Problems([("country", _("is not a country code (ISO 3166, e.g. GR)"))])
    return code


SECTIONS = {
    "name": Section(Permission.MANAGE_SETTINGS, not_null("name")),
    "country": Section(Permission.MANAGE_SETTINGS, country),
    "time_zone": Section(Permission.MANAGE_SETTINGS, not_null("time_zone")),
    "default_language": Section(Permission.MANAGE_SETTINGS, not_null("default_language")),
    # The marketers' own rule across their campaigns, so theirs to set.
    "contact_budget": Section(Permission.MANAGE_CAMPAIGNS, clean_contact_budget),
    # Whose data is kept how long is the data controller's call (kairos/privacy).
    "retention_months": Section(Permission.MANAGE_PERSONAL_DATA),
    "personal_fields": Section(Permission.MANAGE_PERSONAL_DATA, clean_personal_fields),
    # The promise the shop makes to customers who ask for a call: the managers'.
    "sla": Section(Permission.MANAGE_SETTINGS, clean_sla),
    # What the shop's site keys may send the public API per window (null: the server's);
    # bounded by the model's validators (1…MAX_PUBLIC_RATE_LIMIT), as in the dashboard.
    "public_rate_limit": Section(Permission.MANAGE_SETTINGS),
}
