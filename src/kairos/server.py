"""The production server behind `kairos serve`: granian in front of kairos.asgi.

granian (Rust) accepts connections and parses HTTP; kairos.asgi reads every request whole
on the event loop before a thread runs Kairos' WSGI application, so slow clients hold no
thread, and runs the public API on threads and the dashboard on processes of its own
(README, "Security"; bench/bench_traffic.py measures it).
"""

import os
import subprocess
import sys

from granian import Granian
from granian.constants import Interfaces

from kairos.db.sqlite.checkpoints import start_checkpointer


def serve(host, port, workers, threads=4, dashboard_threads=2, access_log=False,
          with_worker=False, dashboard_processes=2):
    # The worker processes import kairos.asgi afresh and read their pools' sizes from here.
    os.environ["KAIROS_PUBLIC_THREADS"] = str(threads)
    os.environ["KAIROS_DASHBOARD_THREADS"] = str(dashboard_threads)
    os.environ["KAIROS_DASHBOARD_PROCESSES"] = str(dashboard_processes)
    server = Granian("kairos.asgi:application", address=host, port=port,
                     interface=Interfaces.ASGI, workers=workers, log_access=access_log,
                     respawn_failed_workers=True, websockets=False)
    start_checkpointer()  # SQLite: its checkpoints in a process of their own, no request's
    # `kairos worker` as a child of the server, stopped with it: one command for small setups.
    worker = subprocess.Popen([sys.executable, "-m", "kairos", "worker"]) if with_worker else None
    try:
        server.serve()
    finally:
        if worker is not None and worker.poll() is None:
            worker.terminate()  # it finishes its task under way and stops
            worker.wait(timeout=60)
