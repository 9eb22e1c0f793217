"""A programme's milestones as CSV or XLSX, and back again.

Import is all or nothing: every row is checked (and tried) inside one transaction;
any error anywhere, or a dry run, rolls the lot back. Errors name the spreadsheet row,
the column and the reason.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from governance.models import Body
from ics_portal import tables, uploads
from ics_portal.ids import as_id
from ics_portal.quarters import QuarterError, parse_quarter
from ics_portal.uploads import Progress, no_progress

from . import permissions, services
from .models import Milestone, Programme, Status, UpdateSource
from .permissions import Action

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
REQUIRED_COLUMNS = ("title", "owner_body", "status")
# A programme has tens of milestones; 2,000 rows of the export is about 200 KB as CSV
# and 1 MB unpacked as .xlsx. A 290 KB workbook that unpacks to 98 MB is refused from
# its zip directory, before a single row is read.
# Each row is a service call with its history: report progress more often than a map's.
PROGRESS_EVERY = 25
LIMITS = uploads.Limits(
    what="a milestone file", max_bytes=2 * 1024 * 1024, max_rows=2000,
    max_unpacked_bytes=20 * 1024 * 1024,
)  # fmt: skip


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


def read_rows(
    name: str, content: bytes, *, progress: Progress = no_progress
) -> list[tuple[int, dict[str, str]]]:
    """The data rows (numbered as in the spreadsheet) of a CSV or XLSX file, each with
    the columns its header names. Raises ``FileRefused`` for a file that cannot be read,
    under the limits of ``LIMITS``."""
    table = uploads.read_table(
        io.BytesIO(content),
        name,
        LIMITS,
        columns=tuple(COLUMNS),
        required=REQUIRED_COLUMNS,
        refuse_unknown=True,
        progress=progress,
    )
    return [
        (values.pop("_row"), {column: _cell(value) for column, value in values.items()})
        for values in table
    ]


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


@dataclass
class _Context:
    """What rows are checked against: the programme, and what its importer may touch."""

    programme: Programme
    by: Any
    existing: dict[int, Milestone]
    bodies: dict[str, Body]
    users: dict[str, Any]

    @classmethod
    def of(cls, programme: Programme, by: Any) -> _Context:
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
        return cls(programme, by, existing, bodies, users)


Bad = Callable[[str, str], None]


def _rule_target(raw: dict[str, str], ctx: _Context, bad: Bad) -> Milestone | None:
    """The milestone a row with an id updates (None: the row adds one)."""
    if not raw.get("id"):
        return None
    if as_id(raw["id"]) not in ctx.existing:
        bad("id", f"no milestone {raw['id']} in “{ctx.programme}”; leave id empty to add one.")
        return None
    target = ctx.existing[int(raw["id"])]
    if not permissions.can(ctx.by, Action.EDIT, target):
        bad("id", f"you may not change “{target.title}”.")
    return target


def _rule_names(
    raw: dict[str, str], ctx: _Context, new: bool, values: dict[str, Any], bad: Bad
) -> None:
    """Title, description, owner body and lead."""
    if raw.get("title"):
        values["title"] = raw["title"][:300]
    elif new:
        bad("title", "a new milestone needs a title.")
    if "description" in raw:
        values["description"] = raw["description"]
    slug = raw.get("owner_body", "")
    if slug:
        if slug not in ctx.bodies:
            bad("owner_body", f"“{slug}” is not a body whose milestones you may edit.")
        else:
            values["owner_body"] = ctx.bodies[slug]
    elif new:
        bad("owner_body", "give the owner body's short id (as in the export).")
    if "lead" in raw:
        lead = raw["lead"]
        if lead in ctx.users:
            values["lead_user"], values["lead_name"] = ctx.users[lead], ""
        else:
            values["lead_user"], values["lead_name"] = None, lead[:200]


def _rule_status(raw: dict[str, str], new: bool, values: dict[str, Any], bad: Bad) -> None:
    """Status, progress and weight."""
    text = raw.get("status", "").strip().lower()
    if text:
        if text not in _STATUS_BY_TEXT:
            bad(
                "status",
                f"“{raw['status']}” is not a status; use one of: {', '.join(Status.values)}.",
            )
        else:
            values["status"] = _STATUS_BY_TEXT[text]
    elif new:
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


def _rule_dates(raw: dict[str, str], new: bool, values: dict[str, Any], bad: Bad) -> None:
    """Start date, and a due date or a due quarter (not both)."""
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
    elif new:
        bad("due_date", "a new milestone needs a due date or a due quarter.")


def _rule_links(
    raw: dict[str, str], ctx: _Context, target: Milestone | None, values: dict[str, Any], bad: Bad
) -> None:
    """Parent, and the version the row was exported at."""
    if raw.get("parent_id"):
        parent_id = raw["parent_id"]
        if as_id(parent_id) not in ctx.existing:
            bad("parent_id", f"no milestone {parent_id} in this programme.")
        else:
            values["parent"] = ctx.existing[as_id(parent_id)]
    elif "parent_id" in raw:
        values["parent"] = None
    if raw.get("version") and target is not None:
        if as_id(raw["version"]) is None:
            bad("version", "must be the version number from the export.")
        else:
            values["_version"] = int(raw["version"])


def _parse(
    number: int, raw: dict[str, str], ctx: _Context
) -> tuple[Milestone | None, dict[str, Any], list[RowError]]:
    """One row: the milestone it updates (or None), the values it sets, its errors."""
    errors: list[RowError] = []

    def bad(column: str, reason: str) -> None:
        errors.append(RowError(number, column, reason))

    target = _rule_target(raw, ctx, bad)
    new = target is None
    values: dict[str, Any] = {}
    _rule_names(raw, ctx, new, values, bad)
    _rule_status(raw, new, values, bad)
    _rule_dates(raw, new, values, bad)
    _rule_links(raw, ctx, target, values, bad)
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


_ERROR_COLUMNS = {"lead_user": "lead", "lead_name": "lead", "parent": "parent_id", "__all__": ""}


def _service_errors(number: int, error: ValidationError) -> list[RowError]:
    if not hasattr(error, "error_dict"):
        return [RowError(number, "", message) for message in error.messages]
    return [
        RowError(number, _ERROR_COLUMNS.get(column, column), message)
        for column, messages in error.message_dict.items()
        for message in messages
    ]


def _write_row(
    number: int, target: Milestone | None, values: dict[str, Any], ctx: _Context, result: Any
) -> None:
    """Add or update one milestone (in its own savepoint); record what happened."""
    version = values.pop("_version", None)
    try:
        with transaction.atomic():
            if target is None:
                made = services.milestone_create(
                    programme=ctx.programme, by=ctx.by, source=UpdateSource.IMPORT, **values
                )
                ctx.existing[made.pk] = made
                result.created.append(made.title)
                return
            changes = _changed(target, values)
            if not changes:
                result.unchanged += 1
                return
            services.milestone_update(
                milestone=target,
                by=ctx.by,
                version=version,
                source=UpdateSource.IMPORT,
                note="Imported from a spreadsheet.",
                **changes,
            )
            result.updated.append(target.title)
    except services.StaleMilestone:
        result.errors.append(
            RowError(number, "version", "the milestone changed after this file was exported.")
        )
    except ValidationError as error:
        result.errors.extend(_service_errors(number, error))


def import_milestones(
    *,
    programme: Programme,
    by: Any,
    rows: list[tuple[int, dict[str, str]]],
    dry_run: bool,
    progress: Progress = no_progress,
) -> ImportResult:
    """Check, and unless ``dry_run`` apply, every row: all or none.

    Every row is tried, even on a dry run, so that the services' own rules speak too;
    then the lot is rolled back unless it is applied. ``progress(stage, done, total)``
    reports rows tried ("check" on a dry run, "write" otherwise).
    """
    result = ImportResult()
    ctx = _Context.of(programme, by)
    stage, total = ("check" if dry_run else "write"), len(rows)
    progress(stage, 0, total)
    with transaction.atomic():
        for done, (number, raw) in enumerate(rows, start=1):
            target, values, errors = _parse(number, raw, ctx)
            if errors:
                result.errors.extend(errors)
            else:
                _write_row(number, target, values, ctx, result)
            if done % PROGRESS_EVERY == 0:
                progress(stage, done, total)
        result.applied = not dry_run and not result.errors
        if not result.applied:
            transaction.set_rollback(True)
    progress(stage, total, total)
    return result
