"""Round trips to PostgreSQL per hot-path request (POST /api/public/v1/responses).

On PostgreSQL each round trip is a wait on the network and on the server, whatever the
statement: this counts them, deterministically, where wrk's figures move with the load.
The bench shop of bench_responses.py (20 live campaigns, most frequency-capped) answers
`--requests` varied submissions through the hot path's WSGI application, in process,
while libpq traces every protocol message; a round trip is a turn from client messages
to server messages.

    SECRET_KEY=x .venv/bin/python bench/bench_round_trips.py [--requests 20]
        [--pg-database kairos_bench_round_trips] [--show]
"""

import argparse
import collections
import io
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

import bench_responses  # noqa: E402

PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def parse_arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--pg-database", default="kairos_bench_round_trips")
    parser.add_argument("--show", action="store_true", help="print one request's messages")
    return parser.parse_args(argv)


def fresh_database(name):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{PG_SERVER}/{name}"


def drop_database(name):
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def submit(application, site_key, number):
    body = json.dumps({
        "site_key": site_key, "stage": "checkout", "locale": "el", "device_id": f"d-{number}",
        "answers": {"nps": number % 11, "rating": 3},
        "metadata": {"questionnaire": {"store_id": "athens", "amount": 20},
                     "responder": {"email": f"c{number % 50}@example.com"}}}).encode()
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/api/public/v1/responses",
               "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
               "CONTENT_TYPE": "application/json", "HTTP_HOST": "127.0.0.1",
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}
    statuses = []
    b"".join(application(environ, lambda status, headers: statuses.append(status)))
    assert statuses[0].startswith("201"), statuses


def build_bench_shop():
    """bench_responses.py's shop, built in this process (Django set up); its site key."""
    namespace = {}
    exec(bench_responses.SHOP_SCRIPT.replace("import django; django.setup()", "")
         .replace("print(shop.site_key)", ""), namespace)
    return namespace["shop"].site_key


def traced(requests, application, site_key):
    """The libpq trace's (direction, message) pairs while `requests` requests run."""
    from django.db import connection

    connection.ensure_connection()
    with tempfile.TemporaryFile("w+") as trace:
        connection.connection.pgconn.trace(trace.fileno())
        for number in range(requests):
            submit(application, site_key, 1000 + number)
        connection.connection.pgconn.untrace()
        trace.seek(0)
        fields = [line.split("\t") for line in trace.read().splitlines()]
    return [(f[1], f[3], f[4] if len(f) > 4 else "") for f in fields if len(f) > 3]


def main(argv=None):
    options = parse_arguments(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kairos.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="kairos-bench-")
    os.environ["DATABASE_URL"] = fresh_database(options.pg_database)
    import django

    django.setup()
    try:
        site_key = build_bench_shop()
        from kairos.integrations.hot_path import application

        for number in range(5):  # warm: caches, registered fields, the connection
            submit(application, site_key, number)
        messages = traced(options.requests, application, site_key)
    finally:
        drop_database(options.pg_database)
    turns = sum(1 for (a, *_), (b, *_) in zip(messages, messages[1:], strict=False)
                if a == "F" and b == "B")
    statements = collections.Counter(kind for direction, kind, _ in messages
                                     if direction == "F" and kind in ("Query", "Parse"))
    print(f"PostgreSQL, {options.requests} hot-path requests: "
          f"{turns / options.requests:.1f} round trips per request, "
          f"{sum(statements.values()) / options.requests:.1f} statements per request")
    if options.show:
        for direction, kind, text in messages[:len(messages) // options.requests]:
            print(direction, kind, text[:90])
    return turns / options.requests


if __name__ == "__main__":
    main()
