"""Hostile spreadsheets for the upload tests and bench scripts."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"


def xlsx_bomb(header: list[str], row: list[str], *, unpacked_mb: int = 98) -> bytes:
    """A real workbook whose first sheet repeats ``row`` until the sheet unpacks to about
    ``unpacked_mb`` MB; it compresses to a few hundred KB (98 MB → about 290 KB)."""
    book = Workbook()
    plain = io.BytesIO()
    book.save(plain)

    def xml_row(values: list[str]) -> bytes:
        cells = "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)
        return f"<row>{cells}</row>".encode()

    line = xml_row(row)
    repeats = unpacked_mb * 1024 * 1024 // len(line)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for info in source.infolist():
            if info.filename != SHEET:
                bomb.writestr(info, source.read(info.filename))
                continue
            with bomb.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                    b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                    + xml_row(header)
                )
                chunk = line * 10_000
                for _ in range(repeats // 10_000):
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()
