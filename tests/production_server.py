"""Kairos served by its production server (`kairos serve`: granian, 2 worker processes) on
the test database.

For tests that need what only real processes show: concurrency across workers, and the
in-memory campaign caches staying consistent between them.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

SOURCE = Path(__file__).resolve().parent.parent / "src"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_database_url():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"], settings["HOST"], settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def wait_until_up(url, process, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"kairos serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("kairos serve did not start")


def kairos_environment(**extra):
    """The environment of a Kairos process working on the test database, counting its
    public API's requests afresh."""
    return {**os.environ, "DATABASE_URL": test_database_url(), "SECRET_KEY": "test-only",
            "PYTHONPATH": str(SOURCE),  # this tree's Kairos, whichever is installed
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "RATE_LIMIT_FILE": str(Path(tempfile.mkdtemp()) / "rate-limits.sqlite3"), **extra}


@contextmanager
def production_server(workers=2, threads=1, options=(), **environment):
    port = free_port()
    env = kairos_environment(**environment)
    with tempfile.TemporaryFile() as log:
        command = [sys.executable, "-m", "kairos", "serve", "--port", str(port),
                   "--workers", str(workers), "--threads", str(threads), *options]
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(url, process)
            yield url
        except Exception:
            log.seek(0)
            print(log.read().decode(errors="replace")[-5000:])  # the server's side of it
            raise
        finally:
            process.terminate()
            process.wait(timeout=15)
