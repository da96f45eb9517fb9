"""`kairos serve --with-worker` (what `make run` does): one command, a server and a worker."""

import json
import urllib.request

import pytest
from production_server import production_server
from standardwebhooks import Webhook
from webhook_receiver import receiving

from kairos.accounts.services import create_organization
from kairos.integrations.models import Subscription
from kairos.worker.models import Heartbeat


def post_json(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


@pytest.mark.django_db(transaction=True)
def test_a_response_posted_to_the_server_reaches_the_webhook_and_both_stop_together():
    shop = create_organization("Small shop", country="GR")
    with receiving() as (receiver, url):
        subscription = Subscription.objects.create(
            organization=shop, url=url, events=["response.completed"],
            secret="whsec_MDEyMzQ1Njc4OWFiY2RlZg==")
        with production_server(workers=1, options=["--with-worker"],
                               WEBHOOK_ALLOW_PRIVATE_URLS="1") as server:
            answer = post_json(f"{server}/api/public/v1/responses", {
                "site_key": shop.site_keys.get().key, "stage": "checkout",
                "answers": {"nps": 10}})
            receiver.wait_for(1)
            with urllib.request.urlopen(f"{server}/healthz/worker", timeout=10) as health:
                assert json.loads(health.read())["status"] == "ok"
    [request] = receiver.requests
    payload = Webhook(subscription.secret).verify(request.body, request.headers)
    assert payload["data"]["response_id"] == answer["response_id"]
    assert not Heartbeat.objects.exists()  # the worker stopped with the server, cleanly
