import argparse
import math

from django.core.management.base import BaseCommand

from kairos.worker.runner import Worker


def seconds(value):
    number = float(value)
    if not math.isfinite(number) or not 0.05 <= number <= 60:
        raise argparse.ArgumentTypeError("between 0.05 and 60 seconds")
    return number


class Command(BaseCommand):
    help = ("Run Kairos' background work: dispatch events, deliver webhooks, send e-mails, "
            "run the periodic jobs (SLA warnings, digests). "
            "Run several beside each other on PostgreSQL; one on SQLite.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=seconds, default=1.0,
                            help="seconds to wait when there is nothing to do (default 1)")
        parser.add_argument("--once", action="store_true",
                            help="do everything that is due now, then exit")

    def handle(self, *args, interval, once, **options):
        worker = Worker(interval=interval)
        if once:
            worker.run_until_idle()
        else:
            worker.run()
