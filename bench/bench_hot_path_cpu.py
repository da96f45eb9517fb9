"""CPU per hot-path request (POST /api/public/v1/responses), in process, tree against tree.

wrk's figures move with the machine's load; CPU time much less. The bench shop of
bench_responses.py (20 live campaigns, most frequency-capped) answers `--requests` varied
submissions through the hot path's WSGI application called directly (no server), after a
warm-up. Printed per tree: the process's CPU per request and, on PostgreSQL, the CPU its
database session (server process) spent. Each run is a fresh process with a fresh
database; the trees (this one, then each `--compare-with REF`) alternate `--rounds` times.

    SECRET_KEY=x .venv/bin/python bench/bench_hot_path_cpu.py [--database postgres]
        [--requests 2000] [--rounds 3] [--compare-with main]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_responses  # noqa: E402
import bench_round_trips  # noqa: E402


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare-with", metavar="REF", action="append", default=[])
    parser.add_argument("--child", metavar="SRC", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def session_cpu():
    """Seconds of CPU the database server's process for this session has used."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(options):
    """Child process: the hot path of the tree at `options.child`; prints its figures."""
    sys.path.insert(0, options.child)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kairos.settings")
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="kairos-bench-")
    os.environ["PUBLIC_RATE_LIMIT_PER_ADDRESS"] = os.environ[
        "PUBLIC_RATE_LIMIT_PER_SITE_KEY"] = "1000000000"
    postgres = options.database == "postgres"
    name = f"kairos_bench_cpu_{os.getpid()}"
    os.environ.pop("DATABASE_URL", None)
    if postgres:
        os.environ["DATABASE_URL"] = bench_round_trips.fresh_database(name)
    import django

    django.setup()
    try:
        site_key = bench_round_trips.build_bench_shop()
        from kairos.integrations.hot_path import application

        for number in range(100):  # warm: caches, registered fields, prepared statements
            bench_round_trips.submit(application, site_key, number)
        server, started = session_cpu() if postgres else 0, time.process_time()
        for number in range(options.requests):
            bench_round_trips.submit(application, site_key, 1000 + number)
        spent = time.process_time() - started
        server = session_cpu() - server if postgres else 0
    finally:
        if postgres:
            bench_round_trips.drop_database(name)
    print(json.dumps({"client": spent / options.requests * 1000,
                      "server": server / options.requests * 1000}))


def main(argv=None):
    options = parse_arguments(argv)
    if options.child:
        return measure(options)
    trees = {"kairos": str(HERE.parent / "src")}
    trees.update({f"kairos at {ref}": str(bench_responses.checkout(ref))
                  for ref in options.compare_with})
    figures = {tree: [] for tree in trees}
    for _round in range(options.rounds):
        for tree, src in trees.items():
            command = [sys.executable, __file__, "--child", src, "--database",
                       options.database, "--requests", str(options.requests)]
            output = subprocess.run(command, check=True, capture_output=True, text=True,
                                    env={**os.environ, "PYTHONPATH": ""}).stdout
            figures[tree].append(json.loads(output.splitlines()[-1]))
    print(f"\nCPU per hot-path request, in process, {options.requests} requests, "
          f"{options.rounds} rounds, {options.database} (ms; median, then each round)")
    for tree, runs in figures.items():
        for side in ("client", "server") if options.database == "postgres" else ("client",):
            values = [run[side] for run in runs]
            print(f"{tree:<24} {side:<7} {statistics.median(values):6.3f}   "
                  + " ".join(f"{value:.3f}" for value in values))
    return figures


if __name__ == "__main__":
    main()
