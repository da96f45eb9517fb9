"""How many callback requests a shop has open: what a callback campaign's
`max_open_callbacks` is measured against.

The callbacks app, which owns the requests, registers the counter when it is ready
(callbacks/apps.py); the campaigns app sits below it and only asks. A shop's whole queue
counts, whatever campaign a request came from: one team calls them all back.

The decision asks only when a capacity-limited campaign could be shown, and each app
process reuses a shop's count for a few seconds: on a busy shop that spares the hot path
a query per response, and a queue that grows by callers typing a form is never exact to
the second anyway (a request is made after the offer is shown, not when).
"""

import time

FRESH_FOR_SECONDS = 5.0
_counter = None
_counted: dict[int, tuple[float, int]] = {}  # organization id -> (monotonic time, count)


def count_open_callbacks_with(counter):
    """counter(organization) -> the number of open callback requests of that shop."""
    global _counter
    _counter = counter


def open_callbacks(organization):
    if _counter is None:
        return 0
    now = time.monotonic()
    counted = _counted.get(organization.pk)
    if counted is None or now - counted[0] > FRESH_FOR_SECONDS:
        counted = _counted[organization.pk] = (now, _counter(organization))
    return counted[1]


def forget_open_callbacks(organization_id=None):
    """This process counts again (the callbacks app calls it when a request of the shop
    is created or changes; other processes' counts age out)."""
    if organization_id is None:
        _counted.clear()
    else:
        _counted.pop(organization_id, None)
