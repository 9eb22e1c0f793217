"""The map as a spreadsheet: export the live map or a version in the columns an import
reads back (``import_rows``).

The columns follow a scheme of reservation and delegation (SoRD). The conditions
column is a summary on export and is not read on import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from decimal import Decimal
from typing import Any

from governance.models import GovernanceForm

from .models import AssessmentStatus, DecisionRight, EntryStatus, Level

COLUMNS: tuple[str, ...] = (
    "reference",
    "group",
    "function",
    "statutory basis",
    "reserved to board",
    "delegated to committee",
    "delegated to individual",
    "delegated to body",
    "form",
    "decision right",
    "budget",
    "financial limit",
    "conditions",
    "effective from",
    "review by",
    "status",
)
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BODY_LEVELS = (Level.PLACE, Level.COLLABORATIVE, Level.JOINT_COMMITTEE, Level.LEAD_PROVIDER)


# --- export -------------------------------------------------------------------------


def conditions_summary(conditions: list[dict[str, Any]]) -> str:
    if not conditions:
        return ""
    counts = Counter(c.get("status") or AssessmentStatus.NOT_ASSESSED for c in conditions)
    parts = [
        f"{counts[s.value]} {s.label.lower()}" for s in AssessmentStatus if counts.get(s.value)
    ]
    return f"{len(conditions)} ({', '.join(parts)})"


def _label(choices: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return choices(value).label
    except ValueError:
        return value


# A budget nobody recorded, in a sheet: words, not £0 (read back as not recorded).
NOT_RECORDED = "Not recorded"


def export_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Version rows (``selectors.entry_row``) as spreadsheet rows, header first."""
    out: list[list[Any]] = [list(COLUMNS)]
    for row in rows:
        level = row["level"]
        body = row.get("receiving_body_name") or ""
        out.append(
            [
                row["key"],
                row.get("group", ""),
                row.get("function_name", ""),
                row.get("statutory_basis", ""),
                "Yes" if level == Level.RESERVED else "",
                body if level == Level.ICB_COMMITTEE else "",
                body if level == Level.INDIVIDUAL else "",
                body if level in BODY_LEVELS else "",
                _label(GovernanceForm, row.get("governance_form")),
                _label(DecisionRight, row.get("decision_right")),
                Decimal(row["delegated_budget"]) if row.get("delegated_budget") else NOT_RECORDED,
                Decimal(row["financial_limit"]) if row.get("financial_limit") else None,
                conditions_summary(row.get("conditions", [])),
                dt.date.fromisoformat(row["effective_from"]),
                dt.date.fromisoformat(row["review_by"]) if row.get("review_by") else None,
                _label(EntryStatus, row.get("status")),
            ]
        )
    return out


def _csv_safe(value: Any) -> Any:
    """A text cell that a spreadsheet program would run as a formula, made inert.

    The apostrophe is what Excel itself uses to mark "this is text"; ``import_rows.text`` removes
    it again on import, so an exported file re-imports unchanged.
    """
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in export_rows(rows):
        writer.writerow([_csv_safe(v) for v in line])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(rows: list[dict[str, Any]], *, title: str = "Decision map") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for line in export_rows(rows):
        sheet.append(line)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            # openpyxl stores any text starting with "=" as a formula; names and notes
            # typed by users are text, whatever they start with.
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
        for index in (10, 11):
            row[index].number_format = "£#,##0.00"
        for index in (13, 14):
            row[index].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
