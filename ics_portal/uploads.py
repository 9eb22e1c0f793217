"""Reading an uploaded spreadsheet (.xlsx or .csv) without letting it cost the server.

Every spreadsheet import reads its file here, under its own ``Limits``: the upload's
size, what an .xlsx unpacks to (it is a zip: 290 KB can unpack to 98 MB, and is refused
from the zip's directory before anything is unpacked), and the number of rows, counted
while the rows stream in so that reading stops at the limit, not after the whole file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

Progress = Callable[[str, int, int], None]
# Report progress after this many lines.
PROGRESS_EVERY = 200
MB = 1024 * 1024


def no_progress(stage: str, done: int, total: int) -> None:
    return None


class FileRefused(Exception):
    """The file as a whole cannot be read: wrong type, too big, wrong columns."""


@dataclass(frozen=True)
class Limits:
    what: str  # what the file should be, for messages: "a map to import"
    max_bytes: int
    max_rows: int
    max_unpacked_bytes: int


def refuse_size(size: int, limits: Limits) -> None:
    if size > limits.max_bytes:
        raise FileRefused(
            f"The file is too large ({size / MB:.1f} MB): {limits.what} is at most "
            f"{limits.max_bytes // MB} MB."
        )
    if size == 0:
        raise FileRefused("The file is empty.")


def read_lines(
    upload: BinaryIO, name: str, limits: Limits, size: int | None = None
) -> tuple[Iterator[list[Any]], int]:
    """The file's lines, as they stream in, and how many it says it has (0: unknown)."""
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    refuse_size(size, limits)
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return _read_xlsx(upload, limits)
    if lower.endswith(".csv"):
        return _read_csv(upload)
    raise FileRefused("Upload an Excel workbook (.xlsx) or a CSV file (.csv).")


def _read_xlsx(upload: BinaryIO, limits: Limits) -> tuple[Iterator[list[Any]], int]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(upload) as archive:
            # The sizes the directory declares are the most a member can unpack to:
            # zipfile stops (and fails the CRC) at the declared size.
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _unreadable() from None
    if unpacked > limits.max_unpacked_bytes:
        raise FileRefused(
            f"The workbook unpacks to {unpacked / MB:.0f} MB; the limit is "
            f"{limits.max_unpacked_bytes // MB} MB. Save only the sheet to import and try again."
        )
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, IndexError, OSError, ValueError):
        raise _unreadable() from None
    return _sheet_lines(workbook), sheet.max_row or 0


def _size_from_head(sheet: Any) -> None:
    """openpyxl's read-only sheets look for their declared size when the workbook is
    opened, and where a sheet does not declare it, parse up to the *end* of its data to
    find out: the whole sheet, before a row is read (97 s for a 98 MB sheet). Look only
    before the data starts; an undeclared size stays unknown, and rows still stream."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.xml.functions import iterparse

    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DATA_TAG:
                return
            if element.tag == DIMENSION_TAG:
                try:
                    bounds = range_boundaries(element.get("ref", ""))
                except (TypeError, ValueError):
                    return
                sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = bounds
                return


def _patch_openpyxl() -> None:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _size_from_head


_patch_openpyxl()


def _unreadable() -> FileRefused:
    return FileRefused(
        "The file is not an Excel workbook that can be read; save it as .xlsx and try again."
    )


def _sheet_lines(workbook: Any) -> Iterator[list[Any]]:
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
    except FileRefused:
        raise
    except Exception:
        # A sheet can be broken anywhere in its XML; openpyxl then raises whatever its
        # parser raised. The person needs to hear that the file is unreadable.
        raise _unreadable() from None
    finally:
        workbook.close()


def _read_csv(upload: BinaryIO) -> tuple[Iterator[list[Any]], int]:
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused("The CSV file is not UTF-8 text; save it as CSV UTF-8.") from None
    if "\x00" in text:
        raise FileRefused("The file is not a CSV text file.")
    return _csv_lines(text), text.count("\n") + 1


def _csv_lines(text: str) -> Iterator[list[Any]]:
    try:
        yield from csv.reader(io.StringIO(text))
    except csv.Error as error:
        raise FileRefused(f"The CSV file cannot be read: {error}.") from None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(
    upload: BinaryIO,
    name: str,
    limits: Limits,
    *,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    refuse_unknown: bool = False,
    size: int | None = None,
    progress: Progress = no_progress,
) -> list[dict[str, Any]]:
    """The data rows as dicts keyed by (lower-case) column, with ``_row``: the line's
    number in the spreadsheet. Each of ``columns`` the header names is a key (a column
    the file lacks is not: "not given" differs from "emptied"). Blank rows are skipped; more than ``limits.max_rows`` is refused as soon
    as the row after the limit is read.
    """
    lines, expected = read_lines(upload, name, limits, size)
    first = next(lines, None)
    if first is None:
        raise FileRefused("The file has no header row.")
    header = [str(v if v is not None else "").strip().lower() for v in first]
    _check_header(header, columns, required, refuse_unknown)
    index = {c: header.index(c) for c in columns if c in header}
    table: list[dict[str, Any]] = []
    progress("read", 0, expected)
    for number, line in enumerate(lines, start=2):
        if number % PROGRESS_EVERY == 0:
            progress("read", number, expected)
        values = {c: (line[i] if i < len(line) else None) for c, i in index.items()}
        if all(_blank(v) for v in values.values()):
            continue
        values["_row"] = number
        table.append(values)
        if len(table) > limits.max_rows:
            raise FileRefused(
                f"The file has more than {limits.max_rows:,} rows; the limit is "
                f"{limits.max_rows:,}."
            )
    if not table:
        raise FileRefused("The file has a header row but no rows to import.")
    return table


def _check_header(
    header: list[str], columns: tuple[str, ...], required: tuple[str, ...], refuse_unknown: bool
) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise FileRefused(
            "The file is missing these columns: " + ", ".join(f'"{c}"' for c in missing) + "."
        )
    doubled = sorted({c for c in header if c and header.count(c) > 1})
    if doubled:
        raise FileRefused("These columns appear twice: " + ", ".join(doubled) + ".")
    unknown = [h for h in header if h and h not in columns]
    if refuse_unknown and unknown:
        raise FileRefused(
            "Unknown columns: " + ", ".join(unknown) + ". Use the columns of the export."
        )
