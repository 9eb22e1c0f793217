"""Reading map rows from a spreadsheet: column readers, then one rule per question.

An import is planned first — every row gets an action (create, change, revoke,
unchanged) or the reasons it is refused, each naming its column — and is then written
all or nothing (``services.map_import_apply``). The column readers (``text``,
``choice``, ``money``, ``date``) and the row rules work on one row's values and a
``Catalogue`` of the system, so that other rows shaped like a map entry (a proposal's
items) can be read by the same rules.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError

from governance.models import Body, BodyKind, GovernanceForm, IntegratedCareSystem
from ics_portal import uploads
from ics_portal.uploads import FileRefused, Progress, no_progress

from .models import DecisionRight, EntryStatus, Function, Level, MapEntry
from .spreadsheets import BODY_LEVELS, COLUMNS, FORMULA_START, NOT_RECORDED

__all__ = ["LIMITS", "FileRefused", "ImportPlan", "RowPlan", "plan_import", "read_table"]

# A 20,000-row map is about 1 MB as .xlsx (under 20 MB unpacked) and 3 MB as CSV: the
# limits leave room for formatting while refusing files that are not a map at all.
LIMITS = uploads.Limits(
    what="a map to import", max_bytes=10 * 1024 * 1024, max_rows=20_000,
    max_unpacked_bytes=64 * 1024 * 1024,
)  # fmt: skip
PROGRESS_EVERY = uploads.PROGRESS_EVERY
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
MONEY_CAP = Decimal("1e12")
DATE_HINT = "Give the date as YYYY-MM-DD or DD/MM/YYYY."


def read_table(
    upload: BinaryIO, name: str, size: int | None = None, *, progress: Progress = no_progress
) -> list[dict[str, Any]]:
    """A map file's rows, keyed by the export's columns (see ``uploads.read_table``)."""
    return uploads.read_table(
        upload, name, LIMITS, columns=COLUMNS, required=COLUMNS, size=size, progress=progress
    )


# --- column readers ----------------------------------------------------------------


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    # Undo the apostrophe the CSV export puts before formula-like text.
    if result.startswith("'") and result[1:].startswith(FORMULA_START):
        result = result[1:]
    return result


def choice(choices: Any, value: str) -> str | None:
    """The choice whose value or label the cell names, in any case; None if none."""
    wanted = value.strip().lower()
    for member in choices:
        if wanted in (member.value.lower(), member.label.lower()):
            return member.value
    return None


def money(value: Any) -> Decimal:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    return Decimal(text(value).replace("£", "").replace(",", ""))


def date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    written = text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(written, fmt).date()
        except ValueError:
            continue
    raise ValueError(written)


# --- plans -------------------------------------------------------------------------


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

    def refuse(self, column: str, reason: str) -> None:
        self.errors.append((column, reason))


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


@dataclass
class Catalogue:
    """What the rules look rows up in: one system's functions, bodies and open entries."""

    system: IntegratedCareSystem
    functions: dict[str, Function]
    bodies: dict[str, Body]
    open_entries: dict[tuple[int, int | None, str], MapEntry]

    @classmethod
    def of(cls, system: IntegratedCareSystem) -> Catalogue:
        functions = {f.code.upper(): f for f in Function.objects.filter(system=system)}
        bodies: dict[str, Body] = {}
        for body in Body.objects.filter(system=system).select_related("parent"):
            for key in (body.slug, body.name, body.short_name):
                if key:
                    bodies.setdefault(key.strip().lower(), body)
        open_entries: dict[tuple[int, int | None, str], MapEntry] = {}
        for entry in MapEntry.objects.filter(
            function__system=system, status__in=[EntryStatus.IN_FORCE, EntryStatus.PROPOSED]
        ).select_related("function", "receiving_body"):
            key = (entry.function_id, entry.receiving_body_id, entry.status)
            open_entries.setdefault(key, entry)
        return cls(system, functions, bodies, open_entries)

    def entry(self, function: Function, body: Body | None, status: str) -> MapEntry | None:
        return self.open_entries.get((function.pk, body.pk if body else None, status))


# --- row rules: each reads some columns, refuses with reasons, returns what it found --


def rule_reference(
    item: RowPlan, cat: Catalogue, seen: dict[str, int]
) -> tuple[Function | None, str, str] | None:
    """The reference: present, not repeated, naming a function of the catalogue.
    None stops the row (nothing else can be said of it)."""
    reference = item.reference
    if not reference:
        item.refuse("reference", "Give a reference, e.g. F-01/tht or R-01/reserved.")
        return None
    if reference.lower() in seen:
        item.refuse("reference", f"Duplicates the reference on row {seen[reference.lower()]}.")
        return None
    seen[reference.lower()] = item.row
    code, _, where = reference.partition("/")
    function = cat.functions.get(code.strip().upper())
    if function is None:
        item.refuse(
            "reference", f"No function {code.strip()} in the {cat.system.short_name} catalogue."
        )
    return function, code.strip(), where


PLACEMENT_COLUMNS = {
    Level.ICB_COMMITTEE: "delegated to committee",
    Level.INDIVIDUAL: "delegated to individual",
    "body": "delegated to body",
}


def rule_placement(
    item: RowPlan, values: dict[str, Any], cat: Catalogue
) -> tuple[str | None, Body | None]:
    """Where the decision sits: reserved, or exactly one of the three "delegated to"
    columns naming a body. The level is None for "delegated to body" (decided later)."""
    reserved = text(values["reserved to board"]).lower()
    named = {key: text(values[column]) for key, column in PLACEMENT_COLUMNS.items()}
    filled = [key for key, name in named.items() if name]
    if reserved and reserved not in YES:
        item.refuse("reserved to board", f'Write "Yes" or leave it empty, not "{reserved}".')
    if reserved in YES and filled:
        item.refuse("reserved to board", "A reserved function names no receiving body.")
        return None, None
    if reserved in YES:
        return Level.RESERVED, None
    if len(filled) != 1:
        item.refuse(
            "delegated to body",
            "Fill exactly one of: reserved to board, delegated to committee, "
            "delegated to individual, delegated to body.",
        )
        return None, None
    key = filled[0]
    body = cat.bodies.get(named[key].lower())
    if body is None:
        item.refuse(PLACEMENT_COLUMNS[key], f'No body "{named[key]}" in {cat.system.short_name}.')
        return None, None
    return (key if key != "body" else None), body


def rule_form(item: RowPlan, values: dict[str, Any]) -> str:
    written = text(values["form"])
    form = choice(GovernanceForm, written) if written else ""
    if form is None:
        item.refuse("form", f'Unknown governance form "{written}".')
        return ""
    return form


def rule_body_level(
    item: RowPlan, cat: Catalogue, function: Function, body: Body, form: str
) -> str | None:
    """ "Delegated to body" covers four levels: keep the level of the entry the row
    updates; otherwise the body's kind decides, then the form."""
    for status in (EntryStatus.IN_FORCE, EntryStatus.PROPOSED):
        entry = cat.entry(function, body, status)
        if entry is not None and entry.level in BODY_LEVELS:
            return entry.level
    if body.kind == BodyKind.PLACE_PARTNERSHIP:
        return Level.PLACE
    if body.kind == BodyKind.PROVIDER_COLLABORATIVE:
        return Level.COLLABORATIVE
    if form == GovernanceForm.JOINT_COMMITTEE:
        return Level.JOINT_COMMITTEE
    item.refuse(
        "delegated to body",
        f"{body} is a {body.get_kind_display().lower()}; delegate to it as a "
        "committee or an individual, or give a joint-committee form.",
    )
    return None


def rule_reference_matches(
    item: RowPlan, code: str, where: str, body: Body | None, level: str | None
) -> None:
    expected = body.slug if body is not None else "reserved"
    if where.strip().lower() != expected.lower() and (body is not None or level):
        item.refuse(
            "reference",
            f'The reference ends "/{where}" but the row is for "{expected}"; '
            f"use {code}/{expected}.",
        )


def rule_right(item: RowPlan, values: dict[str, Any]) -> str | None:
    written = text(values["decision right"])
    right = choice(DecisionRight, written) if written else DecisionRight.DECIDES
    if right is None:
        item.refuse("decision right", f'Unknown decision right "{written}".')
    return right


def rule_money(item: RowPlan, values: dict[str, Any]) -> tuple[Decimal | None, Decimal | None]:
    budget = limit = None
    try:
        written_budget = text(values["budget"])
        recorded = written_budget and written_budget.lower() != NOT_RECORDED.lower()
        budget = money(values["budget"]) if recorded else None
        if budget is None:
            pass  # not recorded
        elif budget < 0:
            item.refuse("budget", "A budget cannot be negative.")
        elif budget >= MONEY_CAP:
            item.refuse("budget", "A budget must be under £1,000,000,000,000.")
    except (InvalidOperation, ValueError):
        item.refuse("budget", f'"{text(values["budget"])}" is not an amount of money.')
    written = text(values["financial limit"])
    try:
        limit = money(values["financial limit"]) if written else None
        if limit is not None and (limit < 0 or limit >= MONEY_CAP):
            item.refuse(
                "financial limit", "A financial limit must be between £0 and £1,000,000,000,000."
            )
    except (InvalidOperation, ValueError):
        item.refuse("financial limit", f'"{written}" is not an amount of money.')
    return budget, limit


def rule_dates(item: RowPlan, values: dict[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    effective = review = None
    try:
        effective = date(values["effective from"])
    except ValueError:
        item.refuse("effective from", DATE_HINT)
    if text(values["review by"]):
        try:
            review = date(values["review by"])
        except ValueError:
            item.refuse("review by", DATE_HINT)
    if effective and review and review < effective:
        item.refuse("review by", "The review date cannot be before the entry takes effect.")
    return effective, review


def rule_status(item: RowPlan, values: dict[str, Any]) -> str | None:
    written = text(values["status"])
    status = choice(EntryStatus, written) if written else EntryStatus.IN_FORCE
    if status is None or status == EntryStatus.SUPERSEDED:
        item.refuse("status", 'Status is "In force", "Proposed" or "Revoked".')
    return status


def rule_model(item: RowPlan, function: Function, fields: dict[str, Any]) -> None:
    """The model's own rules (kind fits level, same system, limits), with its messages.

    Field and model rules only: the function and body were just read from the
    database, and the one-in-force rule is what the action decides."""
    probe = MapEntry(function=function, status=EntryStatus.PROPOSED, **fields)
    try:
        probe.clean_fields(exclude=["function", "receiving_body", "status"])
        probe.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            for message in messages:
                item.refuse(name.replace("_", " "), message)


def rule_action(
    item: RowPlan, cat: Catalogue, function: Function, status: str, fields: dict[str, Any]
) -> None:
    """What the row does to the map: create, change, revoke, or nothing."""
    body = fields["receiving_body"]
    in_force = cat.entry(function, body, EntryStatus.IN_FORCE)
    item.values = {"function": function, "status": status, **fields}
    if status == EntryStatus.REVOKED:
        if in_force is None:
            item.refuse("status", "Nothing is in force for this reference to revoke.")
        else:
            item.action, item.existing = "revoke", in_force
        return
    current = in_force if status == EntryStatus.IN_FORCE else cat.entry(function, body, status)
    if current is None:
        item.action = "create"
        return
    item.existing = current
    item.changes = [
        f"{name.replace('_', ' ')}: {getattr(current, name) or '—'} → {fields[name] or '—'}"
        for name in COMPARED
        if getattr(current, name) != fields[name]
    ]
    item.action = "change" if item.changes else "unchanged"


# --- the plan -------------------------------------------------------------------------


def plan_row(values: dict[str, Any], cat: Catalogue, seen: dict[str, int]) -> RowPlan:
    """One row through every rule: its action, or every reason it is refused."""
    item = RowPlan(row=values["_row"], reference=text(values["reference"]))
    found = rule_reference(item, cat, seen)
    if found is None:
        return item
    function, code, where = found
    level, body = rule_placement(item, values, cat)
    form = rule_form(item, values)
    if body is not None and level is None and function is not None:
        level = rule_body_level(item, cat, function, body, form)
    rule_reference_matches(item, code, where, body, level)
    right = rule_right(item, values)
    budget, limit = rule_money(item, values)
    effective, review = rule_dates(item, values)
    status = rule_status(item, values)
    if item.refused or function is None or level is None or status is None:
        return item
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
    rule_model(item, function, fields)
    if not item.refused:
        rule_action(item, cat, function, status, fields)
    return item


def plan_import(
    system: IntegratedCareSystem,
    table: list[dict[str, Any]],
    *,
    progress: Progress = no_progress,
) -> ImportPlan:
    """Decide, per row, what the import would do — or why it refuses the row.

    ``progress("check", done, total)`` is called every ``PROGRESS_EVERY`` rows.
    """
    cat = Catalogue.of(system)
    plan = ImportPlan()
    seen: dict[str, int] = {}
    total = len(table)
    progress("check", 0, total)
    for done, values in enumerate(table):
        if done and done % PROGRESS_EVERY == 0:
            progress("check", done, total)
        plan.rows.append(plan_row(values, cat, seen))
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
