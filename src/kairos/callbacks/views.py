"""The callbacks workspace: the queue an agent works from, and one request with the
customer's card and the buttons that work it. Nothing saves but an explicit button."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.callbacks import queue
from kairos.callbacks.customer import customer_card, customer_of, time_window_label
from kairos.callbacks.forms import QueueFilterForm, workers
from kairos.callbacks.models import CallbackRequest

CALLBACKS_PER_PAGE = 50
MORE_FILTERS = ("campaign", "store", "from", "to", "overdue")  # folded away when unused
STATUS_BADGES = {"new": "warn", "in_progress": "info", "resolved": "ok"}


@dataclass(frozen=True)
class QueueItem:
    """One request as the queue shows it (a table row on a desk, a card on a phone)."""

    callback: CallbackRequest
    customer: dict
    preferred_time: str

    @property
    def badge(self):
        return STATUS_BADGES.get(self.callback.status, "")

    @property
    def url(self):
        return reverse("callbacks:detail", args=[self.callback.pk])


@dataclass(frozen=True)
class StatusTab:
    key: str  # "" for the open ones: the queue's default
    label: str
    count: int
    current: bool


def filter_form_for(request):
    organization = request.actor.organization
    mine = CallbackRequest.objects.filter(organization=organization)
    campaigns = (organization.campaigns.filter(pk__in=mine.values("campaign_id"))
                 .order_by("title", "id"))
    stores = (mine.exclude(response__store_id__isnull=True).exclude(response__store_id="")
              .order_by("response__store_id")
              .values_list("response__store_id", flat=True).distinct())
    return QueueFilterForm(request.GET, organization=organization, campaigns=campaigns,
                           stores=stores, members=workers(organization))


@member_required(Permission.WORK_CALLBACKS)
def callback_list(request):
    """The queue: by default the open requests, overdue first, then the oldest."""
    organization, user = request.actor.organization, request.user
    filter_form = filter_form_for(request)
    now = timezone.now()
    # Invalid filters show their errors and no requests, never a list that looks filtered.
    filters = filter_form.queue_filters() if filter_form.is_valid() else None
    matching = (queue.callback_queue(organization, user, filters, now) if filters
                else CallbackRequest.objects.none())
    counts = queue.status_counts(organization, user, filters, now) if filters else {}
    page = Paginator(matching, CALLBACKS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "filter_form": filter_form, "page": page, "now": now,
        "more_filters": any(request.GET.get(name) for name in MORE_FILTERS),
        "tabs": status_tabs(organization, filters, counts),
        "items": [QueueItem(c, customer_of(c), time_window_label(c.preferred_time))
                  for c in page],
    }
    return render(request, "callbacks/list.html", context)


def status_tabs(organization, filters, counts):
    current = filters.status if filters else None
    tabs = [StatusTab("", _("Open"), counts.get(queue.OPEN, 0), current == queue.OPEN)]
    return tabs + [StatusTab(key, label, counts.get(key, 0), current == key)
                   for key, label, _open in queue.statuses(organization)]


@member_required(Permission.WORK_CALLBACKS)
def callback_detail(request, pk):
    """One request: the customer's card, the work on it and its history."""
    callback = get_object_or_404(
        CallbackRequest.objects.select_related("response__questionnaire_version", "campaign",
                                               "assignee", "organization"),
        pk=pk, organization=request.actor.organization)
    context = {"callback": callback, "card": customer_card(callback),
               "overdue": queue.is_overdue(callback),
               "badge": STATUS_BADGES.get(callback.status, "")}
    return render(request, "callbacks/detail.html", context)
