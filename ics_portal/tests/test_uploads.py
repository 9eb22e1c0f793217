"""Uploaded spreadsheets are read under limits, and refused before they cost the server."""

import csv
import dataclasses
import io

import openpyxl
import pytest

from ics_portal import uploads
from milestones import spreadsheets as milestone_sheets
from tests.bombs import xlsx_bomb

HEADER = ["title", "owner_body", "status", "due_date"]
ROW = ["Bomb", "tht", "underway", "2026-03-31"]


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """About 390 KB that unpacks to 97 MB: a million rows of milestones."""
    return xlsx_bomb(HEADER, ROW, unpacked_mb=98)


def _read(content: bytes, name: str, limits: uploads.Limits, **kwargs):
    return uploads.read_table(
        io.BytesIO(content),
        name,
        limits,
        columns=tuple(HEADER),
        required=tuple(HEADER),
        **kwargs,
    )


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened(bomb, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    assert len(bomb) < 500 * 1024
    with pytest.raises(uploads.FileRefused, match=r"unpacks to 9\d MB; the limit is 20 MB"):
        _read(bomb, "m.xlsx", milestone_sheets.LIMITS)


def test_rows_are_counted_as_they_stream_and_reading_stops_at_the_limit(bomb):
    # Unpacked size allowed: the row limit alone must stop the million rows early.
    roomy = dataclasses.replace(milestone_sheets.LIMITS, max_unpacked_bytes=200 * 1024 * 1024)
    lines_read = []
    with pytest.raises(uploads.FileRefused, match="more than 2,000 rows"):
        _read(bomb, "m.xlsx", roomy, progress=lambda stage, done, total: lines_read.append(done))
    assert max(lines_read) <= roomy.max_rows + uploads.PROGRESS_EVERY


def test_a_csv_is_refused_at_the_row_limit_before_the_rest_is_parsed():
    limits = dataclasses.replace(milestone_sheets.LIMITS, max_rows=3)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *[ROW] * 4])
    # A line past the limit that the parser would refuse: it is never reached.
    content = buffer.getvalue() + '"' + "x" * (csv.field_size_limit() + 1) + '"\n'
    with pytest.raises(uploads.FileRefused, match="more than 3 rows"):
        _read(content.encode(), "m.csv", limits)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "m.csv", "empty"),
        (b"x" * 3 * 1024 * 1024, "m.csv", "too large"),
        (b"%PDF-1.4", "m.pdf", "Upload an Excel workbook"),
        (b"PK\x03\x04 broken", "m.xlsx", "not an Excel workbook"),
        (b"title,owner_body,status,due_date\r\nx,\x00,y,z\r\n", "m.csv", "not a CSV text file"),
        (b"title,title,owner_body,status,due_date\r\n", "m.csv", "appear twice"),
        (b"title,owner_body,status,due_date\r\n,,,\r\n", "m.csv", "no rows to import"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(content, name, message):
    with pytest.raises(uploads.FileRefused, match=message):
        _read(content, name, milestone_sheets.LIMITS)


def test_a_sheet_broken_midway_is_refused_not_a_server_error():
    good = xlsx_bomb(HEADER, ROW, unpacked_mb=1)
    # Truncate the sheet's XML inside a row: openpyxl's parser fails while streaming.
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            broken.writestr(info.filename, data)
    with pytest.raises(uploads.FileRefused, match="not an Excel workbook"):
        _read(out.getvalue(), "m.xlsx", milestone_sheets.LIMITS)
