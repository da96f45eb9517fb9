"""The public API under hostile or heavy traffic: slow clients, logins, heavy dashboard pages.

Every server serves the same SQLite database (the hot-path benchmark's shop, with its
responses multiplied so the responses page is heavy) and is put through the same steps
in the same run; the figures that matter are the ratios against each server's own
quiet baseline, and the quiet baselines against each other: `kairos serve` against
gunicorn as before issue 13 (the hot path before and after) and against itself with the
public API's rate limits off (what counting them costs). wrk loads the hot path from one
address, so the limits are set high enough to refuse nothing while counting every
request; "limits off" sets them to 0 (not counted at all).

1. quiet: wrk on POST /api/public/v1/responses (the baseline);
2. slow clients: K connections send the headers of a POST declaring 1,000 bytes, then
   1 byte, and hold; then single hot-path requests are timed one after the other;
3. logins: 4 clients sign in over and over (each a 1,000,000-iteration PBKDF2) while wrk
   loads the hot path;
4. dashboard: N signed-in users load the responses page over and over while wrk loads the
   hot path.

    SECRET_KEY=x .venv/bin/python bench/bench_traffic.py [--seconds 5] [--responses 200000]
        [--slow 2 --slow 50] [--users 2 --users 4] [--server gunicorn --server kairos]
        [--quiet-only --rounds 3]   # only the quiet baselines, interleaved, medians
"""

import argparse
import http.cookiejar
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from statistics import median

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_responses import COUNTED, environment, free_port, load, start  # noqa: E402

DEMO_EMAIL, DEMO_PASSWORD = "demo@kairos.example", "kairos-demo"
HOT_BODY = ('{"site_key":"%s","stage":"checkout","locale":"en","device_id":"probe-%d",'
            '"answers":{"nps":9},"metadata":{"questionnaire":{},"responder":{}}}')


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--responses", type=int, default=200_000,
                        help="responses in the shop, so its responses page is heavy")
    parser.add_argument("--slow", type=int, action="append",
                        help="slow connections held (repeatable; default 2 and 50)")
    parser.add_argument("--users", type=int, action="append",
                        help="users loading the responses page (repeatable; default 2, 4)")
    parser.add_argument("--server", action="append", choices=sorted(SERVERS),
                        help="servers to compare (default: all)")
    parser.add_argument("--quiet-only", action="store_true",
                        help="only the quiet baselines (the hot path's throughput)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="with --quiet-only: rounds, interleaved; each server's median")
    return parser.parse_args()


def gunicorn_sync(port):
    """How `kairos serve` ran before issue 13: gunicorn, 2 sync workers."""
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    return [gunicorn, "-w", "2", "--preload", "-b", f"127.0.0.1:{port}", "--timeout", "30",
            "kairos.wsgi:application"]


def granian_plain(port):
    """granian alone: reads each request whole before the application sees it."""
    granian = str(Path(sys.executable).parent / "granian")
    return [granian, "--interface", "wsgi", "--workers", "2", "--port", str(port),
            "--log-level", "warning", "kairos.wsgi:application"]


def kairos_serve(port):
    return [sys.executable, "-m", "kairos", "serve", "--port", str(port)]


LIMITS_OFF = {"PUBLIC_RATE_LIMIT_PER_ADDRESS": "0", "PUBLIC_RATE_LIMIT_PER_SITE_KEY": "0"}
# name: (command, environment): gunicorn as before issue 13, which had no rate limits.
SERVERS = {"gunicorn": (gunicorn_sync, LIMITS_OFF), "granian": (granian_plain, COUNTED),
           "kairos": (kairos_serve, COUNTED), "kairos, limits off": (kairos_serve, LIMITS_OFF)}


def multiply_responses(env, count):
    """Copy the shop's responses (without their idempotency keys) until there are `count`."""
    database = sqlite3.connect(Path(env["DATA_DIR"]) / "kairos.sqlite3")
    columns = [row[1] for row in database.execute("PRAGMA table_info(questionnaires_response)")]
    copied = ", ".join(columns)
    fresh = ", ".join("lower(hex(randomblob(16)))" if c == "id" else
                      "NULL" if c == "idempotency_key" else c for c in columns)
    while (have := database.execute("SELECT count(*) FROM questionnaires_response")
           .fetchone()[0]) < count:
        database.execute(f"INSERT INTO questionnaires_response ({copied}) SELECT {fresh} "
                         f"FROM questionnaires_response LIMIT {count - have}")
        database.commit()
    database.close()


def hot_request(url, site_key, number, timeout=60):
    """One POST of a completed questionnaire: its latency in seconds (or the error)."""
    body = (HOT_BODY % (site_key, number)).encode()
    request = urllib.request.Request(f"{url}/api/public/v1/responses", data=body,
                                     headers={"Content-Type": "application/json"})
    began = time.monotonic()
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        answer.read()
    return time.monotonic() - began


SLOW_PATIENCE = 35  # seconds: gunicorn kills a stuck sync worker after 30


def open_slow_client(port):
    """Headers of a POST declaring 1,000 bytes, then 1 byte: and then nothing."""
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(b"POST /api/public/v1/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{")
    return client


def slow_clients(url, port, site_key, count):
    """(usual latencies, latencies with `count` slow clients held) of 5 hot-path requests
    one after the other."""
    usual = [hot_request(url, site_key, n) for n in range(5)]
    clients = [open_slow_client(port) for _ in range(count)]
    time.sleep(0.5)  # let the server hand them to its workers
    try:
        return usual, [hot_request(url, site_key, n, timeout=SLOW_PATIENCE) for n in range(5)]
    except TimeoutError:
        return usual, [float("inf")]
    finally:
        for client in clients:
            client.close()


def signed_in_opener(url):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    sign_in(opener, jar, url)
    return opener


def sign_in(opener, jar, url):
    opener.open(f"{url}/accounts/login/", timeout=120).read()
    token = next(c.value for c in jar if c.name == "csrftoken")
    form = urllib.parse.urlencode({"username": DEMO_EMAIL, "password": DEMO_PASSWORD,
                                   "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(f"{url}/accounts/login/", data=form,
                                       headers={"Referer": f"{url}/accounts/login/"}),
                timeout=120).read()


def while_busy(work, clients, during):
    """Run `during()` while `clients` threads repeat `work(n)`; (its result, works done)."""
    stop, done = threading.Event(), []

    def repeat(n):
        while not stop.is_set():
            try:
                work(n)
                done.append(1)
            except OSError:
                time.sleep(0.1)

    threads = [threading.Thread(target=repeat, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(1)  # the background load is under way
    try:
        return during(), len(done)
    finally:
        stop.set()
        for thread in threads:
            thread.join()


def logins(url):
    def sign_in_again(_n):
        jar = http.cookiejar.CookieJar()
        sign_in(urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar, url)
    return sign_in_again


def dashboard_users(url, users):
    openers = [signed_in_opener(url) for _ in range(users)]

    def load_responses_page(n):
        openers[n].open(f"{url}/dashboard/responses/", timeout=120).read()
    return load_responses_page


def quiet_baseline(name, env, args):
    """The hot path's throughput on an otherwise idle server."""
    command, overrides = SERVERS[name]
    env = {**env, **overrides}
    port = free_port()
    process = start(command(port), env, port)
    try:
        load(port, 2, args.connections, env)  # warm up
        return load(port, args.seconds, args.connections, env)
    finally:
        process.terminate()
        process.wait()


def measure(name, env, args):
    command, overrides = SERVERS[name]
    env = {**env, **overrides}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = start(command(port), env, port)
    rows = []
    try:
        load(port, 2, args.connections, env)  # warm up
        quiet = load(port, args.seconds, args.connections, env)
        rows.append(("quiet (baseline)", quiet, ""))
        for count in args.slow:
            usual, held = slow_clients(url, port, env["SITE_KEY"], count)
            rows.append((f"{count} slow clients held", None,
                         f"hot-path request: median {median(held) * 1000:.0f} ms, worst "
                         f"{max(held) * 1000:.0f} ms (usual: median "
                         f"{median(usual) * 1000:.0f} ms, worst {max(usual) * 1000:.0f} ms)"
                         if max(held) < SLOW_PATIENCE else
                         f"no answer within {SLOW_PATIENCE} s"))
        busy, signed = while_busy(logins(url), 4, lambda: load(port, args.seconds,
                                                                args.connections, env))
        rows.append(("4 clients signing in", busy, f"{signed} sign-ins"))
        for users in args.users:
            busy, pages = while_busy(dashboard_users(url, users), users,
                                     lambda: load(port, args.seconds, args.connections, env))
            rows.append((f"{users} users on the responses page", busy, f"{pages} pages"))
    finally:
        process.terminate()
        process.wait()
    report(name, rows, quiet)
    return quiet


def report(name, rows, quiet):
    print(f"\n{name}")
    print(f"{'while':<34}{'req/s':>8}{'ratio':>8}{'p50':>10}{'p99':>10}{'non-2xx':>9}  other")
    for label, result, other in rows:
        if result is None:
            print(f"{label:<34}{'':>8}{'':>8}{'':>10}{'':>10}{'':>9}  {other}")
            continue
        rps, p50, p99, errors = result
        print(f"{label:<34}{rps:>8.0f}{rps / quiet[0]:>8.0%}{p50:>10}{p99:>10}{errors:>9}"
              f"  {other}")


def main():
    args = parse_args()
    args.slow = args.slow or [2, 50]
    args.users = args.users or [2, 4]
    env = environment(HERE.parent / "src")
    seed = start(kairos_serve(port := free_port()), env, port)
    try:  # the shop's first responses, the way they arrive
        load(port, 2, args.connections, env)
    finally:
        seed.terminate()
        seed.wait()
    multiply_responses(env, args.responses)
    print(f"POST /api/public/v1/responses by wrk ({args.connections} connections, "
          f"{args.seconds} s per step), SQLite, {args.responses:,} responses in the shop")
    names = args.server or list(SERVERS)
    if args.quiet_only:
        runs = {name: [] for name in names}
        for _round in range(args.rounds):
            for name in names:
                runs[name].append(quiet_baseline(name, env, args))
        quiet = {name: sorted(found)[(len(found) - 1) // 2] for name, found in runs.items()}
    else:
        quiet = {name: measure(name, env, args) for name in names}
    compare_baselines(quiet, args)
    counting_cost(env)


# In one process, on its own counts file: the CPU one request's counting takes.
COUNTING = """
import time, django; django.setup()
from kairos.integrations.rate_limits import enforce_public_limits
def once(): enforce_public_limits("203.0.113.5", "pk_bench", site_key_limit=10**9)
for _ in range(500): once()
rounds = []
for _ in range(5):
    began = time.perf_counter()
    for _ in range(5000): once()
    rounds.append((time.perf_counter() - began) / 5000 * 1e6)
print(f"{min(rounds):.1f} {sorted(rounds)[2]:.1f}")
"""


def counting_cost(env):
    env = {**env, **COUNTED, "RATE_LIMIT_FILE": str(Path(env["DATA_DIR"]) / "cost.sqlite3")}
    best, middle = subprocess.run([sys.executable, "-c", COUNTING], env=env, check=True,
                                  capture_output=True, text=True).stdout.split()[-2:]
    print(f"rate limits: counting one request (address and site key) takes {best} µs "
          f"at best, {middle} µs median of 5 rounds of 5,000")


def compare_baselines(quiet, args):
    print(f"\nquiet hot path ({args.rounds if args.quiet_only else 1} round(s), medians)")
    print(f"{'server':<24}{'req/s':>8}{'p50':>10}{'p99':>10}{'non-2xx':>9}")
    for name, (rps, p50, p99, errors) in quiet.items():
        print(f"{name:<24}{rps:>8.0f}{p50:>10}{p99:>10}{errors:>9}")
    pairs = [("kairos", "gunicorn", "the hot path after issue 13 / before"),
             ("kairos", "granian", "the buffering front and pools / granian alone"),
             ("kairos", "kairos, limits off", "rate limits counted / not counted")]
    for after, before, meaning in pairs:
        if after in quiet and before in quiet:
            print(f"{after} / {before} = {quiet[after][0] / quiet[before][0]:.0%}  ({meaning})")


if __name__ == "__main__":
    main()
