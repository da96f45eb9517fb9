"""Two app servers and two workers over one PostgreSQL serve one shop consistently
(issue 18, "Scale-out"): real `kairos serve` processes on two ports, real `kairos worker`s.

PostgreSQL only, by design: several app servers on one SQLite file are not a supported
setup (README, "Running more than one server"), so on SQLite there is nothing to show.
CI's PostgreSQL run (`.ci/run`, DATABASE_URL set) runs these tests.
"""

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager

import pytest
from campaigns.helpers import campaign, segment
from django_tasks_db.models import DBTaskResult
from production_server import free_port, kairos_environment, wait_until_up
from webhook_receiver import receiving
from worker.test_worker_processes import all_delivered, wait_until, worker_process

from kairos.accounts.models import ApiKey, Organization
from kairos.accounts.services import create_organization
from kairos.campaigns.models import Impression
from kairos.events.models import Event
from kairos.integrations.models import Subscription

pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="scale-out is shown on PostgreSQL: run with DATABASE_URL="
                              "postgres://… (CI's PostgreSQL run does)"),
    pytest.mark.django_db(transaction=True),
]
EVERYONE = {"all": [{"field": "answers.nps", "op": "between", "value": [0, 10]}]}


@contextmanager
def kairos_serve():
    """A `kairos serve` on the test database, one worker process (two threads for the
    public API, one dashboard process), started without waiting for it to be up."""
    port = free_port()
    command = [sys.executable, "-m", "kairos", "serve", "--port", str(port), "--workers", "1",
               "--threads", "2", "--dashboard-processes", "1"]
    process = subprocess.Popen(command, env=kairos_environment(), stdout=subprocess.DEVNULL)
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture(scope="module")
def servers(django_db_setup, django_db_blocker):
    """Server A and server B, started at once: the module waits for one start-up."""
    with django_db_blocker.unblock(), ExitStack() as stack:
        started = [stack.enter_context(kairos_serve()) for _ in range(2)]
        for url, process in started:
            wait_until_up(url, process)
        yield [url for url, _process in started]


def post(url, path, body, secret=None, method="POST"):
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["Authorization"] = f"Bearer {secret}"
    request = urllib.request.Request(f"{url}{path}", json.dumps(body).encode(), headers,
                                     method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def submit(url, shop, device, nps=3):
    status, body = post(url, "/api/public/v1/responses", {
        "site_key": shop.site_key, "stage": "checkout", "locale": "en",
        "device_id": device, "answers": {"nps": nps}})
    assert status == 201, body
    return body


def shown(answer):
    return answer["campaign"] and answer["campaign"]["campaign_id"]


@pytest.fixture
def shop():
    shop = create_organization("Two-server shop", country="GR")
    shop.site_key = shop.site_keys.get().key  # read here: threads opening connections leak them
    return shop


def test_a_change_through_server_a_is_seen_by_server_b_on_its_next_request(servers, shop):
    server_a, server_b = servers
    offer = campaign(shop, [segment(shop, EVERYONE)], type="onscreen_incentive", title="Offer")
    _key, secret = ApiKey.issue(shop, "admin")
    assert shown(submit(server_b, shop, "d-1")) == offer.pk  # B has the shop cached now
    version = Organization.objects.get(pk=shop.pk).config_version

    status, _body = post(server_a, f"/api/v1/campaigns/{offer.pk}", {"active": False},
                         secret, method="PATCH")
    assert status == 200
    assert Organization.objects.get(pk=shop.pk).config_version > version
    assert shown(submit(server_b, shop, "d-2")) is None  # not the cached campaign

    post(server_a, f"/api/v1/campaigns/{offer.pk}", {"active": True}, secret, method="PATCH")
    assert shown(submit(server_b, shop, "d-3")) == offer.pk


def test_a_frequency_cap_holds_across_both_servers_under_concurrent_submissions(servers, shop):
    capped = campaign(shop, [segment(shop, EVERYONE)], type="onscreen_incentive",
                      title="Once a day", frequency_cap_minutes=24 * 60)
    answers, start = [], threading.Barrier(8)

    def submit_at_once(url):
        start.wait()
        answers.append(submit(url, shop, "the-same-customer"))

    threads = [threading.Thread(target=submit_at_once, args=(servers[n % 2],))
               for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8
    assert [shown(answer) for answer in answers].count(capped.pk) == 1
    assert Impression.objects.filter(campaign=capped).count() == 1


def test_two_workers_deliver_each_event_of_both_servers_once(servers, shop):
    count = 20
    with receiving(delay=0.02) as (receiver, url):
        Subscription.objects.create(organization=shop, url=url, events=["response.completed"],
                                    secret="whsec_" + "MDEyMzQ1Njc4OWFiY2RlZg==")
        with worker_process() as first, worker_process() as second:
            for n in range(count):
                submit(servers[n % 2], shop, f"d-{n}")
            wait_until(all_delivered(count))
            for worker in (first, second):  # nothing under way: no need to wait for an exit
                worker.kill()
    committed = {event.message_id for event in Event.objects.filter(
        organization=shop, type="response.completed")}
    assert len(committed) == count
    assert sorted(receiver.ids()) == sorted(committed)  # each one, once
    assert receiver.overlaps == []
    workers = {result.worker_ids[-1] for result in DBTaskResult.objects.all()}
    assert len(workers) == 2  # both took a share
