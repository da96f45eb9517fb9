"""ASGI entry point of `kairos serve`: each request read whole before a thread sees it.

granian (kairos.server) accepts the connections and parses HTTP in Rust (a request target
of 65,535 bytes or more it refuses itself, with an empty 414); this front, on
each worker process's event loop, reads a request's body to its end and only then hands
the complete request to Kairos' WSGI application (kairos.wsgi) on a thread. A slow or
idle client holds a coroutine, never a thread: two clients declaring 1,000 bytes and
sending one stopped gunicorn's sync workers for 30 s (README, "Security"; bench_traffic.py).

The threads are two pools, so neither kind of work starves the other:
- the public API and widget.js (every shop's checkout page): the public pool;
- everything else — the dashboard, signing in (a deliberately slow password hash), the
  admin API: the dashboard pool, with fewer threads that run at a lower CPU priority
  (Linux gives each thread its own niceness), so a heavy page or a burst of sign-ins
  takes the CPU only when the public API leaves it idle.
"""

import asyncio
import contextlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from tempfile import SpooledTemporaryFile

from asgiref.wsgi import WsgiToAsgiInstance

from kairos.wsgi import PUBLIC_PATHS
from kairos.wsgi import application as wsgi_application

PUBLIC_THREADS = int(os.environ.get("KAIROS_PUBLIC_THREADS", "4"))
DASHBOARD_THREADS = int(os.environ.get("KAIROS_DASHBOARD_THREADS", "2"))
DASHBOARD_NICENESS = int(os.environ.get("KAIROS_DASHBOARD_NICENESS", "10"))


def lower_priority():
    """Run this thread (only) at a lower CPU priority; a no-op where threads cannot."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), DASHBOARD_NICENESS)


public_pool = ThreadPoolExecutor(PUBLIC_THREADS, thread_name_prefix="public")
dashboard_pool = ThreadPoolExecutor(DASHBOARD_THREADS, thread_name_prefix="dashboard",
                                    initializer=lower_priority)


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
        pool = public_pool if scope["path"].startswith(PUBLIC_PATHS) else dashboard_pool
        try:
            environ = environ_of(scope, body)
        except ValueError:  # asgiref's refusal of a header repeated past its limit
            status, headers, content = 400, [], b"Bad Request: too many duplicate headers"
        else:
            status, headers, content = await asyncio.get_running_loop().run_in_executor(
                pool, respond, environ)
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
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
