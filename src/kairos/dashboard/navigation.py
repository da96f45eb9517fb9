"""The dashboard's navigation: one list, filtered by what the signed-in role may open."""

from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kairos.accounts.roles import Permission
from kairos.callbacks.models import open_callback_count


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str
    description: str = ""
    count: int | None = None  # a badge beside the label (the open callback requests)

    @property
    def url(self):
        return reverse(self.url_name)


ITEMS = [
    NavItem(_("Home"), "dashboard:home", Permission.VIEW_REPORTS,
            _("Where the shop stands: responses, NPS, callbacks and campaigns.")),
    NavItem(_("Campaign Overview"), "campaigns:types", Permission.MANAGE_CAMPAIGNS,
            _("Pick a campaign type and launch it for your segments.")),
    NavItem(_("My campaigns"), "campaigns:list", Permission.VIEW_REPORTS,
            _("Everything you run, its status and its performance.")),
    NavItem(_("Segments"), "segments:list", Permission.VIEW_REPORTS,
            _("Groups of customers built from answers and order data.")),
    NavItem(_("Responses"), "questionnaires:responses", Permission.VIEW_REPORTS,
            _("What your customers answered, with NPS and ratings.")),
    NavItem(_("Callbacks"), "callbacks:list", Permission.WORK_CALLBACKS,
            _("Customers who asked to be called back.")),
    NavItem(_("Callbacks report"), "reports:callbacks", Permission.VIEW_REPORTS,
            _("Are unhappy customers called back in time, and does it work?")),
    NavItem(_("Settings"), "settings:organization", Permission.MANAGE_SETTINGS,
            _("Your shop, its keys and its team.")),
]


def visible_items(actor):
    if actor is None:
        return []
    return [item for item in ITEMS if actor.can(item.permission)]


def current_url(items, path):
    """The item the page belongs to: the longest item URL the path starts with, so that
    /settings/keys/ is under Settings and /dashboard/campaigns/types/ is under Campaign
    Overview only. Home (/dashboard/, the start of every path) only for itself."""
    home = reverse("dashboard:home")
    urls = [item.url for item in items if path == item.url or
            (item.url != home and path.startswith(item.url))]
    return max(urls, key=len, default=None)


def with_counts(items, organization):
    """The items with their badges: Callbacks shows the shop's open requests (one indexed
    count, the one the capacity rule reads)."""
    return [replace(item, count=open_callback_count(organization))
            if item.url_name == "callbacks:list" else item for item in items]
