"""Under concurrency the frequency cap and the contact budget hold: 50 simultaneous
responses of one customer, one impression."""

import json
import threading
import time
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


def respond_all_at_once(shop):
    """50 responses of one customer (one e-mail, 50 devices) sent to the production server
    at the same instant; answers their (status, body)."""
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
    assert Response.objects.filter(organization=shop).count() == SIMULTANEOUS
    return [body["campaign"] for _status, body in answers if body["campaign"]]


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_responses_of_one_customer_yield_one_impression():
    from kairos.accounts.services import create_organization

    shop = create_organization("Busy shop", country="GR")
    capped = campaign(shop, [segment(shop)], frequency_cap_minutes=24 * 60)
    shown = respond_all_at_once(shop)
    assert len(shown) == 1 and shown[0]["campaign_id"] == capped.pk
    assert Impression.objects.filter(campaign=capped).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_contact_budget_holds_across_campaigns_under_concurrency():
    from kairos.accounts.services import create_organization
    from kairos.campaigns.budget import set_contact_budget

    shop = create_organization("Busy shop", country="GR")
    detractors = segment(shop)
    # No frequency cap at all: only the budget (one campaign a day) can stop them.
    first = campaign(shop, [detractors], title="Callback", priority=0)
    campaign(shop, [detractors], title="Coupon", type="onscreen_incentive", priority=1)
    set_contact_budget(shop, {"campaigns": 1, "days": 1})
    shown = respond_all_at_once(shop)
    assert len(shown) == 1 and shown[0]["campaign_id"] == first.pk
    assert Impression.objects.filter(organization=shop).count() == 1



@pytest.mark.django_db(transaction=True)
def test_a_retry_racing_the_first_submission_answers_the_first():
    """The retry passes the idempotency check while the first submission is not yet
    committed, then fails the unique index: it answers the first response. No frequency
    cap, so no history read: on PostgreSQL the failed INSERT surfaces only at the end of
    the pipelined transaction, and must still arrive as Django's IntegrityError."""
    from django.db import connection, transaction

    from kairos.accounts.services import create_organization
    from kairos.campaigns.configuration import shop_configuration
    from kairos.campaigns.display import submit_response
    from kairos.questionnaires.services import build_response

    shop = create_organization("Busy shop", country="GR")
    campaign(shop, [segment(shop)])
    version = shop_configuration(shop).published_version("checkout")
    submission = {"answers": {"nps": 2}, "metadata": {"responder": {"email": "m@example.com"}}}
    options = {"locale": "en", "device_id": "d-1", "idempotency_key": "checkout-4711"}
    first_stored, first_ids = threading.Event(), []
    # An earlier response registers the metadata fields: a response with a field new to
    # the process runs without the pipeline.
    submit_response(shop, version, submission, locale="en", device_id="d-0")

    def first_submission():
        try:
            with transaction.atomic():
                first = build_response(shop, version, submission, **options)
                first.save()
                first_ids.append(first.pk)
                first_stored.set()
                time.sleep(0.5)  # the retry reaches its INSERT meanwhile
        finally:
            connection.close()

    holder = threading.Thread(target=first_submission)
    holder.start()
    assert first_stored.wait(10)
    response, shown = submit_response(shop, version, submission, **options)
    holder.join()
    assert response.pk == first_ids[0] and shown is None
    assert Response.objects.filter(organization=shop, idempotency_key="checkout-4711"
                                   ).count() == 1
    assert not Impression.objects.filter(response_id=first_ids[0]).exists()
