"""Export and import of the map: round trip, the dry run, each refusal, all or nothing."""

import csv
import dataclasses
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from delegation import import_rows, selectors, services, spreadsheets
from delegation.models import EntryStatus, MapEntry
from delegation.tests import helpers as h


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _row(**overrides) -> list:
    base = dict.fromkeys(spreadsheets.COLUMNS, "")
    base.update(
        {
            "reference": "KF-07/tht",
            "function": "Anchor institutions",
            "delegated to body": "tht",
            "form": "Committee of the ICB",
            "decision right": "Decides",
            "budget": "1000",
            "effective from": "2025-04-01",
            "review by": "2027-03-31",
            "status": "In force",
        }
    )
    base.update({k.replace("_", " "): v for k, v in overrides.items()})
    return [base[c] for c in spreadsheets.COLUMNS]


def _plan(*rows) -> import_rows.ImportPlan:
    data = _csv([list(spreadsheets.COLUMNS), *rows])
    table = import_rows.read_table(io.BytesIO(data), "map.csv")
    return import_rows.plan_import(h.nel(), table)


def _snapshot() -> list:
    return list(MapEntry.objects.order_by("pk").values_list("pk", "status", "delegated_budget"))


def test_xlsx_export_has_sord_columns_and_every_entry_in_force(db):
    rows = selectors.live_rows(h.nel())
    workbook = load_workbook(io.BytesIO(spreadsheets.to_xlsx(rows)))
    sheet = workbook.active
    assert [c.value for c in sheet[1]] == list(spreadsheets.COLUMNS)
    assert sheet.max_row == len(rows) + 1


def test_exported_live_map_reimports_unchanged(db):
    data = spreadsheets.to_xlsx(selectors.live_rows(h.nel()))
    plan = import_rows.plan_import(h.nel(), import_rows.read_table(io.BytesIO(data), "m.xlsx"))
    assert plan.ok, [(r.row, r.errors) for r in plan.refused]
    assert {r.action for r in plan.rows} == {"unchanged"}


def test_dry_run_says_create_change_revoke(db):
    tht_f01 = h.in_force("F-01", "tht")
    plan = _plan(
        _row(),
        _row(
            reference="F-01/tht",
            budget="99",
            form=tht_f01.governance_form,
            review_by=str(tht_f01.review_by),
            effective_from=str(tht_f01.effective_from),
        ),
        _row(reference="F-04/tht", status="Revoked"),
    )
    assert plan.ok, [(r.row, r.errors) for r in plan.refused]
    assert [r.action for r in plan.rows] == ["create", "change", "revoke"]
    assert any("delegated budget" in c for c in plan.rows[1].changes)


def test_import_writes_all_rows(db, persona):
    before = MapEntry.objects.filter(
        status=EntryStatus.IN_FORCE, receiving_body__slug="tht"
    ).count()
    plan = _plan(_row(), _row(reference="KF-06/tht"), _row(reference="F-04/tht", status="Revoked"))
    result = services.map_import_apply(plan=plan, user=persona("icb.governance"))
    assert result == {"create": 2, "revoke": 1}
    after = MapEntry.objects.filter(status=EntryStatus.IN_FORCE, receiving_body__slug="tht").count()
    assert after == before + 1


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (_row(reference="ZZ-99/tht"), "reference", "No function ZZ-99"),
        (
            _row(delegated_to_body="Nowhere partnership"),
            "delegated to body",
            'No body "Nowhere partnership"',
        ),
        (_row(budget="-5"), "budget", "cannot be negative"),
        (_row(budget="lots"), "budget", "not an amount"),
        (_row(effective_from="31/31/2025"), "effective from", "YYYY-MM-DD"),
        (_row(review_by="2020-01-01"), "review by", "cannot be before"),
        (_row(status="Superseded"), "status", "In force"),
        (_row(decision_right="Vetoes"), "decision right", "Unknown decision right"),
        (_row(reference="KF-07/newham"), "reference", "use KF-07/tht"),
        (_row(reserved_to_board="Yes"), "reserved to board", "names no receiving body"),
    ],
)
def test_each_refusal_names_row_column_and_reason(db, row, column, reason):
    plan = _plan(row)
    assert not plan.ok
    item = plan.rows[0]
    assert item.row == 2
    assert any(c == column and reason in r for c, r in item.errors), item.errors


def test_reserved_row_can_revoke_the_reservation(db):
    plan = _plan(
        _row(
            reference="F-05/reserved",
            status="Revoked",
            delegated_to_body="",
            reserved_to_board="Yes",
            form="",
            budget="",
        )
    )
    assert plan.ok, plan.rows[0].errors
    assert plan.rows[0].action == "revoke"


def test_wrong_body_kind_for_level_uses_model_message(db):
    collaborative = h.body_of_kind("provider_collaborative")
    plan = _plan(
        _row(
            reference=f"KF-07/{collaborative.slug}",
            delegated_to_body="",
            delegated_to_committee=collaborative.slug,
        )
    )
    assert not plan.ok
    assert "goes to a committee" in str(plan.rows[0].errors)


def test_duplicate_references_refused(db):
    plan = _plan(_row(), _row())
    assert plan.rows[1].errors == [("reference", "Duplicates the reference on row 2.")]


def test_one_bad_row_means_nothing_is_imported(db, persona):
    before = _snapshot()
    plan = _plan(_row(), _row(reference="KF-06/tht", budget="-1"))
    with pytest.raises(ValidationError, match="nothing was imported"):
        services.map_import_apply(plan=plan, user=persona("icb.governance"))
    assert _snapshot() == before


def test_failure_while_writing_rolls_everything_back(db, persona, monkeypatch):
    before = _snapshot()
    plan = _plan(_row(), _row(reference="F-04/tht", status="Revoked"))
    assert plan.ok and [r.action for r in plan.rows] == ["create", "revoke"]
    from delegation import services

    def fail(**kwargs):
        raise ValidationError("simulated failure")

    monkeypatch.setattr(services, "map_entry_revoke", fail)
    with pytest.raises(ValidationError, match="Row 3"):
        services.map_import_apply(plan=plan, user=persona("icb.governance"))
    assert _snapshot() == before  # the create that went first is rolled back too


def test_bulk_create_refuses_a_clash_whole(db):
    from delegation import services
    from delegation.models import Level

    before = _snapshot()
    twins = [
        MapEntry(
            function=h.function("KF-07"),
            level=Level.PLACE,
            receiving_body=h.body("tht"),
            effective_from=dt.date(2025, 4, 1),
            status=EntryStatus.IN_FORCE,
        )
        for _ in range(2)
    ]
    with pytest.raises(ValidationError, match="nothing was created"):
        services.map_entries_bulk_create(entries=twins)
    assert _snapshot() == before


# Files that cannot be read as a map at all: (content, file name, what the message says).
BAD_FILES = {
    "not-xlsx": (b"not a zip", "map.xlsx", "not an Excel workbook"),
    "wrong-type": (b"%PDF-1.4", "map.pdf", "Upload an Excel workbook"),
    "missing-columns": (b"reference,group\nF-01/tht,x\n", "map.csv", "missing these columns"),
    "empty": (b"", "map.csv", "empty"),
    "not-utf8": (b"\xff\xfe\x00bad", "map.csv", "not UTF-8"),
}


@pytest.mark.parametrize(("content", "name", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_files_refused_with_a_clear_message(db, content, name, message):
    with pytest.raises(import_rows.FileRefused, match=message):
        import_rows.read_table(io.BytesIO(content), name)


def test_file_over_the_size_limit_refused(db):
    with pytest.raises(import_rows.FileRefused, match="at most 10 MB"):
        import_rows.read_table(io.BytesIO(b"x"), "map.csv", size=import_rows.LIMITS.max_bytes + 1)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(client, data: bytes, name: str = "m.xlsx", **extra):
    return client.post(
        reverse("delegation:map_import", args=["nel"]),
        {"file": SimpleUploadedFile(name, data), **extra},
    )


def test_import_page_checks_then_imports_on_the_jobs_page(client_as):
    client = client_as("icb.governance")
    data = _xlsx([list(spreadsheets.COLUMNS), _row(), _row(reference="F-04/tht", status="Revoked")])
    before = _snapshot()
    checked = _upload(client, data)
    assert checked.status_code == 302
    job_url = checked["Location"]
    page = client.get(job_url)
    html = page.content.decode()
    assert page.status_code == 200 and "Nothing has changed yet" in html
    assert "Create" in html and "Revoke" in html and "Import 2 rows" in html
    assert _snapshot() == before  # the dry run changed nothing

    done = client.post(job_url)
    assert done.status_code == 302 and done["Location"] == job_url
    result = client.get(job_url).content.decode()
    assert "1 created, 1 revoked" in result
    assert MapEntry.objects.filter(
        function__code="KF-07", receiving_body__slug="tht", status=EntryStatus.IN_FORCE
    ).exists()
    assert h.in_force("F-01", "tht")  # untouched rows stay as they were
    # A second click imports nothing twice.
    count = MapEntry.objects.count()
    client.post(job_url)
    assert MapEntry.objects.count() == count


def test_import_reports_progress_while_it_runs(client_as, persona):
    from governance import jobs

    seen = []
    real = jobs.job_report

    def spy(job, stage, done, total):
        seen.append((stage, done, total))
        real(job, stage, done, total)

    client = client_as("icb.governance")
    rows = [_row(reference=f"KF-0{i}/tht") for i in (5, 6, 7)]
    job_url = _upload(client, _xlsx([list(spreadsheets.COLUMNS), *rows]))["Location"]
    token = job_url.rstrip("/").rsplit("/", 1)[1]
    progress_url = reverse("delegation:map_import_progress", args=["nel", token])
    assert client.get(progress_url).json() == {
        "state": "checked",
        "stage": "check",
        "done": 3,
        "total": 3,
        "message": "",
    }
    import unittest.mock

    with unittest.mock.patch.object(jobs, "job_report", spy):
        client.post(job_url)
    assert ("write", 0, 3) in seen and ("write", 3, 3) in seen
    assert client.get(progress_url).json()["state"] == "done"
    # Only its uploader follows a job.
    assert client_as("tht.office").get(progress_url).status_code == 403
    other_lead = persona("sel.governance")
    assert client_as(other_lead.username).get(progress_url).status_code == 404


def test_import_page_refuses_bad_rows_and_changes_nothing(client_as):
    client = client_as("icb.governance")
    data = _csv([list(spreadsheets.COLUMNS), _row(), _row(reference="ZZ-1/tht")])
    before = _snapshot()
    job_url = _upload(client, data, "m.csv")["Location"]
    html = client.get(job_url).content.decode()
    assert "nhsuk-error-summary" in html and "1 row refused: nothing can be imported" in html
    assert "Row 3, reference: No function ZZ-1" in html
    assert "Import 2 rows" not in html
    client.post(job_url)  # starting a refused job does nothing
    assert _snapshot() == before


def test_import_refuses_a_file_if_the_map_changed_since_the_check(client_as):
    from delegation import services

    client = client_as("icb.governance")
    job_url = _upload(client, _xlsx([list(spreadsheets.COLUMNS), _row(reference="F-04/tht")]))[
        "Location"
    ]
    services.map_entry_revoke(entry=h.in_force("F-04", "tht"))
    before = _snapshot()
    client.post(job_url)
    html = client.get(job_url).content.decode()
    assert "The map changed after this file was checked" in html
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [*BAD_FILES.values(), (b"x" * (20 * 1024 * 1024), "map.csv", "at most 10 MB")],
    ids=[*BAD_FILES.keys(), "20-mb"],
)
def test_import_page_refuses_bad_files_with_a_clear_message(client_as, content, name, message):
    before = _snapshot()
    response = _upload(client_as("icb.governance"), content, name)
    html = response.content.decode()
    assert response.status_code == 400
    assert "nhsuk-error-summary" in html and message in html
    assert _snapshot() == before


def test_import_page_is_the_leads_only(client_as):
    assert (
        client_as("tht.office").get(reverse("delegation:map_import", args=["nel"])).status_code
        == 403
    )


def test_export_views(client_as):
    response = client_as("tht.board").get(reverse("delegation:map_export", args=["nel", "csv"]))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("reference,group,function")
    assert (
        client_as("tht.board")
        .get(reverse("delegation:map_export", args=["nel", "pdf"]))
        .status_code
        == 404
    )
    assert (
        client_as("viewer").get(reverse("delegation:map_export", args=["nel", "csv"])).status_code
        == 403
    )
    version = client_as("viewer").get(
        reverse("delegation:version_export", args=[h.v1().pk, "xlsx"])
    )
    assert version.status_code == 200 and version["Content-Type"].startswith(
        "application/vnd.openxml"
    )


def test_budget_out_of_range_refused(db):
    plan = _plan(_row(budget="1000000000000"))
    assert ("budget", "A budget must be under £1,000,000,000,000.") in plan.rows[0].errors


def test_too_many_rows_refused_without_reading_the_rest(db, monkeypatch):
    monkeypatch.setattr(import_rows, "LIMITS", dataclasses.replace(import_rows.LIMITS, max_rows=3))
    data = _csv([list(spreadsheets.COLUMNS), *[_row(reference=f"KF-0{i}/tht") for i in range(5)]])
    with pytest.raises(import_rows.FileRefused, match="more than 3 rows"):
        import_rows.read_table(io.BytesIO(data), "map.csv")


def test_workbook_that_unpacks_too_large_refused(db, monkeypatch):
    monkeypatch.setattr(
        import_rows, "LIMITS", dataclasses.replace(import_rows.LIMITS, max_unpacked_bytes=1000)
    )
    data = _xlsx([list(spreadsheets.COLUMNS), _row()])
    with pytest.raises(import_rows.FileRefused, match="unpacks to"):
        import_rows.read_table(io.BytesIO(data), "map.xlsx")


def test_exports_never_carry_a_formula_and_still_reimport(db):
    rows = selectors.live_rows(h.nel())
    rows[0] = {**rows[0], "function_name": '=HYPERLINK("http://evil.example","x")'}
    sheet = load_workbook(io.BytesIO(spreadsheets.to_xlsx(rows))).active
    cell = sheet.cell(row=2, column=spreadsheets.COLUMNS.index("function") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")

    text = spreadsheets.to_csv(rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    plan = import_rows.plan_import(
        h.nel(), import_rows.read_table(io.BytesIO(text.encode()), "m.csv")
    )
    assert plan.ok and {r.action for r in plan.rows} == {"unchanged"}
