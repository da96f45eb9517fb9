"""Resolving the site key of a public request: one small query, on every request.

The key's row and its shop's `config_version` come from one indexed join; the shop
itself (name, country, time zone…) is reused from process memory while its version is
unchanged, since every change to it bumps the version.
"""

from dataclasses import dataclass

from kairos.accounts.models import Organization
from kairos.db import driver

LOOKUP = (
    "SELECT s.allowed_origins, o.id, o.config_version FROM accounts_sitekey s "
    "JOIN accounts_organization o ON o.id = s.organization_id "
    "WHERE s.key = %s AND s.active"
)


@dataclass(frozen=True)
class ResolvedKey:
    organization: Organization
    origins: tuple[str, ...]

    def allows_origin(self, origin):
        return origin.rstrip("/") in self.origins


_shops: dict[int, Organization] = {}


def resolve_site_key(key):
    """The active key and its shop, or None."""
    row = driver.fetch_one(LOOKUP, [key])
    if row is None:
        return None
    allowed_origins, organization_id, version = row
    origins = tuple(o.strip().rstrip("/") for o in allowed_origins.splitlines() if o.strip())
    return ResolvedKey(shop(organization_id, version), origins)


def shop(organization_id, version):
    cached = _shops.get(organization_id)
    if cached is None or cached.config_version != version:
        cached = _shops[organization_id] = Organization.objects.get(pk=organization_id)
    return cached


def forget_shops():
    _shops.clear()
