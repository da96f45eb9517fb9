"""`kairos import responses FILE --organization "Shop"`: responses from a CSV file."""

import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from kairos.accounts.models import Organization
from kairos.command import KairosCommand
from kairos.questionnaires.importer import CannotImport, import_responses
from kairos.questionnaires.models import Stage

STDIN = "-"


class Command(KairosCommand):
    help = (
        "Import questionnaire responses from a CSV file (or - for standard input). Columns: "
        "submitted_at (required), stage, locale, device_id, answers.<key>, "
        "questionnaire.<key>, responder.<key>. Rows are validated like the public API; "
        "rejected rows are listed with their line numbers and written to FILE.rejected.csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["responses"], help="what the file holds")
        parser.add_argument("file", help='the CSV file, or "-" to read standard input')
        parser.add_argument("--organization", required=True, help="the shop's name (or id)")
        parser.add_argument("--stage", default="",
                            help=f"stage of rows without a stage cell: {' or '.join(Stage.values)}")
        parser.add_argument("--batch-size", type=int, default=1000,
                            help="rows stored per transaction (default 1000)")
        parser.add_argument("--dry-run", action="store_true",
                            help="validate and report (rejections file included), "
                                 "store nothing in the database")
        parser.add_argument("--rejected", default=None,
                            help="where to write the rejected rows "
                                 "(default FILE.rejected.csv, stdin.rejected.csv for -)")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    def handle(self, kind, file, organization, stage, batch_size, dry_run, rejected, quiet,
               **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        shop = find_organization(organization)
        rejections_path = Path(rejected or rejections_file_for(file))
        started = time.monotonic()
        with open_input(file) as stream, progress_bar(file, quiet) as bar:
            try:
                report = import_responses(
                    shop, stream, default_stage=stage, batch_size=batch_size,
                    dry_run=dry_run, rejections_path=rejections_path, progress=bar.update,
                )
            except CannotImport as error:
                raise CommandError(f"Cannot import {file}: {error}.") from None
        self.print_summary(report, shop, dry_run, time.monotonic() - started)

    def print_summary(self, report, shop, dry_run, seconds):
        rows = report.imported + report.rejected
        speed = f"{rows / seconds:,.0f} rows/s" if seconds > 0 else "—"
        verb = "would be imported (dry run: nothing stored)" if dry_run else "imported"
        out = self.stdout.write
        if report.ignored_columns:
            out(self.style.WARNING(f"Ignored columns: {', '.join(report.ignored_columns)}"))
        out(self.style.SUCCESS(f"{plural(report.imported, 'response')} {verb} into {shop.name} "
                               f"in {seconds:.1f} s ({speed})."))
        if not report.rejected:
            return
        out(self.style.WARNING(f"{plural(report.rejected, 'row')} rejected:"))
        for rejection in report.first_rejections:
            out(f"  line {rejection.line}: {rejection.reason}")
        if report.rejected > len(report.first_rejections):
            out(f"  … and {report.rejected - len(report.first_rejections):,} more")
        out(f"All rejections: {report.rejections_path}")


def plural(count, noun):
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def find_organization(name_or_id):
    shops = list(Organization.objects.filter(name=name_or_id)[:2])
    if not shops and name_or_id.isdigit():
        shops = list(Organization.objects.filter(pk=int(name_or_id)))
    if not shops:
        raise CommandError(f"No organisation named {name_or_id!r}.")
    if len(shops) > 1:
        ids = Organization.objects.filter(name=name_or_id).values_list("pk", flat=True)
        raise CommandError(f"Several organisations are named {name_or_id!r}; "
                           f"pass the id of one: {', '.join(map(str, ids))}.")
    return shops[0]


def rejections_file_for(file):
    return "stdin.rejected.csv" if file == STDIN else f"{file}.rejected.csv"


@contextmanager
def open_input(file):
    """The file's bytes, or standard input's (which is left open)."""
    if file == STDIN:
        yield getattr(sys.stdin, "buffer", sys.stdin)
        return
    try:
        stream = open(file, "rb")  # noqa: SIM115 -- closed by the with below
    except OSError as error:
        raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
    with stream:
        yield stream


def progress_bar(file, quiet):
    """Rows per second on stderr, for people watching a terminal only."""
    disabled = quiet or not sys.stderr.isatty()
    total = None if disabled or file == STDIN else max(count_lines(file) - 1, 0)
    return tqdm(total=total, unit=" rows", unit_scale=True, desc="Importing",
                file=sys.stderr, disable=disabled, dynamic_ncols=True)


def count_lines(path):
    # A quick byte count for the bar's total and ETA; quoted multi-line cells make it an
    # overestimate, which only costs the bar its last few percent.
    with open(path, "rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
