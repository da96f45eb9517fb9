"""Settings → Webhooks: subscriptions, their secrets and their delivery log."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kairos.accounts.membership import member_required
from kairos.accounts.roles import Permission
from kairos.errors import Problems
from kairos.integrations import webhooks
from kairos.integrations.models import Delivery, Subscription
from kairos.integrations.webhook_forms import WebhookForm
from kairos.worker.health import worker_health

SETTINGS = Permission.MANAGE_SETTINGS
DELIVERIES_PER_PAGE = 25


def subscription_of(request, pk):
    return get_object_or_404(Subscription, pk=pk, organization=request.actor.organization)


@member_required(SETTINGS)
def webhook_list(request):
    organization = request.actor.organization
    form = WebhookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription, secret = webhooks.create_subscription(
                organization, form.cleaned_data, created_by=request.user)
        except Problems as problems:
            form.add_problems(problems)
        else:
            # Rendered, not redirected: this page is the only time the secret is shown.
            messages.success(request, _("Webhook created."))
            return detail_page(request, subscription, new_secret=secret)
    context = {"form": form, "health": worker_health(),
               "subscriptions": organization.webhooks.all(),
               "waiting": Delivery.objects.filter(organization=organization,
                                                  status=Delivery.Status.PENDING).count()}
    return render(request, "webhooks/list.html", context)


@member_required(SETTINGS)
def webhook_detail(request, pk):
    subscription = subscription_of(request, pk)
    if request.method != "POST":
        return detail_page(request, subscription)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            webhooks.update_subscription(subscription, form.cleaned_data)
        except Problems as problems:
            form.add_problems(problems)
        else:
            messages.success(request, _("Webhook saved."))
            return redirect("webhooks:detail", subscription.pk)
    subscription.refresh_from_db()
    return detail_page(request, subscription, form=form)


def detail_page(request, subscription, form=None, new_secret=None):
    initial = {name: getattr(subscription, name) for name in webhooks.EDITABLE}
    deliveries = subscription.deliveries.prefetch_related("log")
    page = Paginator(deliveries, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    context = {"subscription": subscription, "form": form or WebhookForm(initial=initial),
               "page": page, "new_secret": new_secret}
    return render(request, "webhooks/detail.html", context)


@require_POST
@member_required(SETTINGS)
def webhook_test(request, pk):
    webhooks.send_test(subscription_of(request, pk))
    messages.success(request, _("Test message queued: it appears in the log below within "
                                "seconds."))
    return redirect("webhooks:detail", pk)


@require_POST
@member_required(SETTINGS)
def webhook_replay(request, pk, delivery_pk):
    subscription = subscription_of(request, pk)
    delivery = get_object_or_404(Delivery, pk=delivery_pk, subscription=subscription)
    try:
        webhooks.replay(delivery)
    except Problems:
        messages.error(request, _("This webhook is off: switch it on before replaying."))
    else:
        messages.success(request, _("Queued again, with the same webhook-id."))
    return redirect("webhooks:detail", pk)


@require_POST
@member_required(SETTINGS)
def webhook_rotate(request, pk):
    subscription = subscription_of(request, pk)
    with transaction.atomic():
        secret = webhooks.rotate_secret(subscription)
    messages.success(request, _("New secret made. The old one keeps signing for 24 hours."))
    return detail_page(request, subscription, new_secret=secret)


@require_POST
@member_required(SETTINGS)
def webhook_delete(request, pk):
    subscription_of(request, pk).delete()
    messages.success(request, _("Webhook deleted."))
    return redirect("webhooks:list")
