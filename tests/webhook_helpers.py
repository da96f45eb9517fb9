"""Subscribing a shop to a local receiver, and running the worker in this process."""

import pytest

from kairos.integrations.webhooks import create_subscription
from kairos.worker.runner import Worker


@pytest.fixture
def local_receivers(settings):
    """The test receivers listen on loopback, which the operator must allow."""
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    settings.WEBHOOK_TIMEOUT = 2


def subscribe(organization, url, events=("response.completed",)):
    subscription, _secret = create_subscription(organization,
                                                {"url": url, "events": list(events)})
    return subscription


def work():
    """Everything due now: dispatch the outbox, run the tasks (as `kairos worker --once`)."""
    Worker(worker_id="in-process").run_until_idle()
