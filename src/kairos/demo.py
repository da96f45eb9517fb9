"""The demo shop behind `kairos demo` and `make run`. Idempotent: run it as often as you like."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from kairos.accounts.models import ApiKey, Organization
from kairos.accounts.roles import Role
from kairos.accounts.services import add_membership, create_organization, ensure_user
from kairos.callbacks.demo_data import work_demo_callbacks
from kairos.campaigns.demo_data import seed_demo_campaigns
from kairos.questionnaires.demo_data import SeedResult, seed_demo_responses

DEMO_SHOP_NAME = "Kairos Demo Shop"
DEMO_EMAIL = "demo@kairos.example"
DEMO_PASSWORD = "kairos-demo"
DEMO_KEY_NAME = "Demo key"


@dataclass
class DemoShop:
    organization: Organization
    email: str
    password: str
    site_key: str
    api_key: str
    responses: SeedResult | None = None  # the sample responses: how many, how many new


def demo_origins(site_url):
    """The demo thank-you page lives on Kairos itself, under either loopback name."""
    origins = {site_url.rstrip("/")}
    for a, b in (("127.0.0.1", "localhost"), ("localhost", "127.0.0.1")):
        origins.add(site_url.rstrip("/").replace(a, b))
    return sorted(origins)


def fresh_demo_key(organization):
    """A new secret for this run; the keys of earlier runs stop working, so every
    `make run` leaves exactly one active demo key rather than a growing pile."""
    now = timezone.now()
    ApiKey.objects.usable().filter(organization=organization, name=DEMO_KEY_NAME).update(
        revoked_at=now)
    _key, secret = ApiKey.issue(organization, DEMO_KEY_NAME)
    return secret


@transaction.atomic
def build_demo_shop(site_url=None, sample_data=False):
    """The demo shop, its owner and keys; `sample_data` adds responses and campaigns."""
    origins = demo_origins(site_url or settings.SITE_URL)
    organization = Organization.objects.filter(name=DEMO_SHOP_NAME).first()
    if organization is None:
        organization = create_organization(
            DEMO_SHOP_NAME, site_origins=origins, country="GR", time_zone="Europe/Athens"
        )
    site_key = organization.site_keys.order_by("id").first()
    site_key.allowed_origins = "\n".join(sorted(set(site_key.origins) | set(origins)))
    site_key.active = True
    site_key.save()
    user = ensure_user(DEMO_EMAIL, DEMO_PASSWORD)
    add_membership(user, organization, Role.OWNER)
    secret = fresh_demo_key(organization)
    responses = None
    if sample_data:
        responses = seed_demo_responses(organization)  # tops up only: no pile-up on re-runs
        if seed_demo_campaigns(organization):  # once: segments, campaigns and their history
            work_demo_callbacks(organization)
    return DemoShop(organization, DEMO_EMAIL, DEMO_PASSWORD, site_key.key, secret, responses)
