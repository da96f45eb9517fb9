import hashlib
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kairos.accounts.roles import Role, may_hand_out
from kairos.errors import PermissionDenied
from kairos.languages import native_choices

MAX_RETENTION_MONTHS = 240
# A shop's own public API limit per window: above this, no limit in all but name.
MAX_PUBLIC_RATE_LIMIT = 1_000_000


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(value)s"), params={"value": value})


# The callbacks' SLA every shop starts with (checked and used in callbacks/sla.py).
DEFAULT_SLA = {
    "first_contact_hours": 48, "warn_before_hours": 4,
    "business_hours": {**{day: ["09:00", "17:00"] for day in ("mon", "tue", "wed", "thu", "fri")},
                       "sat": None, "sun": None},
}


def default_sla():
    return {**DEFAULT_SLA, "business_hours": dict(DEFAULT_SLA["business_hours"])}


class Organization(models.Model):
    """A shop: every piece of shop data hangs off one of these."""

    name = models.CharField(max_length=200)
    country = models.CharField(max_length=2, default="GR", help_text=_("ISO 3166 code, e.g. GR"))
    time_zone = models.CharField(
        max_length=64, default="Europe/Athens", validators=[validate_time_zone]
    )
    default_language = models.CharField(max_length=2, choices=native_choices, default="el")
    # {"campaigns": N, "days": D, "hours": H, "exempt_types": [...]} or None: at most N
    # campaigns shown to one customer per period, across campaigns (campaigns/budget.py).
    contact_budget = models.JSONField(null=True, blank=True)
    # Privacy (kairos/privacy): personal data older than this many months is pseudonymised
    # (None: kept until erased), and the shop's own metadata keys that name a person
    # (["responder.address", …]) beside the built-in identities (kairos/personal_data.py).
    retention_months = models.PositiveSmallIntegerField(
        _("retention (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_RETENTION_MONTHS)],
        help_text=_("Empty: kept until erased"))
    personal_fields = models.JSONField(default=list, blank=True)
    # When a callback request is due: {"first_contact_hours", "warn_before_hours",
    # "business_hours"} (callbacks/sla.py).
    sla = models.JSONField(default=default_sla)
    # Requests its site keys may send the public API per window, from all addresses
    # together; empty: the server's PUBLIC_RATE_LIMIT_PER_SITE_KEY (integrations/rate_limits).
    # Its help text names the configured window: public_rate_limit_help().
    public_rate_limit = models.PositiveIntegerField(
        _("public API limit"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_PUBLIC_RATE_LIMIT)])
    created_at = models.DateTimeField(default=timezone.now)
    # Moved by every write of the shop's configuration (accounts/config_version.py), so
    # app processes can cheaply tell whether their in-memory copy is stale.
    config_version = models.PositiveBigIntegerField(default=1)

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The shop's own fields (time zone, language, country) are configuration too. The
        # version moves in the same UPDATE, from the stored value: a copy read before some
        # other change must never write an older version back.
        if not self._state.adding:
            self.config_version = F("config_version") + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "config_version"}
        super().save(*args, **kwargs)
        if not isinstance(self.config_version, int):
            self.refresh_from_db(fields=["config_version"])


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.REPORTING)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership")
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.role})"


def new_site_key():
    return "pk_" + secrets.token_urlsafe(18)


class SiteKey(models.Model):
    """Public key embedded in the shop's page; only identifies the shop."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="site_keys"
    )
    key = models.CharField(max_length=64, unique=True, default=new_site_key)
    label = models.CharField(max_length=100, blank=True)
    # One origin per line, e.g. https://shop.example.com
    allowed_origins = models.TextField(blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key

    @property
    def origins(self):
        return [o.strip().rstrip("/") for o in self.allowed_origins.splitlines() if o.strip()]

    def allows_origin(self, origin):
        return origin.rstrip("/") in self.origins


def hash_secret(secret):
    # Secrets are long random tokens, so a fast unsalted hash is enough to make a
    # leaked database useless without making each API call pay for a slow KDF.
    return hashlib.sha256(secret.encode()).hexdigest()


def public_rate_limit_help():
    """What Organization.public_rate_limit means, in the window the server counts in."""
    return gettext("Requests your site keys may send per %(window)s, from all visitors "
                   "together (429 beyond it). Empty: the server's default, %(default)s.") % {
        "window": window_words(settings.PUBLIC_RATE_LIMIT_WINDOW),
        "default": settings.PUBLIC_RATE_LIMIT_PER_SITE_KEY or gettext("no limit")}


def window_words(seconds):
    """A rate limit's window as read after "per": "minute", "5 minutes", "90 seconds"."""
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("hour", "%(count)d hours", hours) % {"count": hours}
    if seconds % 60 == 0:
        minutes = seconds // 60
        return ngettext("minute", "%(count)d minutes", minutes) % {"count": minutes}
    return ngettext("second", "%(count)d seconds", seconds) % {"count": seconds}


KEY_ABOVE_CREATOR = _("A key cannot carry more than its creator's role: ask an owner for "
                      "an Owner key.")


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True)


class ApiKey(models.Model):
    """Secret key for the admin REST API. Shown once, stored hashed."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_keys"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, help_text=_("First characters, to recognise it"))
    hashed_key = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.ADMIN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, organization, name, role=Role.ADMIN, created_by=None, creator_role=None):
        """Create a key; returns (api_key, secret). The secret is never stored.

        `creator_role`: the role of whoever asks; the key may not carry more than it."""
        if creator_role is not None and not may_hand_out(creator_role, role):
            raise PermissionDenied("role", str(KEY_ABOVE_CREATOR))
        secret = "sk_" + secrets.token_urlsafe(32)
        api_key = cls.objects.create(
            organization=organization,
            name=name,
            prefix=secret[:10],
            hashed_key=hash_secret(secret),
            role=role,
            created_by=created_by,
        )
        return api_key, secret

    @classmethod
    def authenticate(cls, secret):
        api_key = (
            cls.objects.usable()
            .select_related("organization")
            .filter(hashed_key=hash_secret(secret))
            .first()
        )
        if api_key:
            api_key.touch()
        return api_key

    def touch(self):
        # Write at most once a minute: last-used is for humans, not an audit trail.
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > 60:
            ApiKey.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now

    def revoke(self):
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
