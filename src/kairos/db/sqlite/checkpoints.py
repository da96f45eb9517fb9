"""SQLite's WAL checkpoints, off the request path.

In WAL mode SQLite copies the log back into the database file (a checkpoint) whenever a
commit leaves the log over `wal_autocheckpoint` pages, and it does so in that commit: a
customer's request then waits for about a thousand pages to be written and for two
syncs of the disk (synchronous=NORMAL syncs around a checkpoint). A response writes ~18
pages, so one request in ~55 paid for that (bench/README.md: 822 → 1,099 req/s).

`kairos serve` runs a checkpointer instead: a small process of its own, which serves no
request, checkpoints every second (PASSIVE: it never waits for, nor blocks, a reader or
the writer). A process, not a thread of the server: the server forks its workers, and a
fork while a thread is inside SQLite could leave the child a lock nobody releases. Every
connection's own threshold is raised (settings.sqlite_options) to a safety net a busy
second never reaches, so a checkpoint is still made if nothing else makes it (a command,
the worker alone) and the log stays bounded.
"""

import logging
import multiprocessing
import os
import sqlite3
import time

from django.db import connections

logger = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds: at ~1,000 responses a second, ~18,000 pages


def start_checkpointer(alias="default"):
    """Checkpoint the database of `alias` every INTERVAL in a process of its own, which
    ends with this one; the process, or None when the database is not an SQLite file."""
    path = database_file(alias)
    return None if path is None else start_checkpointing(path)


def start_checkpointing(path):
    """Checkpoint the SQLite file at `path` every INTERVAL, in a fresh (spawned) process."""
    process = multiprocessing.get_context("spawn").Process(
        target=checkpoint_forever, args=(path, os.getpid()), daemon=True,
        name="sqlite-checkpoints")
    process.start()
    return process


def database_file(alias):
    name = str(connections[alias].settings_dict["NAME"])
    if connections[alias].vendor != "sqlite" or name == ":memory:" or name.startswith("file:"):
        return None
    return name


def checkpoint_forever(path, parent_pid):
    database = sqlite3.connect(path, timeout=20)
    while os.getppid() == parent_pid:  # the server gone (even killed): so is this
        time.sleep(INTERVAL)
        checkpoint(database)


def checkpoint(database):
    """One PASSIVE checkpoint; (busy, log pages, pages checkpointed), SQLite's answer."""
    try:
        return database.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    except sqlite3.Error:  # the file is being replaced (tests), or the disk is full
        logger.exception("SQLite checkpoint failed")
        return None
