"""A programme's milestones as CSV or XLSX, and back again.

Import is all or nothing: every row is checked (and tried) inside one transaction;
any error anywhere, or a dry run, rolls the lot back. Errors name the spreadsheet row,
the column and the reason.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from governance.models import Body
from ics_portal import tables
from ics_portal.ids import as_id

from . import permissions, services
from .models import Milestone, Programme, Status, UpdateSource
from .permissions import Action
from .quarters import QuarterError, parse_quarter

COLUMNS = [
    "id",
    "title",
    "owner_body",
    "lead",
    "start_date",
    "due_date",
    "due_quarter",
    "status",
    "progress",
    "weight",
    "parent_id",
    "description",
    "version",
    "rag",
]
# Written by export for reading, ignored by import.
READ_ONLY_COLUMNS = {"rag"}
REQUIRED_COLUMNS = {"title", "owner_body", "status"}
MAX_ROWS = 2000


def _row(m: Milestone) -> list[Any]:
    return [
        m.pk,
        m.title,
        m.owner_body.slug,
        m.lead_user.get_username() if m.lead_user_id else m.lead_name,
        m.start_date.isoformat() if m.start_date else "",
        "" if m.due_by_quarter else m.due_date.isoformat(),
        m.due_quarter if m.due_by_quarter else "",
        m.status,
        m.progress,
        m.weight,
        m.parent_id or "",
        m.description,
        m.version,
        m.rag,
    ]


def export_csv(milestones: QuerySet[Milestone] | list[Milestone]) -> bytes:
    return tables.write_csv([COLUMNS, *(_row(m) for m in milestones)])


def export_xlsx(milestones: QuerySet[Milestone] | list[Milestone], *, title: str) -> bytes:
    return tables.write_xlsx(
        [COLUMNS, *(_row(m) for m in milestones)], sheet_title="Milestones", document_title=title
    )


# --- reading -----------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column “{self.column}”" if self.column else "")
        return f"{where}: {self.reason}"


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    applied: bool = False


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return tables.from_cell(str(value).strip())


def read_rows(name: str, content: bytes) -> list[tuple[int, dict[str, str]]]:
    """The data rows (numbered as in the spreadsheet) of a CSV or XLSX file."""
    lower = name.lower()
    if lower.endswith(".csv"):
        try:
            table = [[_cell(v) for v in row] for row in tables.read_csv(content)]
        except tables.UnreadableCsv as error:
            raise ValidationError(str(error)) from None
    elif lower.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:
            raise ValidationError("The file could not be read as an XLSX workbook.") from None
        table = [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
    else:
        raise ValidationError("Upload a .csv or .xlsx file.")
    if not table:
        raise ValidationError("The file is empty.")
    header = [h.strip().lower() for h in table[0]]
    missing = REQUIRED_COLUMNS - set(header)
    if missing:
        raise ValidationError(
            f"The first row must name the columns; missing: {', '.join(sorted(missing))}."
        )
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ValidationError(f"Unknown columns: {', '.join(unknown)}. Use the export's columns.")
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(values):
            continue
        rows.append(
            (number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header) if h})
        )
    if len(rows) > MAX_ROWS:
        raise ValidationError(f"A file may hold at most {MAX_ROWS} milestones.")
    return rows


def _date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{value}” is not a date; write it as 2022-03-31 or 31/03/2022.")


_STATUS_BY_TEXT = {
    **{v: v for v in Status.values},
    **{label.lower(): v for v, label in Status.choices},
}


def _parse(
    number: int,
    raw: dict[str, str],
    *,
    programme: Programme,
    by: Any,
    existing: dict[int, Milestone],
    bodies: dict[str, Body],
    users: dict[str, Any],
) -> tuple[Milestone | None, dict[str, Any], list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, reason: str) -> None:
        errors.append(RowError(number, column, reason))

    target: Milestone | None = None
    if raw.get("id"):
        if as_id(raw["id"]) not in existing:
            bad("id", f"no milestone {raw['id']} in “{programme}”; leave id empty to add one.")
        else:
            target = existing[int(raw["id"])]
            if not permissions.can(by, Action.EDIT, target):
                bad("id", f"you may not change “{target.title}”.")

    values: dict[str, Any] = {}
    if raw.get("title"):
        values["title"] = raw["title"][:300]
    elif target is None:
        bad("title", "a new milestone needs a title.")
    if "description" in raw:
        values["description"] = raw["description"]

    slug = raw.get("owner_body", "")
    if slug:
        if slug not in bodies:
            bad("owner_body", f"“{slug}” is not a body whose milestones you may edit.")
        else:
            values["owner_body"] = bodies[slug]
    elif target is None:
        bad("owner_body", "give the owner body's short id (as in the export).")

    if "lead" in raw:
        lead = raw["lead"]
        if lead in users:
            values["lead_user"], values["lead_name"] = users[lead], ""
        else:
            values["lead_user"], values["lead_name"] = None, lead[:200]

    text = raw.get("status", "").strip().lower()
    if text:
        if text not in _STATUS_BY_TEXT:
            bad(
                "status",
                f"“{raw['status']}” is not a status; use one of: {', '.join(Status.values)}.",
            )
        else:
            values["status"] = _STATUS_BY_TEXT[text]
    elif target is None:
        values["status"] = Status.NOT_STARTED

    for column, lo, hi in (("progress", 0, 100), ("weight", 1, 1000)):
        if raw.get(column):
            try:
                number_value = int(raw[column])
            except ValueError:
                bad(column, f"“{raw[column]}” is not a whole number.")
                continue
            if not lo <= number_value <= hi:
                bad(column, f"must be from {lo} to {hi}.")
            else:
                values[column] = number_value

    if "start_date" in raw:
        if raw["start_date"]:
            try:
                values["start_date"] = _date(raw["start_date"])
            except ValueError as error:
                bad("start_date", str(error))
        else:
            values["start_date"] = None

    due, quarter = raw.get("due_date", ""), raw.get("due_quarter", "")
    if due and quarter:
        bad("due_quarter", "give a due date or a quarter, not both.")
    elif due:
        try:
            values["due_date"], values["due_by_quarter"] = _date(due), False
        except ValueError as error:
            bad("due_date", str(error))
    elif quarter:
        try:
            values["due_date"], values["due_by_quarter"] = parse_quarter(quarter).last_day, True
        except QuarterError as error:
            bad("due_quarter", str(error))
    elif target is None:
        bad("due_date", "a new milestone needs a due date or a due quarter.")

    if raw.get("parent_id"):
        parent_id = raw["parent_id"]
        if as_id(parent_id) not in existing:
            bad("parent_id", f"no milestone {parent_id} in this programme.")
        else:
            values["parent"] = existing[as_id(parent_id)]
    elif "parent_id" in raw:
        values["parent"] = None

    if raw.get("version") and target is not None:
        if as_id(raw["version"]) is None:
            bad("version", "must be the version number from the export.")
        else:
            values["_version"] = int(raw["version"])
    return target, values, errors


def _changed(target: Milestone, values: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for key, value in values.items():
        current = getattr(target, key)
        if hasattr(current, "pk") or current is None:
            same = getattr(current, "pk", None) == getattr(value, "pk", value)
        else:
            same = current == value
        if not same:
            changes[key] = value
    return changes


def import_milestones(
    *, programme: Programme, by: Any, rows: list[tuple[int, dict[str, str]]], dry_run: bool
) -> ImportResult:
    """Check, and unless ``dry_run`` apply, every row: all or none."""
    result = ImportResult()
    system_id = programme.owning_system_id
    existing = {
        m.pk: m
        for m in permissions.visible_milestones(by)
        .filter(programme=programme)
        .select_related("owner_body", "lead_user", "programme")
    }
    bodies = {
        b.slug: b for b in permissions.bodies_for_new_milestones(by).filter(system_id=system_id)
    }
    users = {
        u.get_username(): u
        for u in get_user_model()
        .objects.filter(
            role_assignments__system_id=system_id, role_assignments__revoked_at__isnull=True
        )
        .distinct()
    }
    with transaction.atomic():
        for number, raw in rows:
            target, values, errors = _parse(
                number,
                raw,
                programme=programme,
                by=by,
                existing=existing,
                bodies=bodies,
                users=users,
            )
            if errors:
                result.errors.extend(errors)
                continue
            version = values.pop("_version", None)
            try:
                with transaction.atomic():
                    if target is None:
                        made = services.milestone_create(
                            programme=programme, by=by, source=UpdateSource.IMPORT, **values
                        )
                        existing[made.pk] = made
                        result.created.append(made.title)
                    else:
                        changes = _changed(target, values)
                        if not changes:
                            result.unchanged += 1
                            continue
                        services.milestone_update(
                            milestone=target,
                            by=by,
                            version=version,
                            source=UpdateSource.IMPORT,
                            note="Imported from a spreadsheet.",
                            **changes,
                        )
                        result.updated.append(target.title)
            except services.StaleMilestone:
                result.errors.append(
                    RowError(
                        number, "version", "the milestone changed after this file was exported."
                    )
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for column, messages in error.message_dict.items():
                        for message in messages:
                            name = {
                                "lead_user": "lead",
                                "lead_name": "lead",
                                "parent": "parent_id",
                            }.get(column, "" if column == "__all__" else column)
                            result.errors.append(RowError(number, name, message))
                else:
                    for message in error.messages:
                        result.errors.append(RowError(number, "", message))
        result.applied = not dry_run and not result.errors
        if not result.applied:
            transaction.set_rollback(True)
    return result
