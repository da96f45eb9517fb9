"""ASGI entry point of `kairos serve`: each request read whole before a thread sees it.

granian (kairos.server) accepts the connections and parses HTTP in Rust (a request target
of 65,535 bytes or more it refuses itself, with an empty 414); this front, on
each worker process's event loop, reads a request's body to its end and only then hands
the complete request to Kairos' WSGI application (kairos.wsgi) on a thread. A slow or
idle client holds a coroutine, never a thread: two clients declaring 1,000 bytes and
sending one stopped gunicorn's sync workers for 30 s (README, "Security"; bench_traffic.py).

Two pools, so neither kind of work starves the other:
- the public API and widget.js (every shop's checkout page): the public pool, threads of
  the worker process;
- everything else — the dashboard, signing in (a deliberately slow password hash), the
  admin API: the dashboard pool, a few processes of its own (forked from the worker) at a
  lower CPU priority, so a heavy page or a burst of sign-ins takes the CPU only when the
  public API leaves it idle. Processes, not threads: a dashboard thread in the worker
  process held the GIL through its page's Python work (rendering, decoding rows), and
  niceness cannot lower a thread's share of the GIL: with 4 users on the heaviest pages
  of a 200k-response shop the public API kept a median 74% of its throughput on SQLite
  and 42% on PostgreSQL; on processes 98% and 74% (bench/README.md, "Public API under
  dashboard load"). With KAIROS_DASHBOARD_PROCESSES=0 the dashboard runs on a pool of
  lower-priority threads in the worker process instead (less memory, for small setups).
"""

import asyncio
import atexit
import contextlib
import importlib
import io
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from tempfile import SpooledTemporaryFile

from asgiref.wsgi import WsgiToAsgiInstance
from django.db import connections
from django.db.backends.signals import connection_created

from kairos.wsgi import PUBLIC_PATHS
from kairos.wsgi import application as wsgi_application

PUBLIC_THREADS = int(os.environ.get("KAIROS_PUBLIC_THREADS", "4"))
DASHBOARD_THREADS = int(os.environ.get("KAIROS_DASHBOARD_THREADS", "2"))
DASHBOARD_PROCESSES = int(os.environ.get("KAIROS_DASHBOARD_PROCESSES", "2"))
DASHBOARD_NICENESS = int(os.environ.get("KAIROS_DASHBOARD_NICENESS", "10"))


def lower_priority():
    """Run this thread (only) at a lower CPU priority; a no-op where threads cannot."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), DASHBOARD_NICENESS)


public_pool = ThreadPoolExecutor(PUBLIC_THREADS, thread_name_prefix="public")


class DashboardProcesses:
    """The dashboard's pool of processes, forked from this worker when it starts (the
    Django it set up is shared copy-on-write) and forked anew if one of them dies."""

    def __init__(self, size):
        self.size, self.pool = size, None

    def executor(self):
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.size, multiprocessing.get_context("fork"),
                                            initializer=dashboard_process_started,
                                            initargs=(os.getpid(),))
            # Registered after multiprocessing's own exit handler, so run before it: that
            # one joins the processes, which would wait for work forever.
            atexit.register(self.stop)
        return self.pool

    async def run(self, environ, body):
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self.executor(), respond_in_process,
                                               picklable(environ), body)
        except BrokenProcessPool:  # one was killed (out of memory?): its request is lost
            self.pool = None
            return 503, [(b"content-type", b"text/plain"), (b"retry-after", b"1")], \
                b"Service Unavailable: please retry"

    def start(self):
        """Fork the processes now, not on the first page."""
        list(self.executor().map(process_id, range(self.size)))

    def stop(self):
        """End the processes: idle, they would wait for work forever (and the worker's
        exit for them)."""
        pool, self.pool = self.pool, None
        if pool is not None:
            for process in list(pool._processes.values()):  # noqa: SLF001 - no public way
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)


class DashboardThreads:
    """The dashboard on lower-priority threads of this worker process."""

    def __init__(self, size):
        self.pool = ThreadPoolExecutor(size, thread_name_prefix="dashboard",
                                       initializer=lower_priority)

    async def run(self, environ, body):
        environ["wsgi.input"] = io.BytesIO(body)
        return await asyncio.get_running_loop().run_in_executor(self.pool, respond, environ)

    def start(self):
        pass

    def stop(self):
        pass


dashboard_pool = (DashboardProcesses(DASHBOARD_PROCESSES) if DASHBOARD_PROCESSES > 0
                  else DashboardThreads(DASHBOARD_THREADS))


# What a dashboard process imports as it starts, in the background: the lift report's
# statistics (statsmodels, with numpy and scipy: ~1.5 s of CPU) are imported where a lift is
# computed, so that commands and the public API never pay for them — but then the first
# lift page after every start waited for the import, at nice 10, for a minute on a
# saturated machine.
WARM_IMPORTS = ("statsmodels.stats.proportion", "statsmodels.stats.weightstats",
                "statsmodels.stats.power")


def warm_imports():
    for name in WARM_IMPORTS:
        importlib.import_module(name)


def dashboard_process_started(worker_pid):
    """In a fresh dashboard process: the lower priority, and an end with its worker."""
    for number in (signal.SIGTERM, signal.SIGINT):  # not the worker's graceful handlers
        signal.signal(number, signal.SIG_DFL)
    lower_priority()  # its only thread yet: every later one inherits the niceness
    for connection in connections.all(initialized_only=True):
        connection.connection = None  # the worker's (if any): never to be used here
    connection_created.connect(lower_database_priority)

    def end_with_the_worker():
        while os.getppid() == worker_pid:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=end_with_the_worker, daemon=True).start()
    threading.Thread(target=warm_imports, daemon=True).start()


def lower_database_priority(sender, connection, **kwargs):
    """A dashboard process's PostgreSQL session: no parallel workers for its queries, so
    one heavy page takes one core, not three (bench/README.md: the public API kept 28–33%
    of its throughput beside 4 users on the heaviest pages with them, 68–92% without)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")


def process_id(_number):
    return os.getpid()


def picklable(environ):
    """The environ without its file objects, to send to a dashboard process."""
    return {name: value for name, value in environ.items()
            if name not in ("wsgi.input", "wsgi.errors")}


def respond_in_process(environ, body):
    environ["wsgi.input"], environ["wsgi.errors"] = io.BytesIO(body), sys.stderr
    return respond(environ)


async def application(scope, receive, send):
    if scope["type"] == "lifespan":
        return await lifespan(receive, send)
    if scope["type"] != "http":
        return None  # no websockets
    with SpooledTemporaryFile(max_size=64 * 1024) as body:
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None  # the client left before finishing its request
            body.write(message.get("body", b""))
            if not message.get("more_body"):
                break
        body.seek(0)
        try:
            environ = environ_of(scope, body)
        except ValueError:  # asgiref's refusal of a header repeated past its limit
            status, headers, content = 400, [], b"Bad Request: too many duplicate headers"
        else:
            if scope["path"].startswith(PUBLIC_PATHS):
                status, headers, content = await asyncio.get_running_loop().run_in_executor(
                    public_pool, respond, environ)
            else:
                status, headers, content = await dashboard_pool.run(environ, body.read())
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": content})
    return None


def environ_of(scope, body):
    """The WSGI environ of a complete request, built as asgiref builds it."""
    reader = WsgiToAsgiInstance(wsgi_application)
    reader.scope = scope
    return reader.build_environ(scope, body)


def respond(environ):
    """Kairos' WSGI answer, whole: (status, headers, body). Kairos streams nothing."""
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, headers

    chunks = wsgi_application(environ, start_response)
    try:
        content = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    headers = [(name.lower().encode("latin1"), value.encode("latin1"))
               for name, value in started["headers"]]
    return int(started["status"].split(" ", 1)[0]), headers, content


async def lifespan(receive, send):
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await asyncio.get_running_loop().run_in_executor(None, dashboard_pool.start)
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            dashboard_pool.stop()
            await send({"type": "lifespan.shutdown.complete"})
            return
