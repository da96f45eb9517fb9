"""Under concurrency the frequency cap holds: 50 simultaneous responses, one impression."""

import json
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from campaigns.helpers import campaign, segment
from production_server import production_server

from kairos.campaigns.models import Impression
from kairos.questionnaires.models import Response

SIMULTANEOUS = 50


def post_json(url, body):
    request = urllib.request.Request(url, json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.status, json.loads(answer.read())


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_responses_of_one_customer_yield_one_impression():
    from kairos.accounts.services import create_organization

    shop = create_organization("Busy shop", country="GR")
    capped = campaign(shop, [segment(shop)], frequency_cap_minutes=24 * 60)
    start = threading.Barrier(SIMULTANEOUS)
    site_key = shop.site_keys.get().key  # read here: worker threads must not open connections

    def respond(n):
        body = {"site_key": site_key, "stage": "checkout", "locale": "en",
                "device_id": f"device-{n}", "answers": {"nps": 2},
                "metadata": {"responder": {"email": "maria@example.com"}}}
        start.wait()
        return post_json(f"{server}/api/public/v1/responses", body)

    with (production_server(workers=2, threads=8) as server,
          ThreadPoolExecutor(SIMULTANEOUS) as pool):
        answers = list(pool.map(respond, range(SIMULTANEOUS)))

    assert [status for status, _body in answers] == [201] * SIMULTANEOUS
    shown = [body["campaign"] for _status, body in answers if body["campaign"]]
    assert len(shown) == 1 and shown[0]["campaign_id"] == capped.pk
    assert Response.objects.filter(organization=shop).count() == SIMULTANEOUS
    assert Impression.objects.filter(campaign=capped).count() == 1
