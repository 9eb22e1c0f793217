import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from milestones.models import Milestone, MilestoneUpdate
from milestones.spreadsheets import COLUMNS, import_milestones, read_rows


def _csv(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode()


def test_export_csv_and_xlsx(client_as, tht_programme):
    client = client_as("tht.board")
    text = client.get(reverse("milestones:export", args=[tht_programme.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 7
    workshop = next(r for r in rows if r["title"] == "Further THT workshop")
    assert workshop["status"] == "complete" and workshop["owner_body"] == "tht"
    xlsx = client.get(reverse("milestones:export", args=[tht_programme.pk, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    back = read_rows("m.xlsx", xlsx.content)
    assert len(back) == 7 and back[0][0] == 2


def test_round_trip_changes_nothing(client_as, tht_programme, persona):
    content = (
        client_as("tht.office")
        .get(reverse("milestones:export", args=[tht_programme.pk, "xlsx"]))
        .content
    )
    result = import_milestones(
        programme=tht_programme,
        by=persona("tht.office"),
        rows=read_rows("x.xlsx", content),
        dry_run=False,
    )
    assert result.errors == [] and result.unchanged == 7 and not result.updated


def test_import_applies_all_or_nothing_with_row_errors(tht_programme, persona, tht_milestone):
    office = persona("tht.office")
    before = Milestone.objects.count(), MilestoneUpdate.objects.count()
    rows = read_rows(
        "m.csv",
        _csv(
            [
                {
                    "title": "Imported fine",
                    "owner_body": "tht",
                    "status": "underway",
                    "due_quarter": "Q1 2022/23",
                },
                {"id": tht_milestone.pk, "progress": "55", "status": "underway"},
                {
                    "title": "Bad quarter",
                    "owner_body": "tht",
                    "status": "underway",
                    "due_quarter": "Q5 2022/23",
                },
                {
                    "title": "Other body",
                    "owner_body": "newham",
                    "status": "done",
                    "due_date": "2022-01-01",
                },
                {"title": "", "owner_body": "tht", "status": "underway", "due_date": "31/13/2022"},
                {
                    "id": "999999",
                    "title": "Ghost",
                    "owner_body": "tht",
                    "status": "underway",
                    "due_date": "2022-01-01",
                },
            ]
        ),
    )
    result = import_milestones(programme=tht_programme, by=office, rows=rows, dry_run=False)
    found = {(e.row, e.column) for e in result.errors}
    assert (4, "due_quarter") in found
    assert (5, "owner_body") in found and (5, "status") in found
    assert (6, "title") in found and (6, "due_date") in found
    assert (7, "id") in found
    assert not result.applied
    assert (Milestone.objects.count(), MilestoneUpdate.objects.count()) == before
    tht_milestone.refresh_from_db()
    assert tht_milestone.progress != 55


def test_ids_that_are_not_plain_numbers_are_refused_by_row_and_column(
    tht_programme, persona, tht_milestone
):
    # "²" passes str.isdigit but not int(): it once stopped the import with a server error.
    rows = read_rows(
        "m.csv",
        _csv(
            [
                {"id": "²", "status": "underway"},
                {"id": tht_milestone.pk, "parent_id": "²", "version": "³"},
            ]
        ),
    )
    result = import_milestones(
        programme=tht_programme, by=persona("tht.office"), rows=rows, dry_run=True
    )
    found = {(e.row, e.column) for e in result.errors}
    assert {(2, "id"), (3, "parent_id"), (3, "version")} <= found


def test_import_service_rule_errors_name_row_and_column(tht_programme, persona):
    blocked = Milestone.objects.get(title__startswith="Maturity sign-off")
    rows = read_rows("m.csv", _csv([{"id": blocked.pk, "status": "complete"}]))
    result = import_milestones(
        programme=tht_programme, by=persona("tht.office"), rows=rows, dry_run=False
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "status")]
    assert "cannot be complete" in result.errors[0].reason


def test_dry_run_changes_nothing_then_apply(client_as, tht_programme):
    client = client_as("tht.office")
    url = reverse("milestones:import", args=[tht_programme.pk])
    upload = SimpleUploadedFile(
        "m.csv",
        _csv(
            [
                {
                    "title": "From the sheet",
                    "owner_body": "tht",
                    "status": "not_started",
                    "due_date": "2022-02-01",
                }
            ]
        ),
    )
    checked = client.post(url, {"file": upload})
    assert checked.status_code == 200 and "1 to add" in checked.text
    assert not Milestone.objects.filter(title="From the sheet").exists()
    applied = client.post(url, {"apply": "1"})
    assert applied.status_code == 302
    made = Milestone.objects.get(title="From the sheet")
    assert made.updates.get().source == "import"


def test_import_page_refusals(client_as, tht_programme):
    url = reverse("milestones:import", args=[tht_programme.pk])
    assert client_as("tht.board").get(url).status_code == 403
    assert client_as("sel.governance").get(url).status_code == 404
    wrong = client_as("tht.office").post(url, {"file": SimpleUploadedFile("m.txt", b"hello")})
    assert "Upload a .csv or .xlsx file." in wrong.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.csv", b"", "empty"),
        ("m.csv", b"title,colour\nx,y\n", "missing: owner_body, status"),
        ("m.csv", b"title,owner_body,status,colour\nx,tht,underway,y\n", "Unknown columns: colour"),
        ("m.xlsx", b"not a zip", "could not be read"),
        ("m.csv", "title\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_unreadable_files(name, content, message):
    with pytest.raises(ValidationError, match=message):
        read_rows(name, content)


def test_imported_changes_are_logged_and_stale_rows_refused(tht_programme, persona, tht_milestone):
    office = persona("tht.office")
    exported = tht_milestone.version
    rows = read_rows(
        "m.csv",
        _csv([{"id": tht_milestone.pk, "progress": "61", "due_quarter": "Q2 2022/23"}]),
    )
    result = import_milestones(programme=tht_programme, by=office, rows=rows, dry_run=False)
    assert result.applied and result.updated == [tht_milestone.title]
    logged = {u.field: u for u in tht_milestone.updates.filter(source="import")}
    assert set(logged) == {"progress", "due_date"}
    assert logged["due_date"].new_value == "30 Sep 2022 (Q2 2022/23)"
    assert logged["progress"].changed_by == office

    # A file exported before that change, carrying the old version, changes nothing.
    stale = read_rows(
        "m.csv", _csv([{"id": tht_milestone.pk, "progress": "10", "version": str(exported)}])
    )
    refused = import_milestones(programme=tht_programme, by=office, rows=stale, dry_run=False)
    assert [(e.row, e.column) for e in refused.errors] == [(2, "version")]
    tht_milestone.refresh_from_db()
    assert tht_milestone.progress == 61
