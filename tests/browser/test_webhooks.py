"""Settings → Webhooks in a real browser: create one, copy its secret, send a test event and
see it delivered in the log — then the same page in Greek."""

import re

import pytest
from playwright.sync_api import expect
from standardwebhooks import Webhook
from webhook_helpers import work
from webhook_receiver import receiving

from kairos.integrations.models import Subscription
from kairos.worker.models import Heartbeat

pytestmark = pytest.mark.browser


def test_an_owner_connects_a_webhook_and_tests_it(page, live_server, log_in, screenshot, alice,
                                                  settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True  # the receiver listens on loopback
    Heartbeat.objects.create(worker_id="in-process", hostname="test", pid=1)
    with receiving() as (receiver, url):
        log_in(alice)
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
        page.get_by_role("navigation", name="Settings").get_by_role(
            "link", name="Webhooks").click()
        expect(page.locator("[data-worker-health]")).to_contain_text("running")
        page.get_by_text("New webhook").click()
        page.get_by_label("URL").fill(url)
        page.get_by_label(re.compile(r"callback\.created —")).check()
        page.get_by_label("Description").fill("Helpdesk")
        page.get_by_role("button", name="Create webhook").click()

        secret = page.locator("[data-secret]").inner_text()
        assert secret.startswith("whsec_") and secret == Subscription.objects.get().secret
        page.get_by_role("button", name="Send test event").click()
        expect(page.get_by_text("Test message queued")).to_be_visible()
        work()  # the worker's round: the test message goes out
        page.reload()
        row = page.locator("[data-delivery]").first
        expect(row).to_contain_text("webhook.test")
        expect(row).to_contain_text("delivered")
        screenshot("webhooks-1-delivered.png")

    [request] = receiver.requests
    assert Webhook(secret).verify(request.body, request.headers)["type"] == "webhook.test"

    page.get_by_role("combobox", name="Language").select_option("el")
    expect(page.get_by_role("heading", name="Αποστολές")).to_be_visible()
    expect(page.get_by_role("button", name="Αποστολή δοκιμαστικού συμβάντος")).to_be_visible()
    expect(page.locator("[data-delivery]").first).to_contain_text("παραδόθηκε")
    expect(page.get_by_label(re.compile("Ένας πελάτης ζήτησε να τον καλέσετε"))).to_be_checked()
    screenshot("webhooks-2-greek.png")
