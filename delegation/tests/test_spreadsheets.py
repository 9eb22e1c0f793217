"""Export and import of the map: round trip, the dry run, each refusal, all or nothing."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from delegation import selectors, spreadsheets
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


def _plan(*rows) -> spreadsheets.ImportPlan:
    data = _csv([list(spreadsheets.COLUMNS), *rows])
    table = spreadsheets.read_table(io.BytesIO(data), "map.csv")
    return spreadsheets.plan_import(h.nel(), table)


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
    plan = spreadsheets.plan_import(h.nel(), spreadsheets.read_table(io.BytesIO(data), "m.xlsx"))
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
    result = spreadsheets.apply_import(plan, user=persona("icb.governance"))
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
        spreadsheets.apply_import(plan, user=persona("icb.governance"))
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
        spreadsheets.apply_import(plan, user=persona("icb.governance"))
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


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"not a zip", "map.xlsx", "not an Excel workbook"),
        (b"%PDF-1.4", "map.pdf", "Upload an Excel workbook"),
        (b"reference,group\nF-01/tht,x\n", "map.csv", "missing these columns"),
        (b"", "map.csv", "empty"),
        (b"\xff\xfe\x00bad", "map.csv", "not UTF-8"),
    ],
)
def test_bad_files_refused_with_a_clear_message(db, content, name, message):
    with pytest.raises(spreadsheets.FileRefused, match=message):
        spreadsheets.read_table(io.BytesIO(content), name)


def test_file_over_the_size_limit_refused(db):
    with pytest.raises(spreadsheets.FileRefused, match="limit is 20 MB"):
        spreadsheets.read_table(io.BytesIO(b"x"), "map.csv", size=spreadsheets.MAX_BYTES + 1)


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_import_page_dry_run_changes_nothing_then_imports(client_as):
    client = client_as("icb.governance")
    url = reverse("delegation:map_import", args=["nel"])
    data = _xlsx([list(spreadsheets.COLUMNS), _row()])
    before = _snapshot()
    check = client.post(url, {"action": "check", "file": SimpleUploadedFile("m.xlsx", data)})
    assert check.status_code == 200 and "Create" in check.content.decode()
    assert _snapshot() == before
    done = client.post(url, {"action": "import", "file": SimpleUploadedFile("m.xlsx", data)})
    assert done.status_code == 200 and "Imported: 1 create" in done.content.decode()
    assert MapEntry.objects.filter(
        function__code="KF-07", receiving_body__slug="tht", status=EntryStatus.IN_FORCE
    ).exists()


def test_import_page_refuses_bad_rows_and_changes_nothing(client_as):
    client = client_as("icb.governance")
    url = reverse("delegation:map_import", args=["nel"])
    data = _csv([list(spreadsheets.COLUMNS), _row(), _row(reference="ZZ-1/tht")])
    before = _snapshot()
    response = client.post(url, {"action": "import", "file": SimpleUploadedFile("m.csv", data)})
    html = response.content.decode()
    assert response.status_code == 400
    assert (
        "nhsuk-error-summary" in html
        and "nothing was imported" in html
        and "No function ZZ-1" in html
    )
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
