"""Rate limits of the public API: per client address and per site key, in fixed windows.

Counted in a small SQLite file of their own (RATE_LIMIT_FILE) that every process of the
server shares, whether the shops' data is on SQLite or PostgreSQL: one UPSERT per request
counts both, under that file's own write lock (held for microseconds, never the shop
database's). Counts are disposable, so the file is written without fsync. Several app
servers on several machines each count on their own (README, Security).
"""

import math
import os
import sqlite3
import threading
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from kairos.errors import TooManyRequests

SCHEMA = """CREATE TABLE IF NOT EXISTS hits (
    key TEXT PRIMARY KEY, period INTEGER NOT NULL, count INTEGER NOT NULL) WITHOUT ROWID"""
# A key's count starts again at 1 in each new window (period = the window's number).
COUNT = """INSERT INTO hits (key, period, count) VALUES {rows}
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN period = excluded.period THEN count + 1 ELSE 1 END,
    period = excluded.period
RETURNING key, count"""
SWEEP_EVERY = 10_000  # counts per process between deletions of past windows' rows

_local = threading.local()


def enforce_public_limits(address, site_key=None, now=None, site_key_limit=None):
    """Count this request; raise TooManyRequests when its address or site key is over.

    `site_key_limit`: the shop's own limit for its keys (Organization.public_rate_limit),
    None for the server's default."""
    window = settings.PUBLIC_RATE_LIMIT_WINDOW
    address_key = f"a:{address}"
    limits = {address_key: settings.PUBLIC_RATE_LIMIT_PER_ADDRESS}
    if site_key:
        limits[f"k:{site_key[:100]}"] = (settings.PUBLIC_RATE_LIMIT_PER_SITE_KEY
                                         if site_key_limit is None else site_key_limit)
    limits = {key: limit for key, limit in limits.items() if limit > 0}
    if not limits:
        return
    now = time.time() if now is None else now
    period = int(now // window)
    counts = count(limits, period)
    over = [key for key, limit in limits.items() if counts[key] > limit]
    if over:
        if over == [address_key]:  # refusing a noisy address must not use up the shop's share
            uncount([key for key in limits if key != address_key], period)
        retry_after = max(1, math.ceil((period + 1) * window - now))
        raise TooManyRequests("", _("too many requests: try again in %(seconds)d s")
                              % {"seconds": retry_after}, retry_after)


def count(keys, period):
    database = store()
    rows = ", ".join("(?, ?, 1)" for _ in keys)
    found = dict(database.execute(COUNT.format(rows=rows),
                                  [value for key in keys for value in (key, period)]))
    _local.counted = getattr(_local, "counted", 0) + 1
    if _local.counted % SWEEP_EVERY == 0:
        database.execute("DELETE FROM hits WHERE period < ?", [period])
    return found


def uncount(keys, period):
    for key in keys:
        store().execute("UPDATE hits SET count = count - 1 WHERE key = ? AND period = ?",
                        [key, period])


def store():
    """This thread's connection to the counts' file (opened after the process forked)."""
    path = str(settings.RATE_LIMIT_FILE)
    if getattr(_local, "opened", None) != (os.getpid(), path):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        database = sqlite3.connect(path, timeout=10, isolation_level=None,
                                   check_same_thread=False)
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("PRAGMA synchronous=OFF")
        database.execute(SCHEMA)
        _local.database, _local.opened = database, (os.getpid(), path)
    return _local.database
