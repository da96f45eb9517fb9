"""Scale-out: two `kairos serve` over one PostgreSQL against one, on the hot path.

The shop is bench_responses.py's (the demo shop, 20 live campaigns), on PostgreSQL. In one
run, alternating `--rounds` times:

1. one server: wrk with `--connections` on POST /api/public/v1/responses;
2. two servers (two ports, the same database): two wrk at once, each with half the
   connections, on its own server — the client load split across the ports, as a load
   balancer would split it.

Reported: each one's requests per second (two servers: the sum), p99, and two ÷ one. Each
server has `--workers` worker processes (default 1, so one server is clearly the
bottleneck; on a machine with more cores than this 2-core one, give each more).

    SECRET_KEY=x .venv/bin/python bench/bench_scaleout.py [--seconds 10] [--connections 32]
        [--workers 1] [--rounds 2]

The database `--pg-database` (default kairos_bench_scaleout) on 127.0.0.1:5432 is dropped
and created.
"""

import argparse
import statistics
import sys
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_contention import environment, milliseconds, serve_command  # noqa: E402
from bench_responses import free_port, load, start  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--pg-database", default="kairos_bench_scaleout")
    return parser.parse_args()


def at_once(ports, seconds, connections, env):
    """wrk on every port at the same time, `connections` split between them."""
    results = [None] * len(ports)

    def run(index, port):
        results[index] = load(port, seconds, connections // len(ports), env)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(ports)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (sum(r[0] for r in results), max(milliseconds(r[2]) for r in results),
            sum(r[3] for r in results))


def main():
    args = parse_args()
    env = environment("postgres", args.pg_database)
    ports = [free_port(), free_port()]
    options = ("--workers", str(args.workers), "--dashboard-processes", "1")
    servers = [start(serve_command(port, *options), env, port) for port in ports]
    try:
        at_once(ports, 3, args.connections, env)  # warm both up
        one, two = [], []
        for _ in range(args.rounds):
            one.append(at_once(ports[:1], args.seconds, args.connections, env))
            two.append(at_once(ports, args.seconds, args.connections, env))
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait()
    print(f"POST /api/public/v1/responses by wrk, {args.connections} connections in all, "
          f"{args.seconds} s per step, PostgreSQL, {args.workers} worker process(es) per "
          f"server\n")
    print("| round | one server req/s | p99 | two servers req/s | worst p99 | two ÷ one |")
    print("|---|---:|---:|---:|---:|---:|")
    for number, (alone, pair) in enumerate(zip(one, two, strict=True), 1):
        print(f"| {number} | {alone[0]:,.0f} | {alone[1]:.1f} ms | {pair[0]:,.0f} | "
              f"{pair[1]:.1f} ms | {pair[0] / alone[0]:.2f}× |")
    ratio = statistics.median(p[0] / a[0] for a, p in zip(one, two, strict=True))
    errors = sum(r[2] for r in one + two)
    print(f"\nmedian two ÷ one: {ratio:.2f}×; non-2xx answers: {errors}")


if __name__ == "__main__":
    main()
