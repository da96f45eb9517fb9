"""Admin REST API: /api/v1/shop, the shop's settings."""

from django.conf import settings
from ninja import Field, Router, Schema

from kairos.accounts.api_auth import require
from kairos.accounts.models import MAX_PUBLIC_RATE_LIMIT, MAX_RETENTION_MONTHS
from kairos.accounts.roles import Permission
from kairos.boundary.schemas import Input, omittable
from kairos.engine.budget import MAX_CAMPAIGNS, MAX_DAYS
from kairos.shop.services import shop_settings, update_shop

router = Router(tags=["shop"])
BUDGET_HELP = ("At most `campaigns` campaigns shown to one customer (by e-mail, phone, "
               "customer id or device) per period, across campaigns and on top of each "
               "campaign's frequency cap: `days` calendar days of the shop, today included "
               "(from midnight in its time zone), or else the last `hours` hours. Every "
               "showing counts, control impressions included; campaigns of `exempt_types` "
               "(and campaigns marked budget_exempt) neither count nor are stopped. "
               "null: no budget.")
RETENTION_HELP = ("Personal data older than this many months is pseudonymised with a keyed "
                  "one-way hash (a campaign's own retention_months wins for what it "
                  "collected). null: kept until erased.")
PERSONAL_FIELDS_HELP = ("The shop's own metadata fields that name a person, beside the "
                        "built-in e-mail, phone, name and customer id: masked for roles "
                        "without access to personal data, pseudonymised by retention, e.g. "
                        '["responder.address"].')

# The window is the server's setting, so the words follow it.
PUBLIC_RATE_LIMIT_HELP = (
    f"Requests the shop's site keys may send the public API per "
    f"{settings.PUBLIC_RATE_LIMIT_WINDOW} seconds (the server's PUBLIC_RATE_LIMIT_WINDOW), "
    f"from all addresses together; beyond it 429 with Retry-After. Each client address "
    f"has its own limit besides. null: the server's default "
    f"(PUBLIC_RATE_LIMIT_PER_SITE_KEY, now {settings.PUBLIC_RATE_LIMIT_PER_SITE_KEY}; "
    f"0 there means none).")


class ContactBudget(Input):
    campaigns: int = Field(ge=1, le=MAX_CAMPAIGNS)
    days: int = Field(0, ge=0, le=MAX_DAYS)
    hours: int = Field(0, ge=0, le=MAX_DAYS * 24)
    exempt_types: list[str] = Field(default_factory=list, max_length=50)


SLA_HELP = ("When a callback request is due: `first_contact_hours` business hours after it "
            "came (counted only within `business_hours`, in the shop's time zone, skipping "
            "its country's public holidays); members are warned `warn_before_hours` real "
            "hours before (0: no warning). Fields left out take their defaults.")
Hours = list[str] | None


class BusinessHoursIn(Input):
    mon: Hours = None
    tue: Hours = None
    wed: Hours = None
    thu: Hours = None
    fri: Hours = None
    sat: Hours = None
    sun: Hours = None


class Sla(Input):
    first_contact_hours: int = Field(48, ge=1, le=2000)
    warn_before_hours: int = Field(4, ge=0, le=168)
    business_hours: BusinessHoursIn = omittable(
        description='{"mon": ["09:00", "17:00"], …, "sun": null}; a day left out or null '
                    'is closed')


class ShopOut(Schema):
    name: str
    country: str
    time_zone: str
    default_language: str
    contact_budget: ContactBudget | None = Field(description=BUDGET_HELP)
    retention_months: int | None = Field(description=RETENTION_HELP)
    personal_fields: list[str] = Field(description=PERSONAL_FIELDS_HELP)
    sla: Sla = Field(description=SLA_HELP)
    public_rate_limit: int | None = Field(description=PUBLIC_RATE_LIMIT_HELP)


class ShopPatch(Input):
    """Only the settings given change; contact_budget null means no budget."""

    name: str = omittable(min_length=1, max_length=200)
    country: str = omittable(min_length=2, max_length=2)
    time_zone: str = omittable(max_length=64)
    default_language: str = omittable(max_length=2)
    contact_budget: ContactBudget | None = omittable(description=BUDGET_HELP)
    retention_months: int | None = omittable(ge=1, le=MAX_RETENTION_MONTHS,
                                             description=RETENTION_HELP)
    personal_fields: list[str] = omittable(max_length=50, description=PERSONAL_FIELDS_HELP)
    sla: Sla = omittable(description=SLA_HELP)
    public_rate_limit: int | None = omittable(ge=1, le=MAX_PUBLIC_RATE_LIMIT,
                                              description=PUBLIC_RATE_LIMIT_HELP)


@router.get("/shop", response=ShopOut)
def get_shop(request):
    actor = require(request, Permission.VIEW_REPORTS)
    return shop_settings(actor.organization)


@router.patch("/shop", response=ShopOut)
def patch_shop(request, payload: ShopPatch):
    actor = require(request, Permission.VIEW_REPORTS)
    update_shop(actor.organization, payload.model_dump(exclude_unset=True), actor)
    return shop_settings(actor.organization)
