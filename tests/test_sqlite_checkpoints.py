"""SQLite's WAL checkpoints are made by `kairos serve`'s checkpointer thread, not in the
commit of a customer's request (kairos/db/sqlite/checkpoints.py)."""

import sqlite3
import time

from kairos.db.sqlite.checkpoints import start_checkpointing
from kairos.settings import sqlite_options

ROWS = 400  # ~400 pages of log: under the connections' own threshold, over SQLite's default


def written_database(path):
    """A database written the way Kairos' connections write: in WAL mode, with Kairos' own
    PRAGMAs, one commit per row."""
    database = sqlite3.connect(path, isolation_level=None)
    database.executescript(sqlite_options()["init_command"])
    database.execute("CREATE TABLE response (id INTEGER PRIMARY KEY, answers BLOB)")
    for _ in range(ROWS):
        database.execute("BEGIN IMMEDIATE")
        database.execute("INSERT INTO response (answers) VALUES (randomblob(3000))")
        database.execute("COMMIT")
    return database


def test_the_requests_commits_leave_the_log_to_the_checkpointer(tmp_path):
    path = tmp_path / "kairos.sqlite3"
    database = written_database(path)
    # No commit copied the log back into the file: with SQLite's default threshold (1,000
    # pages) this many commits would have; each such commit waited for it.
    assert path.stat().st_size < 100_000
    assert (tmp_path / "kairos.sqlite3-wal").stat().st_size > ROWS * 3000

    checkpointer = start_checkpointing(str(path))
    try:
        deadline = time.monotonic() + 20
        while path.stat().st_size < ROWS * 3000 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert path.stat().st_size >= ROWS * 3000  # the checkpointer copied every page back
    finally:
        checkpointer.terminate()
        checkpointer.join()
    assert database.execute("SELECT COUNT(*) FROM response").fetchone() == (ROWS,)
