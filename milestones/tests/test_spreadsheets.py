import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ics_portal.uploads import FileRefused
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
    text = client.get(reverse("milestones:export", args=[tht_programme.pk, "csv"])).content.decode()
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


def _check(client, programme, content: bytes, name: str = "m.csv"):
    return client.post(
        reverse("milestones:import", args=[programme.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


NEW_ROW = {
    "title": "From the sheet",
    "owner_body": "tht",
    "status": "not_started",
    "due_date": "2022-02-01",
}


def test_check_changes_nothing_then_the_job_imports(client_as, tht_programme):
    client = client_as("tht.office")
    checked = _check(client, tht_programme, _csv([NEW_ROW]))
    assert checked.status_code == 302
    job_url = checked["Location"]
    page = client.get(job_url)
    assert page.status_code == 200 and "Nothing has changed yet" in page.text
    assert "From the sheet" in page.text
    assert not Milestone.objects.filter(title="From the sheet").exists()
    # The file is kept with the job, in the database, not in the session.
    assert not any("import" in key for key, _ in client.session.items())

    assert client.post(job_url)["Location"] == job_url
    done = client.get(job_url).text
    assert "Imported" in done and "1 added, 0 updated, 0 unchanged" in done
    made = Milestone.objects.get(title="From the sheet")
    assert made.updates.get().source == "import"
    client.post(job_url)  # a second click imports nothing twice
    assert Milestone.objects.filter(title="From the sheet").count() == 1


def test_check_lists_every_problem_and_nothing_can_be_imported(client_as, tht_programme):
    client = client_as("tht.office")
    bad = {**NEW_ROW, "due_date": "31/13/2022"}
    job_url = _check(client, tht_programme, _csv([NEW_ROW, bad]))["Location"]
    html = client.get(job_url).text
    assert "Nothing can be imported: 1 problem" in html and "is not a date" in html
    assert "Import these changes" not in html
    client.post(job_url)  # starting a refused job does nothing
    assert not Milestone.objects.filter(title="From the sheet").exists()


def test_import_refused_if_the_milestones_changed_since_the_check(
    client_as, tht_programme, tht_milestone
):
    client = client_as("tht.office")
    row = {"id": tht_milestone.pk, "progress": "44", "version": str(tht_milestone.version)}
    job_url = _check(client, tht_programme, _csv([row]))["Location"]
    tht_milestone.progress = 12
    tht_milestone.version += 1
    tht_milestone.save()
    client.post(job_url)
    html = client.get(job_url).text
    assert "changed after this file was checked" in html and "Try the import again" not in html
    tht_milestone.refresh_from_db()
    assert tht_milestone.progress == 12


def test_import_pages_are_the_uploaders_and_the_programmes(client_as, tht_programme, persona):
    job_url = _check(client_as("tht.office"), tht_programme, _csv([NEW_ROW]))["Location"]
    token = job_url.rstrip("/").rsplit("/", 1)[1]
    progress_url = reverse("milestones:import_progress", args=[tht_programme.pk, token])
    assert client_as("tht.office").get(progress_url).json()["state"] == "checked"
    assert client_as("tht.board").get(job_url).status_code == 403
    assert client_as("sel.governance").get(progress_url).status_code == 404
    # The governance lead may import into THT too, but the job is tht.office's.
    assert client_as("icb.governance").get(job_url).status_code == 404


def test_import_page_refusals(client_as, tht_programme):
    url = reverse("milestones:import", args=[tht_programme.pk])
    assert client_as("tht.board").get(url).status_code == 403
    assert client_as("sel.governance").get(url).status_code == 404
    wrong = client_as("tht.office").post(url, {"file": SimpleUploadedFile("m.txt", b"hello")})
    assert wrong.status_code == 400 and "Upload an Excel workbook (.xlsx) or a CSV" in wrong.text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.csv", b"", "empty"),
        ("m.csv", b"title,colour\nx,y\n", 'missing these columns: "owner_body", "status"'),
        ("m.csv", b"title,owner_body,status,colour\nx,tht,underway,y\n", "Unknown columns: colour"),
        ("m.xlsx", b"not a zip", "not an Excel workbook"),
        ("m.csv", "title\n".encode("utf-16"), "not UTF-8"),
        ("m.csv", b"title,owner_body,status\nx\x00,tht,underway\n", "not a CSV text file"),
    ],
)
def test_unreadable_files(name, content, message):
    with pytest.raises(FileRefused, match=message):
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


def test_a_zip_bomb_is_refused_from_its_directory_and_leaves_no_job(client_as, tht_programme):
    from governance.models import Job
    from tests.bombs import xlsx_bomb

    bomb = xlsx_bomb(["title", "owner_body", "status"], ["Bomb", "tht", "underway"])
    response = _check(client_as("tht.office"), tht_programme, bomb, "plan.xlsx")
    assert response.status_code == 400
    assert "The workbook unpacks to 9" in response.text and "the limit is 20 MB" in response.text
    assert not Job.objects.filter(kind="milestone_import").exists()
