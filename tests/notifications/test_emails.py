"""Notification e-mails: through the outbox, in the shop's language, linking to the thing."""

import json
import socket

import pytest
from campaigns.helpers import campaign, segment, submit
from django.core import mail
from django.test import Client
from django_tasks_db.models import DBTaskResult
from webhook_helpers import work

from kairos.accounts.roles import Role
from kairos.accounts.services import add_membership, ensure_user

CALLBACK = {"type": "callback_request", "phone_number": "691 234 5678", "consent": True,
            "preferred_time": "morning", "note": "about order A-1001"}


def ask_for_a_call(organization):
    campaign(organization, [segment(organization)])
    shown = submit(organization, nps=2)["campaign"]
    body = {"site_key": organization.site_keys.get().key, **CALLBACK}
    response = Client().post(f"/api/public/v1/impressions/{shown['impression_id']}/actions",
                             json.dumps(body), content_type="application/json")
    assert response.status_code == 201


def member(organization, email, role):
    add_membership(ensure_user(email), organization, role)


def test_a_callback_request_nobody_watches_is_mailed_to_those_who_work_callbacks(alice):
    shop = alice.organization
    member(shop, "admin@example.com", Role.ADMIN)
    member(shop, "reports@example.com", Role.REPORTING)
    member(shop, "agent@example.com", Role.AGENT)
    ask_for_a_call(shop)
    assert mail.outbox == []  # nothing is sent in the request: the worker sends it
    work()
    assert sorted(email.to[0] for email in mail.outbox) == ["admin@example.com",
                                                            "agent@example.com",
                                                            "alice@example.com"]
    email = mail.outbox[0]
    assert email.subject == "Alice Shop: ένας πελάτης ζήτησε να τον καλέσετε"
    assert "+306912345678" in email.body and "about order A-1001" in email.body
    callback = shop.callback_requests.get()
    assert f"http://127.0.0.1:8000/dashboard/callbacks/{callback.pk}/" in email.body
    assert "http://127.0.0.1:8000/dashboard/notifications/" in email.body  # the settings


def test_an_english_shop_gets_english_e_mails(alice):
    shop = alice.organization
    shop.default_language = "en"
    shop.save()
    ask_for_a_call(shop)
    work()
    [email] = mail.outbox
    assert email.subject == "Alice Shop: a customer asked to be called back"
    assert email.body.startswith("A customer asked to be called back at +306912345678.")


def test_another_shops_members_are_not_told(alice, bob):
    ask_for_a_call(alice.organization)
    work()
    assert [email.to for email in mail.outbox] == [["alice@example.com"]]


def test_a_mail_server_that_is_down_is_tried_again_later(alice, settings):
    with socket.socket() as probe:  # a port nobody listens on: the server is down
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    ask_for_a_call(alice.organization)
    work()
    later = DBTaskResult.objects.get(status="READY")
    assert later.task_path == "kairos.notifications.tasks.send_notification"
    assert later.args_kwargs["args"][2] == 2  # the second attempt, a minute later
    assert DBTaskResult.objects.filter(status="FAILED").count() == 0


@pytest.mark.parametrize("role", [Role.CAMPAIGN_MANAGER, Role.REPORTING])
def test_members_who_do_not_answer_callbacks_are_not_mailed(alice, role):
    member(alice.organization, "someone@example.com", role)
    ask_for_a_call(alice.organization)
    work()
    assert [email.to for email in mail.outbox] == [["alice@example.com"]]
