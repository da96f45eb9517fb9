"""POST /api/public/v1/responses end to end, against a bare django-ninja endpoint.

Both are served with the same workers and threads on this machine's loopback (the bare
endpoint by gunicorn, Kairos by `kairos serve`, as it runs in production) and loaded by
wrk with the same varied JSON bodies in the same run; the figure that matters is the
ratio. Kairos does the whole job: validation, storing the response, deciding over the
shop's campaigns (20 live, over 5 segments, most with frequency caps), recording the
impression, writing its events to the outbox — on SQLite, the default.

`--compare-with REF` also serves Kairos as it was at git REF (e.g. main), on its own
database, in the same run: the ratio of the two is what a change costs the hot path.
`--rounds N` loads every server N times, interleaved, and keeps each one's median;
`--rate R` offers R requests a second at random (as independent checkouts arrive)
instead of as many as the server answers, for the latency at a load it carries;
`--with-worker` adds Kairos with `kairos worker` dispatching its outbox beside it;
`--with-limits` adds Kairos serving a shop with a contact budget, and holdouts, callback
hours and a capacity limit on its callback campaigns.

    SECRET_KEY=x .venv/bin/python bench/bench_responses.py [--seconds 10] [--connections 32]
        [--compare-with main] [--rounds 3] [--rate 300] [--with-worker] [--with-limits]
"""

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--compare-with", metavar="REF", action="append", default=[],
                        help="also serve Kairos as at this git ref, e.g. main (repeatable)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--rate", type=int, default=None,
                        help="offer this many requests per second (customers arriving at "
                             "random, support/post_responses.lua) instead of as many as the "
                             "server answers: the latency at a load it carries")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-database", default="kairos_bench_responses",
                        help="PostgreSQL: the database made (and dropped) for the run")
    parser.add_argument("--warmup", type=int, default=2,
                        help="seconds of load before each measured run (0: none)")
    parser.add_argument("--with-worker", action="store_true",
                        help="also serve Kairos with its worker dispatching the outbox")
    parser.add_argument("--with-limits", action="store_true",
                        help="also serve Kairos with a contact budget, holdouts, and callback "
                             "hours and capacity on its callback campaigns")
    return parser.parse_args()


# Migrates a fresh database and gives the demo shop a realistic campaign set.
SHOP_SCRIPT = """
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from kairos.demo import build_demo_shop
from kairos.segments.models import Segment
from kairos.campaigns.services import create_campaign
shop = build_demo_shop()
org = shop.organization
rules = [("Detractors", 0, 6), ("Passives", 7, 8), ("Promoters", 9, 10), ("Low", 0, 3),
         ("All", 0, 10)]
segments = [Segment.objects.create(organization=org, name=n, conditions={"all": [
    {"field": "answers.nps", "op": "between", "value": [lo, hi]}]}) for n, lo, hi in rules]
types = ["callback_request", "refer_friend", "onscreen_incentive", "image_display"]
for n in range(20):
    create_campaign(org, {"type": types[n % 4], "title": f"Campaign {n}", "active": True,
                          "priority": n % 7, "frequency_cap_minutes": 60 * (n % 3)},
                    [segments[n % 5].pk])
print(shop.site_key)
"""


def prepare_shop(env):
    """Migrate a fresh database and give the demo shop a realistic campaign set."""
    script = SHOP_SCRIPT
    result = subprocess.run([sys.executable, "-c", script], env=env, check=True,
                            capture_output=True, text=True)
    return result.stdout.strip().splitlines()[-1]


def start(command, env, port):
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    # Generous: the smoke run starts every bench's servers at once on a busy machine.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except urllib.error.HTTPError:
            return process  # it answers: up
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"server on port {port} did not start")


def load(port, seconds, connections, env, rate=None):
    """(req/s, p50, p99, non-2xx) of `seconds` of wrk; `rate`: requests per second offered
    (paced arrivals), None: as fast as the server answers."""
    if rate:
        env = {**env, "RATE": str(rate), "CONNECTIONS": str(connections)}
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
               "-s", str(HERE / "support/post_responses.lua"), f"http://127.0.0.1:{port}"]
    output = subprocess.run(command, env=env, check=True, capture_output=True,
                            text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, latency.get("50"), latency.get("99"), int(errors.group(1)) if errors else 0


# Every rule that can hold a campaign back, at work on every response: the budget and the
# callback campaigns' capacity read the database, holdouts hash the customer's identity.
LIMITS = """
import django; django.setup()
from kairos.accounts.models import Organization
from kairos.campaigns.budget import set_contact_budget
from kairos.campaigns.models import Campaign
from kairos.demo import DEMO_SHOP_NAME
shop = Organization.objects.get(name=DEMO_SHOP_NAME)
set_contact_budget(shop, {"campaigns": 3, "days": 1})
always = {day: ["00:00", "24:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
Campaign.objects.filter(organization=shop, type="callback_request").update(
    holdout_percent=10, max_open_callbacks=1000, callback_hours=always)
"""


PG_SERVER = "postgres://postgres@127.0.0.1:5432"
_databases = []  # the PostgreSQL databases made in this run, dropped at the end


# The load comes from one address and one site key: the limits still count every request
# (their cost is measured) but are set too high to refuse one.
COUNTED = {"PUBLIC_RATE_LIMIT_PER_ADDRESS": "1000000000",
           "PUBLIC_RATE_LIMIT_PER_SITE_KEY": "1000000000"}


def environment(source, limits=False):
    """A fresh database (SQLite, or PostgreSQL with --database postgres) with the bench
    shop, for Kairos' code in `source`."""
    env = {**os.environ, "DATA_DIR": tempfile.mkdtemp(prefix="kairos-bench-"),
           "DJANGO_SETTINGS_MODULE": "kairos.settings",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
           "PYTHONPATH": f"{source}:{HERE / 'support'}", **COUNTED}
    env.pop("DATABASE_URL", None)
    if OPTIONS.database == "postgres":
        env["DATABASE_URL"] = fresh_postgres_database()
    env["SITE_KEY"] = prepare_shop(env)
    if limits:
        subprocess.run([sys.executable, "-c", LIMITS], env=env, check=True)
    return env


def fresh_postgres_database():
    import psycopg

    name = f"{OPTIONS.pg_database}_{len(_databases)}" if _databases else OPTIONS.pg_database
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    _databases.append(name)
    return f"{PG_SERVER}/{name}"


def drop_postgres_databases():
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        for name in _databases:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def checkout(ref):
    """Kairos' src/ as at git `ref`, in a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="kairos-ref-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref, "src"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def free_port():
    """A port nobody listens on: other benchmarks or servers may share this machine."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kairos_server(port, args):
    return [sys.executable, "-m", "kairos", "serve", "--port", str(port), "--workers",
            str(args.workers), "--threads", str(args.threads)]


OPTIONS = argparse.Namespace(database="sqlite")


def main():
    args = parse_args()
    OPTIONS.__dict__.update(vars(args))
    try:
        serve_and_load(args)
    finally:
        if _databases:
            drop_postgres_databases()


def serve_and_load(args):
    env = environment(ROOT / "src")
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    bare, port = free_port(), free_port()
    servers = {
        "bare django-ninja": ([gunicorn, "-w", str(args.workers), "--threads",
                               str(args.threads), "-b", f"127.0.0.1:{bare}",
                               "--chdir", str(HERE / "support"), "bare_ninja:application"],
                              bare, env),
        "kairos": (kairos_server(port, args), port, env),
    }
    if args.rate:
        # gunicorn's sync workers wait on a connection until its paced request arrives,
        # so the bare endpoint's latency would be its server's, not the endpoint's.
        del servers["bare django-ninja"]
    if args.with_worker:
        port = free_port()
        servers["kairos + worker"] = ([*kairos_server(port, args), "--with-worker"], port,
                                      environment(ROOT / "src"))
    if args.with_limits:
        port = free_port()
        servers["kairos + limits"] = (kairos_server(port, args), port,
                                      environment(ROOT / "src", limits=True))
    for ref in args.compare_with:
        port = free_port()
        servers[f"kairos at {ref[:12]}"] = (kairos_server(port, args), port,
                                             environment(checkout(ref)))
    runs = {name: [] for name in servers}
    for _round in range(args.rounds):
        for name, (command, port, server_env) in servers.items():
            process = start(command, server_env, port)
            try:
                if args.warmup:
                    load(port, args.warmup, args.connections, server_env)  # imports, caches
                runs[name].append(load(port, args.seconds, args.connections, server_env,
                                       args.rate))
            finally:
                process.terminate()
                process.wait()
    results = {name: median_run(found) for name, found in runs.items()}
    report(results, args)


def median_run(found):
    """The run with the median requests per second (the lower one of an even count)."""
    return sorted(found)[(len(found) - 1) // 2]


def report(results, args):
    print(f"\nPOST /api/public/v1/responses, {args.workers} workers x "
          f"{args.threads} threads (bare: gunicorn, kairos: kairos serve), wrk "
          f"{args.connections} connections, {args.seconds}s, {args.database}"
          + (f", {args.rate} req/s offered" if args.rate else "") + "\n")
    print(f"{'server':<24}{'req/s':>10}{'p50':>10}{'p99':>10}{'non-2xx':>10}")
    for name, (rps, p50, p99, errors) in results.items():
        print(f"{name:<24}{rps:>10.0f}{p50:>10}{p99:>10}{errors:>10}")
    if args.rate:  # each server answers what is offered: its latency is the figure
        print(f"\nkairos p99 at {args.rate} req/s offered = {results['kairos'][2]} "
              f"(issue 18: under 25 ms)")
        return
    ratio = results["kairos"][0] / results["bare django-ninja"][0]
    print(f"\nkairos / bare = {ratio:.0%} (issue 18: at least 50%)")
    if args.with_limits:
        limited = results["kairos + limits"][0] / results["kairos"][0]
        print(f"kairos + limits / kairos = {limited:.1%} of its requests per second")
    for ref in args.compare_with:
        before = results[f"kairos at {ref[:12]}"][0]
        print(f"kairos / kairos at {ref[:12]} = {results['kairos'][0] / before:.1%} of its "
              f"requests per second ({args.rounds} interleaved rounds, medians)")


if __name__ == "__main__":
    main()
