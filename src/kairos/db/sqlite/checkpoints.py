"""SQLite's WAL checkpoints, off the request path.

In WAL mode SQLite copies the log back into the database file (a checkpoint) whenever a
commit leaves the log over `wal_autocheckpoint` pages, and it does so in that commit: a
customer's request then waits for about a thousand pages to be written and for two
syncs of the disk (synchronous=NORMAL syncs around a checkpoint). A response writes ~18
pages, so one request in ~55 paid for that: the public API's p99 (bench/README.md).

`kairos serve` runs a checkpointer instead: a thread of its main process, which serves no
request, checkpoints every second (PASSIVE: it never waits for, nor blocks, a reader or
the writer). Every connection's own threshold is raised (settings.sqlite_options) to a
safety net a busy second never reaches, so a checkpoint is still made if nothing else
makes it (a command, the worker alone) and the log stays bounded.
"""

import logging
import sqlite3
import threading
import time

from django.db import connections

logger = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds: at ~1,000 responses a second, ~18,000 pages


def start_checkpointer(alias="default"):
    """Checkpoint the database of `alias` every INTERVAL, on a daemon thread; the thread,
    or None when the database is not an SQLite file."""
    path = database_file(alias)
    return None if path is None else start_checkpointing(path)


def start_checkpointing(path):
    """Checkpoint the SQLite file at `path` every INTERVAL, on a daemon thread."""
    thread = threading.Thread(target=checkpoint_forever, args=(path,), daemon=True,
                              name="sqlite-checkpoints")
    thread.start()
    return thread


def database_file(alias):
    settings = connections[alias].settings_dict
    name = str(settings["NAME"])
    if connections[alias].vendor != "sqlite" or name == ":memory:" or name.startswith("file:"):
        return None
    return name


def checkpoint_forever(path):
    database = sqlite3.connect(path, timeout=20, check_same_thread=False)
    while True:
        time.sleep(INTERVAL)
        checkpoint(database)


def checkpoint(database):
    """One PASSIVE checkpoint; (busy, log pages, pages checkpointed), SQLite's answer."""
    try:
        return database.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except sqlite3.Error:  # the file is being replaced (tests), or the disk is full
        logger.exception("SQLite checkpoint failed")
        return None
