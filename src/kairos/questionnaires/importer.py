"""Importing responses from CSV, under exactly the rules of the public API.

Rows stream from the file (never held whole in memory) and are stored in batches, one
transaction per batch. A row is stored whole or rejected whole, with its line number as a
spreadsheet shows it (the header is line 1) and the reasons; a rejected row never holds
up the rest of its batch.

Columns: `submitted_at` (required), `stage`, `locale`, `device_id`, `answers.<key>`,
`questionnaire.<key>`, `responder.<key>`. An empty cell means "not given".
"""

import csv
import datetime
import gc
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DataError, IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _

from kairos.accounts.shop_time import shop_zone
from kairos.boundary.rules import printable, text_problem
from kairos.languages import CODES as LANGUAGES
from kairos.questionnaires import rollup
from kairos.questionnaires.models import Response, Stage
from kairos.questionnaires.services import (
    build_response,
    published_version,
    registered_field_types,
    remember_field_types,
)
from kairos.questionnaires.validation import KNOWN_FIELDS, Problems

SHOWN_REJECTIONS = 20
SQLITE_IMPORT_CACHE_KIB = 64 * 1024
LIST_SEPARATOR = ";"
SCOPES = ("answers", "questionnaire", "responder")
PLAIN_COLUMNS = ("submitted_at", "stage", "locale", "device_id")


class CannotImport(Exception):
    """The file as a whole cannot be imported (as opposed to one bad row)."""


@dataclass
class Rejection:
    line: int
    reason: str


@dataclass
class ImportReport:
    imported: int = 0
    rejected: int = 0
    first_rejections: list[Rejection] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rejections_path: Path | None = None  # set once a rejection has been written there


# ---- reading the file ------------------------------------------------------------------

class TextLines:
    """UTF-8 lines of a byte stream, decoded one at a time.

    Decoding per line means one badly encoded line becomes one rejected row instead of
    aborting the import half-way; `problem` tells the row reader what was wrong with the
    lines it just consumed. A line the databases could not store (a NUL character, a
    lone surrogate) is rejected the same way, under kairos.boundary's rules.
    """

    def __init__(self, stream):
        self.stream = stream
        self.problem = None

    def __iter__(self):
        for raw in self.stream:
            text = raw if isinstance(raw, str) else self.decode(raw)
            problem = text_problem(text)
            if problem:
                self.problem = _("the line %(problem)s") % {"problem": problem}
                text = printable(text)
            yield text

    def decode(self, raw):
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.problem = "line is not UTF-8 text (save the file as “CSV UTF-8”)"
            return raw.decode("utf-8", "replace")

    def take_problem(self):
        problem, self.problem = self.problem, None
        return problem


def read_header(lines):
    """The header cells and a csv reader positioned on the first data row."""
    iterator = iter(lines)
    first = next(iterator, None)
    if first is None:
        raise CannotImport("the file is empty")
    first = first.removeprefix("\ufeff")  # Excel's "CSV UTF-8" starts with a BOM
    # Greek (and most European) spreadsheets save CSV with ";" between cells.
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    return [cell.strip() for cell in header], csv.reader(iterator, delimiter=delimiter)


def numbered_rows(reader, lines):
    """(line, cells, problem) for every data row; the header is line 1."""
    line = 1
    while True:
        line += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            lines.take_problem()
            yield line, None, f"unreadable CSV: {error}"
            continue
        yield line, cells, lines.take_problem()


# ---- columns ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Columns:
    """Where each part of a response sits in a row: worked out once, from the header."""

    width: int
    plain: dict  # "submitted_at" / "stage" / "locale" / "device_id" -> index
    answers: tuple  # (index, question key)
    questionnaire: tuple  # (index, key, convert)
    responder: tuple  # (index, key, convert)
    ignored: tuple  # column names that mean nothing to the importer

    @classmethod
    def from_header(cls, header, registered=None):
        duplicates = sorted({name for name in header if name and header.count(name) > 1})
        if duplicates:
            raise CannotImport(f"duplicate column(s): {', '.join(duplicates)}")
        if "submitted_at" not in header:
            raise CannotImport("the file has no submitted_at column")
        plain, scoped, ignored = {}, {scope: [] for scope in SCOPES}, []
        for index, name in enumerate(header):
            scope, _dot, key = name.partition(".")
            if name in PLAIN_COLUMNS:
                plain[name] = index
            elif scope in scoped and key:
                scoped[scope].append((index, key))
            elif name:
                ignored.append(name)
        return cls(
            width=len(header), plain=plain, answers=tuple(scoped["answers"]),
            questionnaire=metadata_columns("questionnaire", scoped["questionnaire"],
                                           registered or {}),
            responder=metadata_columns("responder", scoped["responder"], registered or {}),
            ignored=tuple(ignored),
        )


def metadata_columns(scope, columns, registered):
    # List fields (products, and extra fields the shop sent as lists) are written "a;b"
    # in a cell; everything else goes to validation as the text it is, which reads
    # numbers, dates and yes/no as the field's type.
    def kind(key):
        return KNOWN_FIELDS[scope].get(key) or registered.get(f"{scope}.{key}")

    return tuple((index, key, split_list if kind(key) == "list" else None)
                 for index, key in columns)


def split_list(value):
    return [item.strip() for item in value.split(LIST_SEPARATOR) if item.strip()]


def whole_number(value):
    try:
        return int(value)
    except ValueError:
        pass
    try:
        number = float(value)  # spreadsheets sometimes write 7 as "7.0"
    except ValueError:
        return value  # validation rejects it with the API's own message
    return int(number) if number.is_integer() else value


def answer_converter(question):
    if question["type"] in ("nps", "rating"):
        return whole_number
    if question["type"] == "choice" and question["multiple"]:
        return split_list
    return None


def cells_to_dict(cells, columns):
    values = {}
    for index, key, convert in columns:
        value = cells[index].strip()
        if value:
            values[key] = convert(value) if convert else value
    return values


# ---- stages ----------------------------------------------------------------------------

@dataclass(frozen=True)
class StagePlan:
    """A stage's published version and how to read its answer columns."""

    version: object
    answers: tuple  # (index, key, convert)


class StagePlans:
    """Looks each stage's published version up once, however many rows use it."""

    def __init__(self, organization, columns):
        self.organization = organization
        self.columns = columns
        self.plans = {}

    def get(self, stage):
        if stage not in self.plans:
            self.plans[stage] = self.load(stage)
        return self.plans[stage]

    def load(self, stage):
        if stage not in Stage.values:
            return None
        version = published_version(self.organization, stage)
        if version is None:
            return None
        version.questionnaire  # noqa: B018 -- fetched once here, not once per row
        questions = {q["key"]: q for q in version.questions}
        answers = tuple(
            (index, key, answer_converter(questions[key]) if key in questions else None)
            for index, key in self.columns.answers
        )
        return StagePlan(version, answers)


def stage_problem(stage):
    if not stage:
        return "a stage is required (stage column or --stage)"
    if stage not in Stage.values:
        return f"unknown stage {stage!r} (expected {' or '.join(Stage.values)})"
    return f"the {stage} questionnaire is not active"


# ---- one row ---------------------------------------------------------------------------

# Typed columns whose width the database enforces (PostgreSQL refuses longer values, and
# one refused value would fail the whole batch), checked so that only that row is lost.
LIMITED_COLUMNS = tuple(
    (f.attname, f.max_length) for f in Response._meta.concrete_fields
    if isinstance(f, models.CharField) and f.max_length
)
COLUMN_NAMES = {
    "store_id": "questionnaire.store_id", "transaction_id": "questionnaire.transaction_id",
    "email": "responder.email", "phone_number": "responder.phone_number",
    "customer_id": "responder.customer_id",
}


class RowBuilder:
    """Turns the cells of one row into an unsaved, validated Response (raises Problems)."""

    def __init__(self, organization, columns, default_stage, registered):
        self.organization = organization
        self.columns = columns
        self.default_stage = default_stage
        self.time_zone = shop_zone(organization)
        self.plans = StagePlans(organization, columns)
        # The shop's metadata field types, and those the file's earlier rows introduce:
        # a field keeps the type of its first value throughout the file.
        self.registered = registered

    def cell(self, cells, name, default=""):
        index = self.columns.plain.get(name)
        value = cells[index].strip() if index is not None else ""
        return value or default

    def build(self, cells):
        problems = []
        submitted_at = self.submitted_at(cells, problems)
        locale = self.locale(cells, problems)
        stage = self.cell(cells, "stage", self.default_stage)
        plan = self.plans.get(stage)
        if plan is None:
            problems.append(("stage", stage_problem(stage)))
            raise Problems(problems)
        try:
            response = build_response(
                self.organization, plan.version, self.submission(cells, plan),
                locale=locale, device_id=self.cell(cells, "device_id"), source="import",
                submitted_at=submitted_at, registered=self.registered,
            )
        except Problems as invalid:
            raise Problems(problems + invalid.problems) from None
        problems += storage_problems(response)
        if problems:
            raise Problems(problems)
        for path, kind in response.field_types.items():
            self.registered.setdefault(path, kind)
        return response

    def submission(self, cells, plan):
        return {
            "answers": cells_to_dict(cells, plan.answers),
            "metadata": {
                "questionnaire": cells_to_dict(cells, self.columns.questionnaire),
                "responder": cells_to_dict(cells, self.columns.responder),
            },
        }

    def submitted_at(self, cells, problems):
        value = self.cell(cells, "submitted_at")
        if not value:
            problems.append(("submitted_at", "a date is required"))
            return None
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            problems.append(("submitted_at", "must be an ISO date or date-time, "
                                             "e.g. 2026-11-20 or 2026-11-20 14:30"))
            return None
        # A time without an offset is the shop's local time, as its own systems show it.
        return moment if moment.tzinfo else moment.replace(tzinfo=self.time_zone)

    def locale(self, cells, problems):
        value = self.cell(cells, "locale", self.organization.default_language).lower()
        language = value.replace("_", "-").split("-")[0]  # "el-GR" -> "el"
        if language not in LANGUAGES:
            problems.append(("locale", f"unknown language {value!r}"))
        return language


def storage_problems(response):
    """What validation lets through but the database would refuse."""
    problems = []
    for name, limit in LIMITED_COLUMNS:
        value = getattr(response, name)
        if value and len(value) > limit:
            problems.append((COLUMN_NAMES.get(name, name), f"must be at most {limit} characters"))
    return problems


def describe(problems):
    """The Problems text, naming fields by their CSV column (metadata.x.y -> x.y)."""
    return "; ".join(f"{name.removeprefix('metadata.')}: {message}" for name, message in problems)


# ---- storing ---------------------------------------------------------------------------

class RejectionLog:
    """Keeps the first rejections for the summary and streams all of them to a CSV file."""

    def __init__(self, report, path):
        self.report = report
        self.path = path
        self.file = None
        self.writer = None

    def add(self, line, reason):
        self.report.rejected += 1
        if len(self.report.first_rejections) < SHOWN_REJECTIONS:
            self.report.first_rejections.append(Rejection(line, reason))
        if self.path is not None:
            self.write(line, reason)

    def write(self, line, reason):
        if self.writer is None:
            self.file = open(self.path, "w", newline="", encoding="utf-8")  # noqa: SIM115
            self.writer = csv.writer(self.file)
            self.writer.writerow(["line", "reason"])
            self.report.rejections_path = self.path
        self.writer.writerow([line, reason])

    def close(self):
        if self.file is not None:
            self.file.close()
        self.report.first_rejections.sort(key=lambda rejection: rejection.line)


class BatchStore:
    """Stores validated rows in batches, one transaction each."""

    def __init__(self, organization, rejections, report, dry_run):
        self.organization = organization
        self.rejections = rejections
        self.report = report
        self.dry_run = dry_run

    def store(self, batch):
        """batch: [(line, response)]."""
        if self.dry_run or not batch:
            self.report.imported += len(batch)
            return
        with transaction.atomic():
            stored = self.insert(batch)
            # Past days already in the daily rollup are recounted with these rows.
            rollup.reseal(self.organization, [response.submitted_at for response in stored])
            field_types = {}
            for response in stored:
                field_types.update(response.field_types)
            remember_field_types(self.organization, field_types)
        self.report.imported += len(stored)

    def insert(self, batch):
        responses = [response for _line, response in batch]
        try:
            with transaction.atomic():
                Response.objects.bulk_create(responses)
            return responses
        except (DataError, IntegrityError):
            # Something the checks above did not foresee: find the culprit row by row,
            # so it alone is rejected.
            return self.insert_one_by_one(batch)

    def insert_one_by_one(self, batch):
        stored = []
        for line, response in batch:
            try:
                with transaction.atomic():
                    response.save(force_insert=True)
                stored.append(response)
            except (DataError, IntegrityError) as error:
                self.rejections.add(line, f"the database refused the row: {error}")
        return stored


# ---- the import ------------------------------------------------------------------------

def import_responses(
    organization, stream: Iterable, *, default_stage: str = "", batch_size: int = 1000,
    dry_run: bool = False, rejections_path: Path | None = None,
    progress: Callable[[int], object] | None = None,
) -> ImportReport:
    """Import the CSV rows of `stream` (bytes or text lines) into `organization`.

    Raises CannotImport when the file as a whole is unusable; bad rows are reported in
    the returned ImportReport (and written to `rejections_path`), never raised.
    """
    lines = TextLines(stream)
    header, reader = read_header(lines)
    registered = registered_field_types(organization)
    columns = Columns.from_header(header, registered)
    check_stage_source(organization, columns, default_stage)
    report = ImportReport(ignored_columns=list(columns.ignored))
    rejections = RejectionLog(report, rejections_path)
    builder = RowBuilder(organization, columns, default_stage, registered)
    store = BatchStore(organization, rejections, report, dry_run)
    rows = numbered_rows(reader, lines)
    try:
        with tuned_for_bulk_load():
            for batch, seen in batches(rows, builder, rejections, batch_size):
                store.store(batch)
                gc.collect(1)  # the collector is paused: free this batch's cycles now
                if progress:
                    progress(seen)
    finally:
        rejections.close()
    return report


@contextmanager
def tuned_for_bulk_load():
    """Pause the cyclic garbage collector and, on SQLite, enlarge the page cache.

    Each batch keeps thousands of young objects alive just long enough to be promoted,
    so the collector rescans the whole heap again and again (10-20% of the import time).
    SQLite's default 2 MB page cache is smaller than the response indexes after some
    50,000 rows, and every insert then rereads index pages.
    """
    collecting = gc.isenabled()
    gc.disable()
    cache_size = sqlite_cache_size()
    if cache_size is not None:
        set_sqlite_cache_size(-SQLITE_IMPORT_CACHE_KIB)
    try:
        yield
    finally:
        if cache_size is not None:
            set_sqlite_cache_size(cache_size)
        if collecting:
            gc.enable()


def sqlite_cache_size():
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


def set_sqlite_cache_size(size):
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA cache_size = {int(size)}")


def check_stage_source(organization, columns, default_stage):
    if default_stage:
        if default_stage not in Stage.values or not published_version(organization,
                                                                      default_stage):
            raise CannotImport(f"--stage: {stage_problem(default_stage)}")
    elif "stage" not in columns.plain:
        raise CannotImport("the file has no stage column: pass --stage checkout or "
                           "--stage after_sales")


def batches(rows, builder, rejections, batch_size):
    """Yields ([(line, response)], rows read) every batch_size valid rows, and at the end."""
    batch, seen = [], 0
    width = builder.columns.width
    for line, cells, problem in rows:
        seen += 1
        if cells == []:  # a blank line: a spreadsheet shows an empty row, nothing to import
            continue
        problem = problem or shape_problem(cells, width)
        if problem:
            rejections.add(line, problem)
            continue
        try:
            batch.append((line, builder.build(cells)))
        except Problems as invalid:
            rejections.add(line, describe(invalid.problems))
            continue
        if len(batch) >= batch_size:
            yield batch, seen
            batch, seen = [], 0
    if batch or seen:
        yield batch, seen


def shape_problem(cells, width):
    if len(cells) != width:
        return f"line has {len(cells)} cells where the header has {width}"
    return None
