"""SQLite, with writers queued on an OS file lock instead of SQLite's busy-wait.

SQLite admits one writer at a time. When a second process wants to write, SQLite's own
busy handler polls with sleeps that grow to 25–100 ms, so under load writers mostly
sleep. Taking an exclusive `flock` on a file beside the database before BEGIN IMMEDIATE
queues writers in the kernel instead: the next one wakes the moment the lock is free.
Readers are unaffected (WAL), and SQLite's own locking still guards correctness.
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _writer_lock = None  # open file descriptor while this connection holds the lock

    def lock_path(self):
        name = str(self.settings_dict["NAME"])
        return None if name == ":memory:" or name.startswith("file:") else f"{name}.writer-lock"

    def _start_transaction_under_autocommit(self):
        path = self.lock_path()
        if path and self._writer_lock is None:
            descriptor = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            self._writer_lock = descriptor
        super()._start_transaction_under_autocommit()

    def release_writer_lock(self):
        if self._writer_lock is not None:
            fcntl.flock(self._writer_lock, fcntl.LOCK_UN)
            os.close(self._writer_lock)
            self._writer_lock = None

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self.release_writer_lock()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self.release_writer_lock()

    def _close(self):
        try:
            return super()._close()
        finally:
            self.release_writer_lock()
