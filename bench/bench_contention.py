"""The public API while the dashboard is busy: is the hot path starved?

In one run, for each database (SQLite, PostgreSQL) and each serving setup:

1. quiet: wrk on POST /api/public/v1/responses (the baseline, bench_responses.py's bodies);
2. busy: the same, while 4 signed-in users load the heaviest dashboard pages of a big shop
   over and over — the responses list, a campaign's performance page and Home, in turn.

The figures that matter: busy throughput ÷ quiet throughput (target ≥ 80%) and the busy
p99 (target < 50 ms). The shop is bench_responses.py's (the demo shop, 20 live campaigns)
after a few seconds of real submissions, its responses (with their impressions) then
copied until there are `--responses`, spread over the last 60 days. The public API's rate
limits are counted as always but set too high to refuse the load.

    SECRET_KEY=x .venv/bin/python bench/bench_contention.py [--responses 200000]
        [--database sqlite --database postgres] [--setup threads --setup processes …]
        [--seconds 10] [--connections 32] [--users 4] [--rounds 2]

PostgreSQL: the database `--pg-database` (default kairos_bench_contention) on
127.0.0.1:5432 is dropped and created.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_responses import free_port, load, prepare_shop, start  # noqa: E402
from bench_traffic import signed_in_opener, while_busy  # noqa: E402

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
NO_REFUSALS = str(10 ** 9)  # counted, never over


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--database", action="append", choices=["sqlite", "postgres"])
    parser.add_argument("--setup", action="append", choices=sorted(SETUPS),
                        help="serving setups to compare (default: all)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2,
                        help="quiet then busy, this many times on each server")
    parser.add_argument("--pg-database", default="kairos_bench_contention")
    return parser.parse_args()


# ---- serving setups -------------------------------------------------------------------

def serve_command(port, *options):
    return [sys.executable, "-m", "kairos", "serve", "--port", str(port), *options]


SETUPS = {
    # One granian, 2 processes, each with a public and a dashboard thread pool (as before
    # issue 18).
    "threads": (("--dashboard-processes", "0"), {}),
    # `kairos serve`'s default: the dashboard on processes of its own (see kairos.asgi),
    # 2 per worker process, its PostgreSQL sessions without parallel workers.
    "processes": ((), {}),
    # The same with 1 dashboard process per worker: fewer heavy pages at once.
    "processes-1": (("--dashboard-processes", "1"), {}),
}


# ---- the shop -------------------------------------------------------------------------

def environment(database, pg_database):
    env = {**os.environ, "DATA_DIR": tempfile.mkdtemp(prefix="kairos-bench-contention-"),
           "DJANGO_SETTINGS_MODULE": "kairos.settings",
           "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
           "PYTHONPATH": f"{HERE.parent / 'src'}:{HERE / 'support'}",
           "PUBLIC_RATE_LIMIT_PER_ADDRESS": NO_REFUSALS,
           "PUBLIC_RATE_LIMIT_PER_SITE_KEY": NO_REFUSALS}
    if database == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{pg_database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{pg_database}"')
        env["DATABASE_URL"] = f"{PG_SERVER}/{pg_database}"
    else:
        env.pop("DATABASE_URL", None)
    env["SITE_KEY"] = prepare_shop(env)
    return env


# Copies of responses (new ids, no idempotency key, moved back by up to 60 days) and of
# their impressions, doubling the shop until it holds the wanted number.
COPY = """
import sys, django; django.setup()
from django.db import connection, transaction
wanted = int(sys.argv[1])
sqlite = connection.vendor == "sqlite"
new_id = "lower(hex(randomblob(16)))" if sqlite else "gen_random_uuid()"
shift = "abs(random()) % 86400" if sqlite else "floor(random() * 86400)::int"
def moved(column):
    if sqlite:
        return f"strftime('%Y-%m-%d %H:%M:%f', {column}, '-' || c.shift || ' minutes')"
    return f"{column} - make_interval(mins => c.shift)"
def columns(table):
    return [c.name for c in connection.introspection.get_table_description(
        connection.cursor(), table)]
def copy(table, key, replaced):
    names = columns(table)
    chosen = ", ".join(replaced.get(n, f"t.{n}") for n in names)
    return (f"INSERT INTO {table} ({', '.join(names)}) SELECT {chosen} FROM {table} t "
            f"JOIN copies c ON t.{key} = c.old_id")
with connection.cursor() as cursor:
    while (have := cursor.execute("SELECT count(*) FROM questionnaires_response")
           .fetchone()[0]) < wanted:
        with transaction.atomic():
            cursor.execute("DROP TABLE IF EXISTS copies")
            cursor.execute(f"CREATE TEMP TABLE copies AS SELECT id AS old_id, {new_id} AS "
                           f"new_id, {shift} AS shift FROM questionnaires_response "
                           f"LIMIT {min(have, wanted - have)}")
            cursor.execute(copy("questionnaires_response", "id", {
                "id": "c.new_id", "idempotency_key": "NULL",
                "submitted_at": moved("t.submitted_at")}))
            cursor.execute(copy("campaigns_impression", "response_id", {
                "id": new_id, "response_id": "c.new_id", "shown_at": moved("t.shown_at")}))
    cursor.execute("ANALYZE")
    count = cursor.execute("SELECT count(*) FROM campaigns_impression").fetchone()[0]
    campaign = cursor.execute("SELECT campaign_id FROM campaigns_impression GROUP BY campaign_id "
                              "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
print(count, campaign)
"""


def grow_shop(env, responses):
    """Seed the shop through the hot path, then copy it up to `responses`; the busiest
    campaign's id (its page is among the heavy ones) and the number of impressions."""
    port = free_port()
    seed = start(serve_command(port), env, port)
    try:
        load(port, 3, 16, env)  # the shop's first responses, the way they arrive
    finally:
        seed.terminate()
        seed.wait()
    began = time.monotonic()
    result = subprocess.run([sys.executable, "-c", COPY, str(responses)], env=env, check=True,
                            capture_output=True, text=True)
    impressions, campaign = result.stdout.split()[-2:]
    return int(campaign), int(impressions), time.monotonic() - began


# ---- the measurement ------------------------------------------------------------------

def heavy_pages(campaign):
    return ["/dashboard/responses/", f"/dashboard/campaigns/{campaign}/performance/",
            "/dashboard/"]


def dashboard_users(url, users, pages, timings):
    openers = [signed_in_opener(url) for _ in range(users)]
    turns = [0] * users

    def load_a_heavy_page(n):
        page = pages[turns[n] % len(pages)]
        turns[n] += 1
        began = time.monotonic()
        openers[n].open(f"{url}{page}", timeout=120).read()
        timings.setdefault(page, []).append(time.monotonic() - began)
    return load_a_heavy_page


def measure(setup, env, args, campaign):
    """[(quiet, busy, pages loaded, page timings)] for each round, on one server."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    options, extra = SETUPS[setup]
    process = start(serve_command(port, *options), {**env, **extra}, port)
    rounds = []
    try:
        load(port, 2, args.connections, env)  # warm up
        for _ in range(args.rounds):
            quiet = load(port, args.seconds, args.connections, env)
            timings = {}
            users = dashboard_users(url, args.users, heavy_pages(campaign), timings)
            busy, pages = while_busy(users, args.users,
                                     lambda: load(port, args.seconds, args.connections, env))
            rounds.append((quiet, busy, pages, timings))
    finally:
        process.terminate()
        process.wait()
    return rounds


def milliseconds(wrk_latency):
    """wrk's '12.34ms' / '1.20s' / '900.00us' as milliseconds."""
    for unit, factor in (("ms", 1), ("us", 0.001), ("s", 1000)):
        if wrk_latency.endswith(unit):
            return float(wrk_latency[:-len(unit)]) * factor
    raise ValueError(wrk_latency)


def report(database, setup, rounds):
    for number, (quiet, busy, pages, timings) in enumerate(rounds, 1):
        ratio = busy[0] / quiet[0]
        p99 = milliseconds(busy[2])
        verdict = "met" if ratio >= 0.8 and p99 < 50 else "missed"
        page_p50 = ", ".join(f"{page} {sorted(t)[len(t) // 2]:.2f} s"
                             for page, t in sorted(timings.items()))
        print(f"| {database} | {setup} | {number} | {quiet[0]:,.0f} | {quiet[1]} / {quiet[2]} |"
              f" {busy[0]:,.0f} | {busy[1]} / {busy[2]} | {ratio:.0%} | {pages} | {verdict} |"
              f" non-2xx {quiet[3]}/{busy[3]}; page p50: {page_p50}", flush=True)
    ratios = [busy[0] / quiet[0] for quiet, busy, _pages, _timings in rounds]
    print(f"| {database} | {setup} | median | | | | | **{statistics.median(ratios):.0%}** |"
          f" | |", flush=True)


def main():
    args = parse_args()
    print(f"POST /api/public/v1/responses by wrk ({args.connections} connections, "
          f"{args.seconds} s per step) alone, then while {args.users} users load the "
          f"responses list, a campaign's performance page and Home", flush=True)
    for database in args.database or ["sqlite", "postgres"]:
        began = time.monotonic()
        env = environment(database, args.pg_database)
        campaign, impressions, copying = grow_shop(env, args.responses)
        print(f"\n{database}: {args.responses:,} responses, {impressions:,} impressions, "
              f"built in {time.monotonic() - began:.0f} s (copying {copying:.0f} s)\n",
              flush=True)
        print("| database | setup | round | quiet req/s | quiet p50 / p99 | busy req/s | "
              "busy p50 / p99 | ratio | pages loaded | target |")
        print("|---|---|---|---:|---|---:|---|---:|---:|---|")
        for setup in args.setup or list(SETUPS):
            report(database, setup, measure(setup, env, args, campaign))


if __name__ == "__main__":
    main()
