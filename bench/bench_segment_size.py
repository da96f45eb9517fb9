"""How long counting a segment over a million stored responses takes, against hand-written SQL.

Creates one shop and N responses stored exactly as the app stores them (typed columns
copied from the JSON by the app's own copy_typed_fields, checked against build_response
and read back through the ORM), then times, warm, best of 5:
  a) hand-written SQL over the typed columns (the baseline);
  b) Kairos: rule_to_q over Response, typed columns where they exist;
  c) naive: the same rule compiled over the JSON documents only (TYPED_COLUMNS = {});
  d) the dashboard's preview: the 30-day window, responses + distinct responders.

Run: SECRET_KEY=x DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_segment_size.py
     [--rows 1000000] [--database sqlite|postgres] [--repeat 5] [--show-sql] [--keep]
SQLite: a fresh database file in DATA_DIR (must not exist yet). PostgreSQL: the database
kairos_bench on 127.0.0.1:5432 (user postgres), dropped and created by the bench, and
dropped again at the end unless --keep.
"""

import argparse
import contextlib
import datetime
import itertools
import json
import math
import os
import random
import sys
import tempfile
import time
import types
import uuid
import zoneinfo
from pathlib import Path

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
RULE = {
    "any": [
        {"all": [
            {"field": "answers.nps", "op": "lte", "value": 6},
            {"field": "questionnaire.store_id", "op": "in", "value": ["athens", "thessaloniki"]},
            {"field": "questionnaire.amount", "op": "gte", "value": 50},
        ]},
        {"all": [
            {"field": "answers.rating", "op": "lte", "value": 4},
            {"field": "questionnaire.transaction_date", "op": "within_last_days", "value": 30},
        ]},
    ]
}
BASELINE_SQL = """
    SELECT COUNT(*) FROM questionnaires_response
    WHERE organization_id = %s
      AND ((nps <= 6 AND store_id IN ('athens', 'thessaloniki') AND amount >= 50)
           OR (rating <= 4 AND transaction_date >= %s AND transaction_date <= %s))
"""
# The preview's window and distinct responders, written by hand over the same columns.
BASELINE_PREVIEW_SQL = """
    SELECT COUNT(*), COUNT(DISTINCT responder_key) FROM questionnaires_response
    WHERE organization_id = %s AND submitted_at >= %s AND submitted_at < %s
      AND ((nps <= 6 AND store_id IN ('athens', 'thessaloniki') AND amount >= 50)
           OR (rating <= 4 AND transaction_date >= %s AND transaction_date <= %s))
"""

# Realistic shapes: NPS skewed to promoters, rating following NPS, a few big stores.
NPS_CUMULATIVE = list(itertools.accumulate([2, 1, 2, 2, 3, 5, 7, 13, 20, 22, 23]))
STORES = ["athens", "thessaloniki", "patra", "heraklion", "larissa", "online"]
STORE_CUMULATIVE = list(itertools.accumulate([30, 18, 8, 8, 6, 30]))
PRODUCTS = ["shoes", "bags", "shirts", "jackets", "accessories", "kids"]
COMMENTS = ["late delivery", "Η παράδοση άργησε", "great service", "τέλεια εξυπηρέτηση",
            "packaging was damaged", "too expensive shipping"]
NAMES = ["Μαρία Παπαδοπούλου", "Maria Papadopoulou", "Γιώργος Νικολάου", "Ελένη Γεωργίου",
         "Nikos Ioannou", "Κατερίνα Δημητρίου", "Dimitris Pappas", "Anna Vlachou"]
CUSTOMERS = 200_000
FIELD_TYPES_SENT = {
    "questionnaire.transaction_id": "text", "questionnaire.transaction_date": "date",
    "questionnaire.store_id": "text", "questionnaire.amount": "number",
    "questionnaire.products": "list", "responder.email": "text",
    "responder.phone_number": "text", "responder.name": "text",
    "responder.customer_id": "text", "responder.vip": "boolean",
}


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pg-database", default="kairos_bench")
    parser.add_argument("--show-sql", action="store_true",
                        help="print the SQL Django generates (always done when b > 3x a)")
    parser.add_argument("--keep", action="store_true",
                        help="PostgreSQL: keep the database afterwards")
    return parser.parse_args()


# ---- database ------------------------------------------------------------------------

def configure_environment(options):
    """Before django.setup(): settings read DATABASE_URL and DATA_DIR when imported."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kairos.settings")
    if not os.environ.get("DATA_DIR"):
        os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="kairos-bench-")
    if options.database == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{options.pg_database}"')
            admin.execute(f'CREATE DATABASE "{options.pg_database}"')
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{options.pg_database}"
    else:
        path = Path(os.environ["DATA_DIR"]).resolve() / "bench-segment-size.sqlite3"
        if path.exists():
            sys.exit(f"{path} exists: point DATA_DIR at an empty temp directory")
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"


def drop_postgres_database(options):
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{options.pg_database}"')


# ---- responses -----------------------------------------------------------------------

def submissions(count, now, shop_zone, seed=7):
    """(device_id, locale, submitted_at, answers, order metadata, customer metadata), in
    submission order, already in the cleaned form the app stores."""
    rng = random.Random(seed)
    span = 60 * 86400
    offsets = sorted(rng.random() * span for _ in range(count))
    start = now - datetime.timedelta(seconds=span)
    for number, offset in enumerate(offsets):
        submitted_at = start + datetime.timedelta(seconds=offset)
        nps = rng.choices(range(11), cum_weights=NPS_CUMULATIVE)[0]
        answers = {"nps": nps}
        if rng.random() < 0.8:
            answers["rating"] = min(10, max(1, round(1 + 0.85 * nps + rng.gauss(0, 1.3))))
        if rng.random() < 0.15:
            answers["comment"] = rng.choice(COMMENTS)
        order = {}
        if rng.random() < 0.95:
            local_day = submitted_at.astimezone(shop_zone).date()
            order["transaction_id"] = f"T{number:08d}"
            order["transaction_date"] = (
                local_day - datetime.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 5)))
            ).isoformat()
        if rng.random() < 0.97:
            order["store_id"] = rng.choices(STORES, cum_weights=STORE_CUMULATIVE)[0]
        if rng.random() < 0.96:
            order["amount"] = round(rng.lognormvariate(math.log(55), 0.75), 2)
        if rng.random() < 0.6:
            order["products"] = sorted(rng.sample(PRODUCTS, rng.randint(1, 3)))
        customer = {}
        if rng.random() < 0.7:  # a known customer, some of whom come back often
            who = int(CUSTOMERS * rng.random() ** 2)
            device_id = f"d-{who:08x}"
            if who % 10 < 8:
                customer["email"] = f"customer{who}@example.com"
            if who % 2 == 0:
                customer["phone_number"] = f"+30694{who:07d}"
            customer["name"] = NAMES[who % len(NAMES)]
            if who % 5 < 3:
                customer["customer_id"] = f"c-{who}"
            if who % 7 < 2:
                customer["vip"] = who % 7 == 0
        else:  # a guest
            device_id = f"g-{rng.getrandbits(48):012x}"
            if rng.random() < 0.5:
                customer["email"] = f"guest{number}@example.gr"
        locale = "el" if rng.random() < 0.7 else "en"
        yield device_id, locale, submitted_at, answers, order, customer


def model_values(rng, submission, organization, version, copy_typed_fields):
    """A response's model field values, typed columns filled by the app's own code."""
    device_id, locale, submitted_at, answers, order, customer = submission
    response = types.SimpleNamespace(
        id=uuid.UUID(int=rng.getrandbits(128), version=4),
        organization_id=organization.pk, questionnaire_version_id=version.pk,
        stage=version.questionnaire.stage, locale=locale, submitted_at=submitted_at,
        source="widget", device_id=device_id, answers=answers,
        questionnaire_metadata=order, responder_metadata=customer, idempotency_key=None,
    )
    copy_typed_fields(response)
    return vars(response)


def row_encoder(connection, columns):
    """Model values -> a tuple of database values, as Django would store them."""
    ops = connection.ops
    sqlite = connection.vendor == "sqlite"
    json_columns = {"answers", "questionnaire_metadata", "responder_metadata"}
    encoders = []
    for column in columns:
        attribute = column
        if column in json_columns:
            encoders.append((attribute, json.dumps))
        elif column == "id":
            encoders.append((attribute, (lambda v: v.hex) if sqlite else None))
        elif column == "submitted_at":
            encoders.append((attribute, ops.adapt_datetimefield_value))
        elif column == "transaction_date":
            encoders.append((attribute, ops.adapt_datefield_value))
        else:
            encoders.append((attribute, None))

    def encode(values):
        return tuple(
            values[attribute] if encoder is None or values[attribute] is None
            else encoder(values[attribute])
            for attribute, encoder in encoders
        )

    return encode


def load_responses(organization, version, rows, now):
    """Stores `rows` responses in batches of 10k (executemany / COPY); returns samples
    [(model values, submission)] to check afterwards."""
    from django.db import connection, transaction

    from kairos.questionnaires.models import Response
    from kairos.questionnaires.services import copy_typed_fields

    columns = [field.column for field in Response._meta.concrete_fields]
    attributes = {field.column: field.attname for field in Response._meta.concrete_fields}
    assert all(column == attributes[column] for column in columns)
    encode = row_encoder(connection, columns)
    zone = zoneinfo.ZoneInfo(organization.time_zone)
    rng = random.Random(11)
    samples = []
    every = max(1, rows // 200)
    batch = []
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    table = connection.ops.quote_name(Response._meta.db_table)

    def flush(cursor):
        if connection.vendor == "sqlite":
            marks = ", ".join("?" * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)
        else:
            with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        batch.clear()

    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection.cursor()
        if connection.vendor == "sqlite":
            raw.execute("PRAGMA cache_size = -400000")  # 400 MB while loading only
        for number, submission in enumerate(submissions(rows, now, zone)):
            values = model_values(rng, submission, organization, version, copy_typed_fields)
            if number % every == 0:
                samples.append((values, submission))
            batch.append(encode(values))
            if len(batch) == 10_000:
                flush(raw)
        if batch:
            flush(raw)
        if connection.vendor == "sqlite":
            raw.execute("PRAGMA cache_size = -2000")  # back to SQLite's default
        raw.close()
    return samples


def check_samples(organization, version, samples):
    """The fast path stores what the app stores: build_response agrees, and the ORM reads
    every sampled row back unchanged."""
    from kairos.questionnaires.models import Response
    from kairos.questionnaires.services import build_response

    fields = [f.attname for f in Response._meta.concrete_fields]
    stored = Response.objects.in_bulk([values["id"] for values, _ in samples])
    for values, submission in samples:
        device_id, locale, submitted_at, answers, order, customer = submission
        built = build_response(
            organization, version,
            {"answers": answers, "metadata": {"questionnaire": order, "responder": customer}},
            locale=locale, device_id=device_id, submitted_at=submitted_at)
        read = stored[values["id"]]
        for name in fields:
            if name != "id":
                assert getattr(built, name) == values[name], (name, getattr(built, name))
            assert getattr(read, name) == values[name], (name, getattr(read, name))
    return len(samples)


def vacuum_analyze():
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            cursor.execute("VACUUM (ANALYZE) questionnaires_response")
            cursor.execute("ANALYZE")


# ---- queries -------------------------------------------------------------------------

@contextlib.contextmanager
def json_only():
    """rule_to_q as if Response had no typed columns: every field read from the JSON."""
    from kairos.segments import query

    saved = query.TYPED_COLUMNS
    query.TYPED_COLUMNS = {}
    try:
        yield
    finally:
        query.TYPED_COLUMNS = saved


def best_of(cases, repeat):
    """{name: (best seconds, result)}: each query once to warm the cache, then `repeat`
    rounds that run every query in turn, so load from other processes hits all alike."""
    results = {name: (math.inf, function()) for name, function in cases}
    for _ in range(repeat):
        for name, function in cases:
            started = time.perf_counter()
            result = function()
            seconds = time.perf_counter() - started
            best, expected = results[name]
            assert result == expected, (name, result, expected)
            results[name] = (min(best, seconds), expected)
    return results


def raw_scalar(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if len(row) == 1 else tuple(row)


def executed_sql(function):
    """The SQL a call runs (its last query), parameters inlined by the backend."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return captured.captured_queries[-1]["sql"]


def explain(sql, params=None):
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":
        return "\n".join(f"  {row[-1]}" for row in rows)
    return "\n".join(f"  {row[0]}" for row in rows)


def measure(organization, repeat, show_sql):
    from django.db import connection
    from django.db.models import Count

    from kairos.accounts.shop_time import shop_today
    from kairos.questionnaires.models import Response
    from kairos.segments import services
    from kairos.segments.fields import field_types
    from kairos.segments.query import rule_to_q

    today = shop_today(organization)
    catalog = field_types(organization)
    ops = connection.ops
    baseline_params = [organization.pk, ops.adapt_datefield_value(today - datetime.timedelta(30)),
                       ops.adapt_datefield_value(today)]
    kairos = Response.objects.filter(organization=organization).filter(
        rule_to_q(RULE, catalog, today))
    with json_only():
        naive = Response.objects.filter(organization=organization).filter(
            rule_to_q(RULE, catalog, today))
    in_range = services.window(organization, today - datetime.timedelta(days=29), today)
    previewed = in_range.filter(services.segment_filter(RULE, None, catalog, today))
    zone = zoneinfo.ZoneInfo(organization.time_zone)  # the window, as services.window
    window_start = datetime.datetime.combine(today - datetime.timedelta(days=29),
                                             datetime.time.min, tzinfo=zone)
    window_end = datetime.datetime.combine(today + datetime.timedelta(days=1),
                                           datetime.time.min, tzinfo=zone)
    preview_params = [organization.pk, ops.adapt_datetimefield_value(window_start),
                      ops.adapt_datetimefield_value(window_end), *baseline_params[1:]]

    def preview_counts():
        counts = previewed.aggregate(
            responses=Count("pk"), responders=Count("responder_key", distinct=True))
        return counts["responses"], counts["responders"]

    def full_preview():
        result = services.preview(organization, RULE)
        return result.responses, result.responders, result.total

    cases = [
        ("a) raw SQL, typed columns (baseline)", lambda: raw_scalar(BASELINE_SQL, baseline_params)),
        ("b) Kairos rule_to_q(...).count()", kairos.count),
        ("c) naive: rule over JSON only", naive.count),
        ("d0) raw SQL, 30-day window + distinct",
         lambda: raw_scalar(BASELINE_PREVIEW_SQL, preview_params)),
        ("d) preview-style aggregate (30 days)", preview_counts),
        ("d+) services.preview() whole call", full_preview),
    ]
    load = os.getloadavg()[0]
    results = best_of(cases, repeat)

    baseline_seconds = results[cases[0][0]][0]
    counts = {name: result for name, (_, result) in results.items()}
    print()
    print(f"load average before measuring: {load:.2f} on {os.cpu_count()} CPUs")
    print(f"| query | seconds (best of {repeat}) | × baseline | result |")
    print("|---|---:|---:|---|")
    for name, (seconds, result) in results.items():
        print(f"| {name} | {seconds:.3f} | {seconds / baseline_seconds:.2f} | {result} |")
    a, b, c = (counts[cases[i][0]] for i in range(3))
    print(f"\nsame count: a={a:,} b={b:,} c={c:,} -> {'OK' if a == b == c else 'MISMATCH'}")
    d0, d, full = (counts[cases[i][0]] for i in range(3, 6))
    print(f"preview: raw={d0} aggregate={d} preview()={full} -> "
          f"{'OK' if d0 == d == full[:2] else 'MISMATCH'}")
    ratio = results[cases[1][0]][0] / baseline_seconds
    print(f"target b <= 3x a: {ratio:.2f}x -> {'met' if ratio <= 3 else 'MISSED'}")

    executed = {"b) Kairos": executed_sql(kairos.count), "c) naive": executed_sql(naive.count),
                "d) preview": executed_sql(preview_counts)}
    print("\nEXPLAIN a) baseline:")
    print(explain(BASELINE_SQL, baseline_params))
    print("EXPLAIN b) Kairos:")
    print(explain(executed["b) Kairos"]))
    if show_sql or ratio > 3:
        for label, sql in executed.items():
            print(f"\nSQL {label}, as executed:\n  {sql}")
            if label != "b) Kairos":
                print(f"EXPLAIN {label}:")
                print(explain(sql))
    if not a == b == c or d0 != d:
        sys.exit("counts differ")


def server_version(connection):
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main():
    options = parse_arguments()
    configure_environment(options)
    import django

    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from kairos.accounts.services import create_organization
    from kairos.questionnaires.services import published_version, remember_field_types

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        shop = create_organization("Bench shop", country="GR", time_zone="Europe/Athens")
        version = published_version(shop, "checkout")
        remember_field_types(shop, FIELD_TYPES_SENT)
        migrated = time.perf_counter()
        now = timezone.now()
        samples = load_responses(shop, version, options.rows, now)
        loaded = time.perf_counter()
        vacuum_analyze()
        analyzed = time.perf_counter()
        checked = check_samples(shop, version, samples)
        print(f"{server_version(connection)}: {options.rows:,} responses generated and "
              f"stored in {loaded - migrated:.1f} s "
              f"({options.rows / (loaded - migrated):,.0f} rows/s), VACUUM/ANALYZE "
              f"{analyzed - loaded:.1f} s, migrate {migrated - started:.1f} s; "
              f"{checked} sampled rows match build_response and read back unchanged",
              flush=True)
        measure(shop, options.repeat, options.show_sql)
    finally:
        if options.database == "postgres" and not options.keep:
            drop_postgres_database(options)


if __name__ == "__main__":
    main()
