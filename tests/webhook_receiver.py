"""A webhook receiver for tests: a real HTTP server in a thread, scripted per request.

`answers` is a list of what to do with each request in turn — a status code, or
HANG (never answer until the test ends) — then `then` for every later one. Every request
is recorded with its headers and body.
"""

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG = "hang"


@dataclass
class Received:
    headers: dict
    body: bytes
    at: float = field(default_factory=time.monotonic)

    @property
    def webhook_id(self):
        return self.headers["webhook-id"]


class Receiver:
    def __init__(self, answers=(), then=200, delay=0.0):
        self.answers = list(answers)
        self.then = then
        self.delay = delay
        self.requests = []
        self.in_flight = {}  # webhook-id -> requests being answered now
        self.overlaps = []  # webhook-ids received while the same id was still in flight
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.release = threading.Event()

    def answer_for(self, request):
        with self.lock:
            self.requests.append(request)
            index = len(self.requests) - 1
            if self.in_flight.get(request.webhook_id):
                self.overlaps.append(request.webhook_id)
            self.in_flight[request.webhook_id] = self.in_flight.get(request.webhook_id, 0) + 1
            self.arrived.notify_all()
        return self.answers[index] if index < len(self.answers) else self.then

    def done(self, request):
        with self.lock:
            self.in_flight[request.webhook_id] -= 1

    def wait_for(self, count, timeout=30):
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"{len(self.requests)} of {count} requests arrived")

    def ids(self):
        return [request.webhook_id for request in self.requests]


def handler_for(receiver):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length", 0))
            request = Received({k.lower(): v for k, v in self.headers.items()},
                               self.rfile.read(length))
            answer = receiver.answer_for(request)
            try:
                if answer == HANG:
                    receiver.release.wait(60)
                    return
                time.sleep(receiver.delay)
                body = f"answer {answer}".encode()
                self.send_response(answer)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                receiver.done(request)

        def log_message(self, *args):
            pass

    return Handler


@contextmanager
def receiving(answers=(), then=200, delay=0.0):
    """(receiver, its URL) while the server runs."""
    receiver = Receiver(answers, then, delay)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(receiver))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver, f"http://127.0.0.1:{server.server_address[1]}/hooks/kairos?shop=1"
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
