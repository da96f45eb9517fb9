"""An idempotency key replays one customer's own submission, never another's (issue 13).

Chosen rule (README, "Security"): a key names one submission. The same key with the same
submission (a retry) answers as the first time; the same key with anything else, another
customer above all, is refused with 409 {"detail": "idempotency_key: …"} and stores
nothing. The key is not scoped per customer instead: a shop's idempotency keys stay
unique in the shop, as the public API promises.
"""

import json

from integrations.both_paths import hot_path
from integrations.test_public_responses import body, post

from kairos.integrations import hot_path as lean_application
from kairos.questionnaires.models import Response


def another_customer(site_key, key):
    payload = body(site_key, idempotency_key=key, device_id="d-2")
    payload["metadata"]["responder"] = {"email": "nikos@example.com", "customer_id": "c-77"}
    return payload


def test_another_customer_with_the_same_key_gets_409_not_the_first_answer(alice):
    from campaigns.helpers import campaign, segment

    shop = alice.organization
    campaign(shop, [segment(shop)])
    site_key = shop.site_keys.get().key
    first = post(body(site_key, idempotency_key="r-1"))
    assert first.status_code == 201 and first.json()["campaign"] is not None
    stolen = post(another_customer(site_key, "r-1"))
    assert stolen.status_code == 409
    assert stolen.json()["detail"].startswith("idempotency_key:")
    assert "maria" not in stolen.content.decode().lower()
    assert first.json()["response_id"] not in stolen.content.decode()
    assert Response.objects.count() == 1


def test_the_same_customer_retrying_gets_the_first_answer(alice):
    site_key = alice.organization.site_keys.get().key
    first = post(body(site_key, idempotency_key="r-2")).json()
    assert post(body(site_key, idempotency_key="r-2")).json() == first


def test_other_answers_under_the_same_key_are_refused_too(alice):
    site_key = alice.organization.site_keys.get().key
    post(body(site_key, idempotency_key="r-3"))
    changed = post(body(site_key, idempotency_key="r-3", answers={"nps": 10}))
    assert changed.status_code == 409 and Response.objects.count() == 1


def test_the_production_hot_path_refuses_alike(alice, monkeypatch):
    # The hot path closes stale connections per request; here it shares the test's.
    monkeypatch.setattr(lean_application, "close_old_connections", lambda: None)
    site_key = alice.organization.site_keys.get().key
    assert post(body(site_key, idempotency_key="r-4")).status_code == 201
    status, _headers, answer = hot_path(json.dumps(another_customer(site_key, "r-4")).encode())
    assert status == 409 and answer["detail"].startswith("idempotency_key:")
