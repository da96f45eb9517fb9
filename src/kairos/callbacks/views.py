"""The callbacks workspace: the queue an agent works from, and one request with the
customer's card and the buttons that work it. Nothing saves but an explicit button."""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.callbacks import export, queue, services
from kairos.callbacks.customer import customer_card, customer_of, time_window_label
from kairos.callbacks.forms import (
    AssignForm,
    AttemptForm,
    CommentForm,
    QueueFilterForm,
    ResolveForm,
    StatusForm,
    workers,
)
from kairos.callbacks.models import CallbackHistory, CallbackRequest
from kairos.campaigns.views.performance import csv_response
from kairos.errors import KairosError, Problems
from kairos.questionnaires.reports import store_ids

CALLBACKS_PER_PAGE = 50
MORE_FILTERS = ("campaign", "store", "from", "to", "overdue")  # folded away when unused
STATUS_BADGES = {"new": "warn", "in_progress": "info", "resolved": "ok"}


@dataclass(frozen=True)
class QueueItem:
    """One request as the queue shows it (a table row on a desk, a card on a phone)."""

    callback: CallbackRequest
    customer: dict
    preferred_time: str
    status_title: str

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
    # The shop's stores, read from the responses' index one seek per store: the stores of
    # the requests alone took a scan of every request's response.
    stores = store_ids(organization)
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
    titles = status_titles(organization)
    context = {
        "filter_form": filter_form, "page": page, "now": now,
        "more_filters": any(request.GET.get(name) for name in MORE_FILTERS),
        "tabs": status_tabs(titles, filters, counts),
        "items": [QueueItem(c, customer_of(c), time_window_label(c.preferred_time),
                            titles.get(c.status, c.status)) for c in page],
    }
    return render(request, "callbacks/list.html", context)


@member_required(Permission.WORK_CALLBACKS)
def callback_export(request):
    """The queue as filtered, as CSV (callbacks/export.py); invalid filters: the queue's
    page with their errors."""
    organization = request.actor.organization
    filter_form = filter_form_for(request)
    if not filter_form.is_valid():
        return redirect(f"{reverse('callbacks:list')}?{request.GET.urlencode()}")
    now = timezone.now()
    matching = queue.callback_queue(organization, request.user, filter_form.queue_filters(),
                                    now)
    rows = export.export_rows(matching, organization, now)
    return csv_response(export.filename(organization, now), export.HEADER, rows)


def status_tabs(titles, filters, counts):
    current = filters.status if filters else None
    tabs = [StatusTab("", _("All open"), counts.get(queue.OPEN, 0), current == queue.OPEN)]
    return tabs + [StatusTab(key, title, counts.get(key, 0), current == key)
                   for key, title in titles.items()]


def shop_callback(request, pk):
    return get_object_or_404(
        CallbackRequest.objects.select_related("response__questionnaire_version", "campaign",
                                               "assignee", "organization"),
        pk=pk, organization=request.actor.organization)


@member_required(Permission.WORK_CALLBACKS)
def callback_detail(request, pk):
    """One request: the customer's card, the buttons that work it, and its history."""
    return render_detail(request, shop_callback(request, pk))


def render_detail(request, callback, failed=None, status=200):
    """The request's page; `failed`: {name: bound form} whose errors are to be shown."""
    organization = request.actor.organization
    titles = status_titles(organization)
    context = {
        "callback": callback, "card": customer_card(callback),
        "overdue": queue.is_overdue(callback), "badge": STATUS_BADGES.get(callback.status, ""),
        "status_title": titles.get(callback.status, callback.status),
        "work": work_forms(organization, callback, failed or {}),
        "attempts": callback.attempts.all(), "comments": callback.comments.all(),
        "history": history_entries(callback, titles),
        "undone_kind": CallbackHistory.Kind.UNDONE.label,
    }
    return render(request, "callbacks/detail.html", context, status=status)


def work_forms(organization, callback, failed):
    blank = {
        "assign": AssignForm(members=workers(organization), initial={
            "assignee": callback.assignee.email if callback.assignee else queue.ME}),
        "attempt": AttemptForm(), "comment": CommentForm(),
        "resolve": ResolveForm(initial={"resolution": callback.resolution}),
        "status": StatusForm(organization=organization,
                             initial={"status": callback.status}),
    }
    return {**blank, **failed}


def status_titles(organization):
    return {key: title for key, title, _open in queue.statuses(organization)}


@dataclass(frozen=True)
class HistoryEntry:
    kind: str
    who: str
    when: object
    changes: list  # (field label, before, after) in words
    undone: bool


FIELD_LABELS = {"status": gettext_lazy("Status"), "outcome": gettext_lazy("Outcome"),
                "resolution": gettext_lazy("Resolution"), "assignee": gettext_lazy("Assignee")}


def history_entries(callback, titles):
    """Who did what and when, newest first, in words (the clock fields left out)."""
    outcomes = dict(CallbackRequest.Outcome.choices)
    words = {"status": lambda key: titles.get(key, key),
             "outcome": lambda key: outcomes.get(key, key)}
    return [HistoryEntry(
        kind=row.get_kind_display(), who=row.actor_label, when=row.created_at,
        changes=[(FIELD_LABELS[name], in_words(words, name, before), in_words(words, name, after))
                 for name, (before, after) in row.changes.items() if name in FIELD_LABELS],
        undone=row.undone) for row in callback.history.order_by("-created_at", "-id")]


def in_words(words, name, value):
    if value in (None, ""):
        return "—"
    return words.get(name, str)(value)


# ---- the buttons: each an explicit POST, answered by the request's page ------------------

def work(form_class, name, apply):
    """A view for one button: validate the form, call the service, say what happened.

    Invalid input or the service's Problems are shown on the request's page beside the
    form; other refusals (nothing to undo, not yours to undo) as a message."""

    @require_POST
    @member_required(Permission.WORK_CALLBACKS)
    def view(request, pk):
        callback = shop_callback(request, pk)
        form = bound_form(form_class, request, callback)
        if form.is_valid():
            try:
                message = apply(callback, request.actor, **form.cleaned_data)
            except Problems as problems:
                add_problems(form, problems)
            except KairosError as refusal:
                messages.error(request, str(refusal))
                return redirect(next_page(request, callback))
            else:
                messages.success(request, message)
                return redirect(next_page(request, callback))
        return render_detail(request, callback, {name: form}, status=422)

    view.__name__ = f"callback_{name}"
    return view


def bound_form(form_class, request, callback):
    organization = request.actor.organization
    if form_class is AssignForm:
        return AssignForm(request.POST, members=workers(organization))
    if form_class is StatusForm:
        return StatusForm(request.POST, organization=organization)
    return form_class(request.POST)


def add_problems(form, problems):
    for field, message in problems.problems:
        form.add_error(field if field in form.fields else None, message)


def next_page(request, callback):
    """Back where the button was pressed (the queue's "Take it"), never off the site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse("callbacks:detail", args=[callback.pk])


def assigned(callback, actor, assignee):
    services.assign(callback, actor, assignee)
    if callback.assignee is None:
        return _("Nobody is assigned to this request now.")
    return _("Assigned to %(email)s.") % {"email": callback.assignee.email}


def attempted(callback, actor, outcome, note):
    attempt = services.log_attempt(callback, actor, outcome, note)
    return _("Call attempt logged: %(outcome)s.") % {"outcome": attempt.get_outcome_display()}


def commented(callback, actor, text):
    services.add_comment(callback, actor, text)
    return _("Comment added.")


def resolved(callback, actor, resolution):
    services.resolve(callback, actor, resolution)
    return _("Resolved.")


def status_set(callback, actor, status):
    services.set_status(callback, actor, status)
    return _("The status is now “%(status)s”.") % {
        "status": status_titles(callback.organization).get(status, status)}


def reopened(callback, actor):
    services.reopen(callback, actor)
    return _("Reopened.")


def undone(callback, actor):
    services.undo_last(callback, actor)
    return _("The last change was undone.")


callback_assign = work(AssignForm, "assign", assigned)
callback_attempt = work(AttemptForm, "attempt", attempted)
callback_comment = work(CommentForm, "comment", commented)
callback_resolve = work(ResolveForm, "resolve", resolved)
callback_status = work(StatusForm, "status", status_set)
callback_reopen = work(forms.Form, "reopen", reopened)
callback_undo = work(forms.Form, "undo", undone)
