"""The one writer of every CSV and XLSX export, and the one reader of uploaded CSV text.

Exports carry text people typed (names, notes, titles). A spreadsheet program runs a
cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula ("CSV injection", OWASP): ``=HYPERLINK(…)`` in a milestone title would become
a live link in the board secretary's Excel. So, following OWASP's guidance:

- CSV: such text gets a leading apostrophe, which Excel and LibreOffice show as "this
  is text" and which :func:`from_cell` removes again on import, so an export
  re-imports unchanged.
- XLSX: every text cell is written as a string cell, never a formula (openpyxl would
  otherwise store any text starting with ``=`` as one); no apostrophe is needed.

Numbers, dates and booleans are written as themselves: only text can be a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(value: Any) -> Any:
    """``value`` as a CSV cell that no spreadsheet program runs as a formula."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def from_cell(text: str) -> str:
    """Undo :func:`inert`: the apostrophe the export put before formula-like text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        return text[1:]
    return text


def write_csv(lines: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so Excel opens names with accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in lines:
        writer.writerow([inert(value) for value in line])
    return buffer.getvalue().encode("utf-8-sig")


def write_xlsx(
    lines: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
    document_title: str = "",
    freeze: str = "A2",
    number_formats: dict[int, str] | None = None,
) -> bytes:
    """A one-sheet workbook; the first line is the bold header row.

    ``number_formats`` maps a 0-based column to an Excel number format for its data.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    # Excel refuses sheet names over 31 characters or with any of []:*?/\ in them.
    sheet.title = "".join(c for c in sheet_title if c not in "[]:*?/\\")[:31] or "Sheet1"
    if document_title:
        workbook.properties.title = document_title[:200]
    for line in lines:
        sheet.append([_xlsx_value(value) for value in line])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = freeze
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            # Text is text, whatever it starts with: never a formula.
            if cell.data_type == "f":
                cell.data_type = "s"
            if number_formats and cell.column - 1 in number_formats:
                cell.number_format = number_formats[cell.column - 1]
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any) -> Any:
    # openpyxl cannot store timezone-aware datetimes; the portal's are shown local.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


class UnreadableCsv(ValueError):
    """The upload is not CSV text; the message says why, in words for the uploader."""


def read_csv(raw: bytes) -> list[list[str]]:
    """The lines of an uploaded CSV file.

    Every way the bytes can fail to be CSV text (not UTF-8, a NUL byte, a field beyond
    the csv module's limit, a broken quote) is one :class:`UnreadableCsv`, so no caller
    can let one of them through as a server error.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableCsv("The CSV file is not UTF-8 text; save it as “CSV UTF-8”.") from None
    if "\x00" in text:
        # A NUL byte means a binary file (often a workbook renamed .csv).
        raise UnreadableCsv("The file is not CSV text: it holds binary data.")
    try:
        return list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise UnreadableCsv(f"The CSV file cannot be read: {error}.") from None
