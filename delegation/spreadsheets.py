"""The map as a spreadsheet: export the live map or a version, import the same columns.

The columns follow a scheme of reservation and delegation (SoRD). An import is planned
first — every row gets an action (create, change, revoke, unchanged) or the reasons it
is refused — and is then applied all or nothing: one refused row and nothing changes.
The conditions column is a summary on export and is not read on import.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.db import transaction

from governance.models import Body, BodyKind, GovernanceForm, IntegratedCareSystem

from . import services
from .models import (
    AssessmentStatus,
    DecisionRight,
    EntryStatus,
    Function,
    Level,
    MapEntry,
)

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
# A 20,000-row map is about 1 MB as .xlsx and 3 MB as CSV: 10 MB leaves room for
# formatting while refusing files that are not a map at all.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# An .xlsx is a zip: a small upload can unpack to gigabytes. Refuse before unpacking.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Report progress after this many rows.
PROGRESS_EVERY = 200
BODY_LEVELS = (Level.PLACE, Level.COLLABORATIVE, Level.JOINT_COMMITTEE, Level.LEAD_PROVIDER)
YES = {"yes", "y", "true", "x", "1", "reserved"}
COMPARED = (
    "level",
    "governance_form",
    "decision_right",
    "delegated_budget",
    "financial_limit",
    "effective_from",
    "review_by",
)


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

    The apostrophe is what Excel itself uses to mark "this is text"; ``_text`` removes
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


# --- import: reading ----------------------------------------------------------------


Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


class FileRefused(Exception):
    """The file as a whole cannot be read: wrong type, too big, wrong columns."""


def refuse_size(size: int) -> None:
    if size > MAX_BYTES:
        raise FileRefused(
            f"The file is too large ({size / 1024 / 1024:.1f} MB): a map to import is at "
            f"most {MAX_BYTES // 1024 // 1024} MB."
        )
    if size == 0:
        raise FileRefused("The file is empty.")


def read_table(
    upload: BinaryIO,
    name: str,
    size: int | None = None,
    *,
    progress: Progress = _no_progress,
) -> list[dict[str, Any]]:
    """The file's data rows as dicts keyed by column, with a ``_row`` spreadsheet number.

    ``progress("read", lines, total)`` is called as lines are read (``total`` is 0 when
    the workbook does not say how many it holds).
    """
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
        upload.seek(0)
    refuse_size(size)
    lower = name.lower()
    if lower.endswith(".xlsx"):
        lines, expected = _read_xlsx(upload)
    elif lower.endswith(".csv"):
        lines, expected = _read_csv(upload)
    else:
        raise FileRefused("Upload an Excel workbook (.xlsx) or a CSV file (.csv).")
    first = next(lines, None)
    if first is None:
        raise FileRefused("The file has no header row.")
    header = [str(v or "").strip().lower() for v in first]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise FileRefused(
            "The file is missing these columns: " + ", ".join(f'"{c}"' for c in missing) + "."
        )
    doubled = sorted({c for c in header if c and header.count(c) > 1})
    if doubled:
        raise FileRefused("These columns appear twice: " + ", ".join(doubled) + ".")
    index = {c: header.index(c) for c in COLUMNS}
    table = []
    progress("read", 0, expected)
    for number, line in enumerate(lines, start=2):
        if number % PROGRESS_EVERY == 0:
            progress("read", number, expected)
        values = {c: (line[i] if i < len(line) else None) for c, i in index.items()}
        if all(v in (None, "") or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        values["_row"] = number
        table.append(values)
        # Stop reading at the limit rather than after the whole of a huge file.
        if len(table) > MAX_ROWS:
            raise FileRefused(
                f"The file has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}."
            )
    if not table:
        raise FileRefused("The file has a header row but no entries.")
    return table


def _read_xlsx(upload: BinaryIO) -> tuple[Iterator[list[Any]], int]:
    """The first sheet's lines, and how many it says it has (0 if it does not say)."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = FileRefused(
        "The file is not an Excel workbook that can be read; save it as .xlsx and try again."
    )
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise unreadable from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise FileRefused(
            f"The workbook unpacks to {unpacked / 1024 / 1024:.0f} MB; the limit is "
            f"{MAX_UNPACKED_BYTES // 1024 // 1024} MB. Save only the map's sheet and try again."
        )
    upload.seek(0)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise unreadable from None
    sheet = workbook.worksheets[0]
    return _sheet_lines(workbook), sheet.max_row or 0


def _sheet_lines(workbook: Any) -> Iterator[list[Any]]:
    try:
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            yield list(row)
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
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise FileRefused(f"The CSV file cannot be read: {error}.") from None
    return iter(lines), len(lines)


# --- import: planning ---------------------------------------------------------------


@dataclass
class RowPlan:
    row: int
    reference: str
    action: str = ""  # create, change, revoke, unchanged
    changes: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    existing: MapEntry | None = None

    @property
    def refused(self) -> bool:
        return bool(self.errors)


@dataclass
class ImportPlan:
    rows: list[RowPlan] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not any(r.refused for r in self.rows)

    @property
    def refused(self) -> list[RowPlan]:
        return [r for r in self.rows if r.refused]

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if not r.refused and r.action == action)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # Undo the apostrophe the CSV export puts before formula-like text.
    if text.startswith("'") and text[1:].startswith(FORMULA_START):
        text = text[1:]
    return text


def _choice(choices: Any, value: str) -> str | None:
    wanted = value.strip().lower()
    for member in choices:
        if wanted in (member.value.lower(), member.label.lower()):
            return member.value
    return None


def _money(value: Any) -> Decimal:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _text(value).replace("£", "").replace(",", "")
    return Decimal(text)


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def plan_import(
    system: IntegratedCareSystem,
    table: list[dict[str, Any]],
    *,
    progress: Progress = _no_progress,
) -> ImportPlan:
    """Decide, per row, what the import would do — or why it refuses the row.

    ``progress("check", done, total)`` is called every ``PROGRESS_EVERY`` rows.
    """
    functions = {f.code.upper(): f for f in Function.objects.filter(system=system)}
    bodies = list(Body.objects.filter(system=system).select_related("parent"))
    by_name: dict[str, Body] = {}
    for body in bodies:
        for key in (body.slug, body.name, body.short_name):
            if key:
                by_name.setdefault(key.strip().lower(), body)
    open_entries: dict[tuple[int, int | None, str], MapEntry] = {}
    for entry in MapEntry.objects.filter(
        function__system=system, status__in=[EntryStatus.IN_FORCE, EntryStatus.PROPOSED]
    ).select_related("function", "receiving_body"):
        open_entries.setdefault((entry.function_id, entry.receiving_body_id, entry.status), entry)

    plan = ImportPlan()
    seen: dict[str, int] = {}
    total = len(table)
    progress("check", 0, total)
    for done, values in enumerate(table):
        if done and done % PROGRESS_EVERY == 0:
            progress("check", done, total)
        number = values["_row"]
        reference = _text(values["reference"])
        item = RowPlan(row=number, reference=reference)
        plan.rows.append(item)

        def refuse(column: str, reason: str, item: RowPlan = item) -> None:
            item.errors.append((column, reason))

        if not reference:
            refuse("reference", "Give a reference, e.g. F-01/tht or R-01/reserved.")
            continue
        if reference.lower() in seen:
            refuse("reference", f"Duplicates the reference on row {seen[reference.lower()]}.")
            continue
        seen[reference.lower()] = number
        code, _, where = reference.partition("/")
        function = functions.get(code.strip().upper())
        if function is None:
            refuse("reference", f"No function {code.strip()} in the {system.short_name} catalogue.")

        # Where the decision sits: exactly one of the four columns.
        reserved = _text(values["reserved to board"]).lower()
        named = {
            Level.ICB_COMMITTEE: _text(values["delegated to committee"]),
            Level.INDIVIDUAL: _text(values["delegated to individual"]),
            "body": _text(values["delegated to body"]),
        }
        filled = [k for k, v in named.items() if v]
        if reserved and reserved not in YES:
            refuse("reserved to board", f'Write "Yes" or leave it empty, not "{reserved}".')
        level: str | None = None
        body: Body | None = None
        if reserved in YES and filled:
            refuse("reserved to board", "A reserved function names no receiving body.")
        elif reserved in YES:
            level = Level.RESERVED
        elif len(filled) != 1:
            refuse(
                "delegated to body",
                "Fill exactly one of: reserved to board, delegated to committee, "
                "delegated to individual, delegated to body.",
            )
        else:
            column_key = filled[0]
            column = (
                "delegated to body"
                if column_key == "body"
                else f"delegated to {'committee' if column_key == Level.ICB_COMMITTEE else 'individual'}"
            )
            body = by_name.get(named[column_key].lower())
            if body is None:
                refuse(column, f'No body "{named[column_key]}" in {system.short_name}.')
            else:
                level = column_key if column_key != "body" else None

        form_text = _text(values["form"])
        form = _choice(GovernanceForm, form_text) if form_text else ""
        if form is None:
            refuse("form", f'Unknown governance form "{form_text}".')
            form = ""
        if body is not None and level is None and function is not None:
            # "Delegated to body" covers four levels: keep the level of the entry the row
            # updates; otherwise the body's kind decides, then the form.
            known = next(
                (
                    e.level
                    for s in (EntryStatus.IN_FORCE, EntryStatus.PROPOSED)
                    if (e := open_entries.get((function.pk, body.pk, s))) is not None
                    and e.level in BODY_LEVELS
                ),
                None,
            )
            if known is not None:
                level = known
            elif body.kind == BodyKind.PLACE_PARTNERSHIP:
                level = Level.PLACE
            elif body.kind == BodyKind.PROVIDER_COLLABORATIVE:
                level = Level.COLLABORATIVE
            elif form == GovernanceForm.JOINT_COMMITTEE:
                level = Level.JOINT_COMMITTEE
            else:
                refuse(
                    "delegated to body",
                    f"{body} is a {body.get_kind_display().lower()}; delegate to it as a "
                    "committee or an individual, or give a joint-committee form.",
                )
        expected_where = body.slug if body is not None else "reserved"
        if where.strip().lower() != expected_where.lower() and (body is not None or level):
            refuse(
                "reference",
                f'The reference ends "/{where}" but the row is for "{expected_where}"; '
                f"use {code.strip()}/{expected_where}.",
            )

        right_text = _text(values["decision right"])
        right = _choice(DecisionRight, right_text) if right_text else DecisionRight.DECIDES
        if right is None:
            refuse("decision right", f'Unknown decision right "{right_text}".')

        budget = limit = None
        try:
            budget_text = _text(values["budget"])
            recorded = budget_text and budget_text.lower() != NOT_RECORDED.lower()
            budget = _money(values["budget"]) if recorded else None
            if budget is None:
                pass  # not recorded
            elif budget < 0:
                refuse("budget", "A budget cannot be negative.")
            elif budget >= Decimal("1e12"):
                refuse("budget", "A budget must be under £1,000,000,000,000.")
        except (InvalidOperation, ValueError):
            refuse("budget", f'"{_text(values["budget"])}" is not an amount of money.')
        try:
            limit = _money(values["financial limit"]) if _text(values["financial limit"]) else None
            if limit is not None and (limit < 0 or limit >= Decimal("1e12")):
                refuse(
                    "financial limit",
                    "A financial limit must be between £0 and £1,000,000,000,000.",
                )
        except (InvalidOperation, ValueError):
            refuse(
                "financial limit",
                f'"{_text(values["financial limit"])}" is not an amount of money.',
            )

        effective = review = None
        try:
            effective = _date(values["effective from"])
        except ValueError:
            refuse("effective from", "Give the date as YYYY-MM-DD or DD/MM/YYYY.")
        if _text(values["review by"]):
            try:
                review = _date(values["review by"])
            except ValueError:
                refuse("review by", "Give the date as YYYY-MM-DD or DD/MM/YYYY.")
        if effective and review and review < effective:
            refuse("review by", "The review date cannot be before the entry takes effect.")

        status_text = _text(values["status"])
        status = _choice(EntryStatus, status_text) if status_text else EntryStatus.IN_FORCE
        if status is None or status == EntryStatus.SUPERSEDED:
            refuse("status", 'Status is "In force", "Proposed" or "Revoked".')
        if item.refused or function is None or level is None:
            continue

        fields = {
            "level": level,
            "receiving_body": body,
            "governance_form": form,
            "decision_right": right,
            "delegated_budget": budget,
            "financial_limit": limit,
            "effective_from": effective,
            "review_by": review,
        }
        # The model's own rules (kind fits level, same system, limits), with its messages.
        probe = MapEntry(function=function, status=EntryStatus.PROPOSED, **fields)
        try:
            # Field and model rules only: the function and body were just read from the
            # database, and the one-in-force rule is what the action below decides.
            probe.clean_fields(exclude=["function", "receiving_body", "status"])
            probe.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    refuse(name.replace("_", " "), message)
            continue

        in_force = open_entries.get((function.pk, body.pk if body else None, EntryStatus.IN_FORCE))
        proposed = open_entries.get((function.pk, body.pk if body else None, EntryStatus.PROPOSED))
        item.values = {"function": function, "status": status, **fields}
        if status == EntryStatus.REVOKED:
            if in_force is None:
                refuse("status", "Nothing is in force for this reference to revoke.")
            else:
                item.action, item.existing = "revoke", in_force
            continue
        current = in_force if status == EntryStatus.IN_FORCE else proposed
        if current is None:
            item.action = "create"
            continue
        item.existing = current
        item.changes = [
            f"{name.replace('_', ' ')}: {getattr(current, name) or '—'} → {fields[name] or '—'}"
            for name in COMPARED
            if getattr(current, name) != fields[name]
        ]
        item.action = "change" if item.changes else "unchanged"
    progress("check", total, total)
    return plan


def plan_fingerprint(plan: ImportPlan) -> str:
    """What the plan would do, as a short digest: the same file checked against a map
    that changed in between gives a different one."""
    digest = hashlib.sha256()
    for item in plan.rows:
        existing = item.existing.pk if item.existing is not None else ""
        digest.update(f"{item.row}|{item.action}|{existing}|{item.errors}\n".encode())
    return digest.hexdigest()


@transaction.atomic
def apply_import(
    plan: ImportPlan, *, user: Any, progress: Progress = _no_progress
) -> dict[str, int]:
    """Write every planned row, or none: any refusal or failure rolls the whole file back.

    ``progress("write", done, total)`` reports rows written so far. Progress is only
    news: until the transaction commits, nobody else sees a single row of it.
    """
    if not plan.ok:
        raise ValidationError("The file has refused rows; nothing was imported.")
    done: Counter[str] = Counter()
    # New entries go in as batches; changes and revocations one by one, since each
    # keeps its own supersession record.
    creates = [
        MapEntry(created_by=user, **item.values) for item in plan.rows if item.action == "create"
    ]
    others = [item for item in plan.rows if item.action in ("change", "revoke")]
    total = len(creates) + len(others)
    written = 0
    progress("write", written, total)

    def created(batch: int) -> None:
        nonlocal written
        written += batch
        progress("write", written, total)

    try:
        services.map_entries_bulk_create(entries=creates, on_batch=created)
    except ValidationError as error:
        raise ValidationError(
            "The new entries could not be written: "
            + " ".join(error.messages)
            + " Nothing was imported."
        ) from error
    done["create"] = len(creates)
    for item in others:
        values = dict(item.values)
        values.pop("status")
        values.pop("function")
        try:
            if item.action == "revoke":
                services.map_entry_revoke(
                    entry=item.existing, note="Revoked by spreadsheet import."
                )
            elif item.existing.status == EntryStatus.IN_FORCE:
                services.map_entry_supersede(entry=item.existing, created_by=user, **values)
            else:
                services.map_entry_update(entry=item.existing, **values)
        except ValidationError as error:
            raise ValidationError(
                f"Row {item.row} ({item.reference}) could not be written: "
                + " ".join(error.messages)
                + " Nothing was imported."
            ) from error
        done[item.action] += 1
        written += 1
        if written % PROGRESS_EVERY == 0:
            progress("write", written, total)
    progress("write", total, total)
    return {action: n for action, n in done.items() if n}
