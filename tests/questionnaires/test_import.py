"""`kairos import responses`: CSV rows stored whole or rejected whole, with line numbers."""

import csv
import datetime
import io
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kairos.questionnaires import importer, services
from kairos.questionnaires.models import MetadataField, Response

UTC = datetime.UTC
HEADER = ("submitted_at,stage,locale,device_id,answers.nps,answers.rating,answers.comment,"
          "questionnaire.transaction_id,questionnaire.store_id,questionnaire.amount,"
          "questionnaire.products,responder.email,responder.phone_number,responder.vip")
GOOD_ROWS = [
    '2026-11-20 14:30,checkout,el,d-1,3,2,"late, very late",A-1,athens,120.5,shoes;bags,'
    " Maria@Example.COM ,6912345678,gold",
    "2026-11-21,after_sales,en,,10,,,A-2,online,80,,nikos@example.com,+30 691 234 5679,",
    "2026-11-20T10:00:00Z,checkout,,,7.0,8,,A-3,,,,,,",  # 7.0: as some spreadsheets write 7
]


@pytest.fixture(autouse=True)
def forget_registered_fields():
    # services remembers registered metadata fields per organisation id for the whole
    # process; test databases reuse ids, so start every test with a clean memory.
    services._known_fields.clear()


def write(tmp_path, *rows, header=HEADER, name="responses.csv"):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run_import(path, organization, **options):
    out = io.StringIO()
    call_command("import", "responses", str(path), organization=organization.name,
                 quiet=True, stdout=out, **options)
    return out.getvalue()


def rejected_rows(path):
    with open(f"{path}.rejected.csv", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_a_good_file_is_imported_with_typed_and_normalised_fields(alice, tmp_path):
    path = write(tmp_path, *GOOD_ROWS)
    output = run_import(path, alice.organization)
    assert "3 responses imported" in output and "rejected" not in output
    assert Response.objects.filter(organization=alice.organization, source="import").count() == 3
    first = Response.objects.get(transaction_id="A-1")
    assert (first.stage, first.locale, first.device_id) == ("checkout", "el", "d-1")
    assert (first.nps, first.rating, first.amount, first.store_id) == (3, 2, 120.5, "athens")
    assert first.answers == {"nps": 3, "rating": 2, "comment": "late, very late"}
    assert first.questionnaire_metadata["products"] == ["shoes", "bags"]
    assert first.email == "maria@example.com"
    assert first.phone_number == "+306912345678"
    assert first.responder_metadata["vip"] == "gold"
    assert first.responder_key == "email:maria@example.com"
    assert Response.objects.get(transaction_id="A-3").nps == 7
    assert not (tmp_path / "responses.csv.rejected.csv").exists()


def test_naive_times_are_the_shops_local_time(alice, tmp_path):
    run_import(write(tmp_path, *GOOD_ROWS), alice.organization)
    submitted = dict(Response.objects.values_list("transaction_id", "submitted_at"))
    # Athens is UTC+2 in November.
    assert submitted["A-1"] == datetime.datetime(2026, 11, 20, 12, 30, tzinfo=UTC)
    assert submitted["A-2"] == datetime.datetime(2026, 11, 20, 22, 0, tzinfo=UTC)
    assert submitted["A-3"] == datetime.datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_missing_locale_is_the_shops_default_language(alice, tmp_path):
    run_import(write(tmp_path, *GOOD_ROWS), alice.organization)
    assert Response.objects.get(transaction_id="A-3").locale == "el"


def test_metadata_field_types_are_registered(alice, tmp_path):
    run_import(write(tmp_path, *GOOD_ROWS), alice.organization)
    fields = dict(MetadataField.objects.filter(organization=alice.organization)
                  .values_list("key", "type"))
    assert fields["vip"] == "text" and fields["amount"] == "number"
    assert fields["products"] == "list"


MALFORMED_ROWS = [
    "2026-11-20 10:00,checkout,el,,9,,,OK-1,,,,,,,",       # line 2: fine
    "2026-11-20 10:00,checkout,el,,11,,,BAD-2,,,,,,,",     # line 3: nps out of range
    "2026-13-45,checkout,el,,9,,,BAD-3,,,,,,,",            # line 4: not a date
    "2026-11-20 10:00,checkout,el,,9,,,BAD-4,,abc,,,,,",   # line 5: amount not a number
    "2026-11-20 10:00,checkout,el,,9,,,BAD-5",             # line 6: ragged row
    "2026-11-20 10:00,checkout,el,,9,,,BAD-6,,,,,,,yes",   # line 7: unknown question
    "2026-11-20 10:00,checkout,el,,9,,,OK-8,,,,,,,",       # line 8: fine
]


def test_a_malformed_file_keeps_the_good_rows_and_reports_the_bad_ones(alice, tmp_path):
    path = write(tmp_path, *MALFORMED_ROWS, header=HEADER + ",answers.delivery")
    output = run_import(path, alice.organization, batch_size=3)
    stored = set(Response.objects.values_list("transaction_id", flat=True))
    assert stored == {"OK-1", "OK-8"}  # no BAD-* row half-written
    assert "2 responses imported" in output and "5 rows rejected" in output
    reasons = {int(row["line"]): row["reason"] for row in rejected_rows(path)}
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "answers.nps: must be a whole number from 0 to 10" in reasons[3]
    assert reasons[4].startswith("submitted_at: must be an ISO date")
    assert reasons[5] == "questionnaire.amount: must be a number"
    assert reasons[6] == "line has 8 cells where the header has 15"
    assert reasons[7] == "answers.delivery: unknown question key"
    for line, reason in reasons.items():
        assert f"line {line}: {reason}" in output


def test_every_problem_of_a_row_is_reported_together(alice, tmp_path):
    path = write(tmp_path, "2026-11-20,checkout,xx,,,,,A,,abc,,not-an-email,123,")
    run_import(path, alice.organization)
    [row] = rejected_rows(path)
    for field in ("locale:", "answers.nps:", "questionnaire.amount:", "responder.email:",
                  "responder.phone_number:"):
        assert field in row["reason"]


def test_unreadable_lines_are_rejected_alone(alice, tmp_path):
    path = tmp_path / "responses.csv"
    path.write_bytes(b"\n".join([
        b"submitted_at,stage,answers.nps,responder.name",
        b"2026-11-20,checkout,9,Maria",
        b"2026-11-20,checkout,9,\xca\xe1\xf4\xe5\xf1\xdf\xed\xe1",  # Windows-1253 Greek
        b"2026-11-20,checkout,9,Ma\x00ria",
        b"2026-11-20,checkout,9," + b"x" * 200_000,  # beyond the csv module's cell limit
        b"",  # a blank line: skipped, but still counted as a line
        b"2026-11-20,checkout,9,Eleni",
    ]) + b"\n")
    run_import(path, alice.organization)
    assert sorted(Response.objects.values_list("responder_metadata__name", flat=True)) == [
        "Eleni", "Maria"]
    reasons = {int(row["line"]): row["reason"] for row in rejected_rows(path)}
    assert sorted(reasons) == [3, 4, 5]
    assert "not UTF-8" in reasons[3] and "NUL" in reasons[4]
    assert reasons[5].startswith("unreadable CSV")


def test_the_first_twenty_rejections_are_shown_and_all_are_written(alice, tmp_path):
    bad = ["2026-11-20,checkout,,,11,,,,,,,,,"] * 25
    path = write(tmp_path, *bad)
    output = run_import(path, alice.organization)
    assert "line 21:" in output and "line 22:" not in output and "… and 5 more" in output
    assert len(rejected_rows(path)) == 25


def test_a_row_the_database_refuses_does_not_sink_its_batch(alice, tmp_path, monkeypatch):
    # Two rows sharing a primary key: the second insert fails whatever the database.
    build = importer.RowBuilder.build
    built = []

    def build_with_clashing_ids(self, cells):
        response = build(self, cells)
        if built:
            response.id = built[0].id
        built.append(response)
        return response

    monkeypatch.setattr(importer.RowBuilder, "build", build_with_clashing_ids)
    path = write(tmp_path, *GOOD_ROWS)
    output = run_import(path, alice.organization)
    assert Response.objects.count() == 1 and "1 response imported" in output
    assert [int(row["line"]) for row in rejected_rows(path)] == [3, 4]


def test_overlong_values_are_rejected_before_they_reach_the_database(alice, tmp_path):
    path = write(tmp_path, f"2026-11-20,checkout,,,9,,,A-1,{'x' * 101},,,,,")
    run_import(path, alice.organization)
    assert Response.objects.count() == 0
    assert rejected_rows(path)[0]["reason"] == (
        "questionnaire.store_id: must be at most 100 characters")


def test_stage_comes_from_the_option_when_the_file_has_none(alice, tmp_path):
    path = write(tmp_path, "2026-11-20,9", "2026-11-21,4", header="submitted_at,answers.nps")
    run_import(path, alice.organization, stage="after_sales")
    assert list(Response.objects.values_list("stage", flat=True).distinct()) == ["after_sales"]


def test_semicolon_separated_files_from_greek_spreadsheets_work(alice, tmp_path):
    path = write(tmp_path, '2026-11-20;checkout;9;"a;b"', "2026-11-21;checkout;4;x",
                 header="submitted_at;stage;answers.nps;responder.tags")
    run_import(path, alice.organization)
    assert Response.objects.count() == 2


def test_dry_run_stores_nothing(alice, tmp_path):
    path = write(tmp_path, *GOOD_ROWS, "2026-11-20,checkout,,,11,,,,,,,,,")
    output = run_import(path, alice.organization, dry_run=True)
    assert Response.objects.count() == 0
    assert MetadataField.objects.filter(organization=alice.organization).count() == 0
    assert "3 responses would be imported" in output and "1 row rejected" in output


def test_standard_input_can_be_imported(alice, tmp_path, monkeypatch):
    data = "\n".join([HEADER, *GOOD_ROWS]).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    monkeypatch.chdir(tmp_path)
    output = run_import("-", alice.organization)
    assert "3 responses imported" in output
    assert Response.objects.count() == 3


def test_rows_go_to_the_named_organisation_only(alice, bob, tmp_path):
    run_import(write(tmp_path, *GOOD_ROWS), bob.organization)
    assert Response.objects.filter(organization=alice.organization).count() == 0
    assert Response.objects.filter(organization=bob.organization).count() == 3


@pytest.mark.parametrize(("header", "options", "message"), [
    ("stage,answers.nps", {}, "no submitted_at column"),
    ("submitted_at,answers.nps", {}, "no stage column"),
    ("submitted_at,stage,answers.nps", {"stage": "payment"}, "unknown stage 'payment'"),
    ("submitted_at,stage,stage", {}, "duplicate column(s): stage"),
])
def test_a_file_that_cannot_be_imported_is_a_command_error(alice, tmp_path, header, options,
                                                             message):
    path = write(tmp_path, "2026-11-20,checkout,9", header=header)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run_import(path, alice.organization, **options)
    assert Response.objects.count() == 0


def test_an_inactive_stage_is_a_command_error(alice, tmp_path):
    alice.organization.questionnaires.filter(stage="after_sales").update(active=False)
    path = write(tmp_path, "2026-11-20,9", header="submitted_at,answers.nps")
    with pytest.raises(CommandError, match="after_sales questionnaire is not active"):
        run_import(path, alice.organization, stage="after_sales")


def test_an_unknown_organisation_is_a_command_error(db, tmp_path):
    path = write(tmp_path, *GOOD_ROWS)
    with pytest.raises(CommandError, match="No organisation named 'Nobody'"):
        call_command("import", "responses", str(path), organization="Nobody", quiet=True)


def test_a_missing_file_is_a_command_error(alice, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(tmp_path / "nope.csv", alice.organization)


def test_only_responses_can_be_imported_for_now(alice, tmp_path):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("import", "customers", str(write(tmp_path, *GOOD_ROWS)),
                     organization=alice.organization.name)


def test_a_number_out_of_range_rejects_its_row_not_the_import(alice, tmp_path):
    huge = "1" * 401
    path = write(tmp_path, "2026-11-20,checkout,el,,9,,,A-1,,120,,,,",
                 f"2026-11-20,checkout,el,,9,,,A-2,,{huge},,,,",
                 "2026-11-20,checkout,el,,9,,,A-3,,1e400,,,,",
                 "2026-11-20,checkout,el,,9,,,A-4,,80,,,,")
    output = run_import(path, alice.organization)
    assert set(Response.objects.values_list("transaction_id", flat=True)) == {"A-1", "A-4"}
    assert "2 rows rejected" in output
    reasons = [row["reason"] for row in rejected_rows(path)]
    assert all(r.startswith("questionnaire.amount: must be a number from") for r in reasons)


def test_text_the_databases_cannot_keep_rejects_its_line(alice):
    lines = ["submitted_at,stage,answers.nps,responder.name\n",
             "2026-11-20,checkout,9,Maria\n", "2026-11-20,checkout,9,Ma\ud800ria\n",
             "2026-11-20,checkout,9,Ni\x00kos\n", "2026-11-20,checkout,9,Eleni\n"]
    report = importer.import_responses(alice.organization, iter(lines))
    assert (report.imported, report.rejected) == (2, 2)
    assert [r.line for r in report.first_rejections] == [3, 4]
    assert "surrogate" in report.first_rejections[0].reason
    assert "NUL" in report.first_rejections[1].reason
    assert set(Response.objects.values_list("responder_metadata__name", flat=True)) == {
        "Maria", "Eleni"}


def test_an_extra_field_keeps_its_registered_type_in_a_file(alice, tmp_path):
    MetadataField.objects.create(organization=alice.organization, scope="responder",
                                 key="loyalty", type="number")
    path = write(tmp_path, "2026-11-20,checkout,9,7", "2026-11-20,checkout,9,9.5",
                 "2026-11-20,checkout,9,many",
                 header="submitted_at,stage,answers.nps,responder.loyalty")
    run_import(path, alice.organization)
    stored = sorted(r.responder_metadata["loyalty"] for r in Response.objects.all())
    assert stored == [7, 9.5]
    assert rejected_rows(path)[0]["reason"].startswith("responder.loyalty: must be a number")


def test_true_and_false_cells_are_read_as_a_registered_boolean(alice, tmp_path):
    MetadataField.objects.create(organization=alice.organization, scope="responder",
                                 key="vip", type="boolean")
    path = write(tmp_path, "2026-11-20,checkout,9,true", "2026-11-20,checkout,9,FALSE",
                 header="submitted_at,stage,answers.nps,responder.vip")
    run_import(path, alice.organization)
    assert sorted(r.responder_metadata["vip"] for r in Response.objects.all()) == [False, True]


def test_a_list_typed_extra_field_is_split_like_products(alice, tmp_path):
    MetadataField.objects.create(organization=alice.organization, scope="questionnaire",
                                 key="tags", type="list")
    path = write(tmp_path, "2026-11-20,checkout,9,gift;express",
                 header="submitted_at,stage,answers.nps,questionnaire.tags")
    run_import(path, alice.organization)
    assert Response.objects.get().questionnaire_metadata["tags"] == ["gift", "express"]
