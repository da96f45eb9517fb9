"""How many CSV rows per second `kairos import responses` stores.

Generates a CSV of realistic rows (1% of them invalid, as real exports have) in a temp
directory, creates a shop, migrates a fresh database and times the import command.

Run: SECRET_KEY=x DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_import.py
     [--rows 100000] [--batch-size 1000] [--profile]
DATA_DIR must be an empty temp directory: the bench migrates the SQLite database in it.
"""

import argparse
import cProfile
import csv
import io
import os
import pstats
import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kairos.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

HEADER = [
    "submitted_at", "stage", "locale", "device_id", "answers.nps", "answers.rating",
    "answers.comment", "questionnaire.transaction_id", "questionnaire.transaction_date",
    "questionnaire.store_id", "questionnaire.amount", "questionnaire.products",
    "responder.email", "responder.name", "responder.phone_number", "responder.customer_id",
    "responder.vip",
]
STORES = ["athens", "thessaloniki", "patra", "heraklion", "online"]
NAMES = ["Μαρία Παπαδοπούλου", "Maria Papadopoulou", "Γιώργος Νικολάου", "Ελένη Γεωργίου",
         "Nikos Ioannou", "Κατερίνα Δημητρίου", "Dimitris Pappas", "Anna Vlachou"]
COMMENTS = ["", "", "", "late delivery", "Η παράδοση άργησε", "great service"]


def row(rng, number, start):
    moment = start + timedelta(seconds=rng.randrange(90 * 86400))
    bad = number % 100 == 99  # 1% invalid rows, rejected with their reasons
    return [
        moment.strftime("%Y-%m-%d %H:%M:%S"), rng.choice(["checkout", "after_sales"]),
        rng.choice(["el", "el", "en"]), f"d-{number:08x}",
        "11" if bad else str(rng.randint(0, 10)), str(rng.randint(1, 10)),
        rng.choice(COMMENTS), f"A-{number}", moment.date().isoformat(), rng.choice(STORES),
        f"{rng.uniform(10, 400):.2f}", "shoes;bags" if number % 3 else "",
        f"customer{number % 40000}@example.com", rng.choice(NAMES),
        f"69{rng.choice('0345789')}{rng.randrange(10**7):07d}", f"c-{number % 40000}",
        rng.choice(["yes", "no", ""]),
    ]


def write_csv(path, rows):
    rng = random.Random(7)
    start = datetime(2026, 8, 1, 8, 0)
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADER)
        for number in range(rows):
            writer.writerow(row(rng, number, start))


def timed_import(path, shop, batch_size, profile):
    output = io.StringIO()
    profiler = cProfile.Profile() if profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    call_command("import", "responses", str(path), organization=shop.name, quiet=True,
                 batch_size=batch_size, stdout=output)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(35)
    cpu_seconds = time.process_time() - cpu_started
    return time.perf_counter() - started, cpu_seconds, output.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()

    from kairos.accounts.services import create_organization
    from kairos.questionnaires.models import Response

    call_command("migrate", verbosity=0)
    shop = create_organization(f"Bench Shop {time.time_ns()}", country="GR",
                               time_zone="Europe/Athens")
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "responses.csv"
        write_csv(path, options.rows)
        size = path.stat().st_size / 1e6
        seconds, cpu_seconds, output = timed_import(path, shop, options.batch_size,
                                                    options.profile)
    stored = Response.objects.filter(organization=shop).count()
    print(output.splitlines()[0])
    print(f"{connection.vendor}: {options.rows:,} rows ({size:.1f} MB) in {seconds:.2f} s "
          f"= {options.rows / seconds:,.0f} rows/s "
          f"({options.rows / cpu_seconds:,.0f} rows per CPU second, this process); "
          f"{stored:,} stored, {options.rows - stored:,} rejected")


if __name__ == "__main__":
    main()
