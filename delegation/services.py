"""Every write to the map. Each service validates, then saves atomically.

Services do not decide who may call them: views, the API, the importer and the admin
ask ``delegation.permissions`` first.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from governance.concurrency import versioned_write
from governance.models import Body, IntegratedCareSystem
from ics_portal import uploads
from ics_portal.history.door import Door, history_context
from ics_portal.history.records import bulk_create_with_history, record_changes
from ics_portal.uploads import Progress, no_progress

from . import revisions
from .models import (
    AssessmentStatus,
    Condition,
    ConditionAssessment,
    EntryStatus,
    Function,
    MapEntry,
    MapVersion,
)
from .selectors import live_rows

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from .import_rows import ImportPlan

FUNCTION_FIELDS = frozenset(
    {"code", "name", "group", "description", "statutory_basis", "display_order"}
)
ENTRY_FIELDS = frozenset(
    {
        "level",
        "receiving_body",
        "governance_form",
        "decision_right",
        "delegated_budget",
        "financial_limit",
        "effective_from",
        "review_by",
        "notes",
    }
)
CONDITION_FIELDS = frozenset(
    {"category", "requirement", "evidence_expected", "owner_body", "due_date"}
)


M = TypeVar("M", bound=models.Model)


def _save(instance: M) -> M:
    instance.full_clean()
    instance.save()
    return instance


def _apply(instance: Any, allowed: frozenset[str], changes: dict[str, Any]) -> None:
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    for name, value in changes.items():
        setattr(instance, name, value)


# --- the catalogue ------------------------------------------------------------------


@transaction.atomic
def function_create(
    *,
    system: IntegratedCareSystem,
    code: str,
    name: str,
    group: str = "",
    description: str = "",
    statutory_basis: str = "",
    display_order: int = 0,
) -> Function:
    return _save(
        Function(
            system=system,
            code=code.strip().upper(),
            name=name,
            group=group,
            description=description,
            statutory_basis=statutory_basis,
            display_order=display_order,
        )
    )


@transaction.atomic
def function_update(
    *, function: Function, version: int | None = None, by: Any = None, **changes: Any
) -> Function:
    """Change a function, based on the ``version`` the caller loaded (``StaleWrite``
    if someone saved it in between; then nothing is saved)."""
    if "code" in changes:
        changes["code"] = str(changes["code"]).strip().upper()
    with versioned_write(function, version=version, by=by) as current:
        _apply(current, FUNCTION_FIELDS, changes)
        return _save(current)


# --- entries ------------------------------------------------------------------------


@transaction.atomic
def map_entry_create(
    *,
    function: Function,
    level: str,
    effective_from: dt.date,
    receiving_body: Body | None = None,
    governance_form: str = "",
    decision_right: str = "decides",
    delegated_budget: Decimal | None = None,
    financial_limit: Decimal | None = None,
    review_by: dt.date | None = None,
    status: str = EntryStatus.PROPOSED,
    notes: str = "",
    created_by: Any | None = None,
) -> MapEntry:
    if status not in (EntryStatus.PROPOSED, EntryStatus.IN_FORCE):
        raise ValidationError(
            {"status": "A new entry is proposed or in force; supersede or revoke existing ones."}
        )
    return _save(
        MapEntry(
            function=function,
            level=level,
            receiving_body=receiving_body,
            governance_form=governance_form,
            decision_right=decision_right,
            delegated_budget=delegated_budget,
            financial_limit=financial_limit,
            effective_from=effective_from,
            review_by=review_by,
            status=status,
            notes=notes,
            created_by=created_by,
        )
    )


BULK_BATCH = 500


@transaction.atomic
def map_entries_bulk_create(
    *, entries: list[MapEntry], on_batch: Callable[[int], None] | None = None
) -> list[MapEntry]:
    """Create many new entries at once (a spreadsheet import): each is checked against
    the entry's rules in Python, and the database's one-in-force constraint catches a
    clash for the whole batch, which is then refused whole.

    ``on_batch(n)`` is told after each batch of ``n`` rows is written.
    """
    errors: list[str] = []
    for entry in entries:
        if entry.status not in (EntryStatus.PROPOSED, EntryStatus.IN_FORCE):
            errors.append(f"{entry}: a new entry is proposed or in force.")
            continue
        try:
            entry.clean_fields(
                exclude=["function", "receiving_body", "created_by", "superseded_by"]
            )
        except ValidationError as error:
            errors.extend(f"{entry}: {m}" for m in error.messages)
        errors.extend(f"{entry}: {m}" for ms in entry.rule_errors().values() for m in ms)
    if errors:
        raise ValidationError(errors)
    created: list[MapEntry] = []
    try:
        with transaction.atomic():
            for start in range(0, len(entries), BULK_BATCH):
                # One creation record per entry, like a save() would leave.
                batch = bulk_create_with_history(entries[start : start + BULK_BATCH], MapEntry)
                created.extend(batch)
                if on_batch is not None:
                    on_batch(len(batch))
    except IntegrityError:
        raise ValidationError(
            "Two entries would be in force for the same function and body; nothing was created."
        ) from None
    # bulk_create sends no signals: move the map's revision on ourselves.
    function_ids = {e.function_id for e in created}
    revisions.map_changed(
        *Function.objects.filter(pk__in=function_ids).values_list("system_id", flat=True).distinct()
    )
    return created


def _refuse_if_closed(entry: MapEntry) -> None:
    if entry.status in (EntryStatus.SUPERSEDED, EntryStatus.REVOKED):
        raise ValidationError(
            f"This entry is {entry.get_status_display().lower()}: it is kept as a record "
            "and cannot change."
        )


@transaction.atomic
def map_entry_update(
    *,
    entry: MapEntry,
    version: int | None = None,
    by: Any = None,
    status: str | None = None,
    **changes: Any,
) -> MapEntry:
    """Correct an entry, or put a proposed one in force. Closed entries never change.

    Based on the ``version`` the caller loaded: ``StaleWrite`` if someone saved the
    entry in between, and then nothing is saved.
    """
    with versioned_write(entry, version=version, by=by) as entry:
        _refuse_if_closed(entry)
        _apply(entry, ENTRY_FIELDS, changes)
        if status is not None:
            if status not in (EntryStatus.PROPOSED, EntryStatus.IN_FORCE):
                raise ValidationError(
                    {"status": "Use supersede or revoke to close an entry, so its history is kept."}
                )
            if entry.status == EntryStatus.IN_FORCE and status == EntryStatus.PROPOSED:
                raise ValidationError({"status": "An entry in force cannot go back to proposed."})
            entry.status = status
        return _save(entry)


@transaction.atomic
def map_entry_supersede(
    *, entry: MapEntry, created_by: Any | None = None, version: int | None = None, **changes: Any
) -> MapEntry:
    """Replace an entry in force by a new one; the old stays, superseded, linked to the new.

    The conditions move to the new entry with their assessment history: a change of
    budget or form does not reset what has been evidenced.
    """
    with versioned_write(entry, version=version, by=created_by) as old:
        return _supersede(old, created_by, changes)


def _supersede(old: MapEntry, created_by: Any, changes: dict[str, Any]) -> MapEntry:
    if old.status != EntryStatus.IN_FORCE:
        raise ValidationError(
            f"Only an entry in force can be superseded; this one is "
            f"{old.get_status_display().lower()}."
        )
    new = MapEntry(
        function=old.function,
        level=old.level,
        receiving_body=old.receiving_body,
        governance_form=old.governance_form,
        decision_right=old.decision_right,
        delegated_budget=old.delegated_budget,
        financial_limit=old.financial_limit,
        effective_from=timezone.localdate(),
        review_by=old.review_by,
        notes=old.notes,
        status=EntryStatus.IN_FORCE,
        created_by=created_by,
    )
    _apply(new, ENTRY_FIELDS, changes)
    if new.review_by and new.effective_from and new.review_by < new.effective_from:
        new.review_by = None if "review_by" not in changes else new.review_by
    # Close the old row first so the one-in-force constraint holds at every statement.
    old.status = EntryStatus.SUPERSEDED
    old.save(update_fields=["status", "updated_at"])
    _save(new)
    old.superseded_by = new
    old.save(update_fields=["superseded_by", "updated_at"])
    moved = list(Condition.objects.filter(map_entry=old).values_list("pk", flat=True))
    Condition.objects.filter(pk__in=moved).update(map_entry=new)
    # update() leaves no history by itself: each moved condition records its new entry.
    record_changes(Condition, moved)
    return new


@transaction.atomic
def map_entry_revoke(
    *, entry: MapEntry, note: str = "", version: int | None = None, by: Any = None
) -> MapEntry:
    with versioned_write(entry, version=version, by=by) as entry:
        _refuse_if_closed(entry)
        entry.status = EntryStatus.REVOKED
        if note:
            entry.notes = f"{entry.notes}\n\nRevoked: {note}".strip()
        entry.save(update_fields=["status", "notes", "updated_at"])
        return entry


# --- conditions ---------------------------------------------------------------------


@transaction.atomic
def condition_create(
    *,
    map_entry: MapEntry,
    category: str,
    requirement: str,
    owner_body: Body,
    evidence_expected: str = "",
    due_date: dt.date | None = None,
) -> Condition:
    _refuse_if_closed(map_entry)
    return _save(
        Condition(
            map_entry=map_entry,
            category=category,
            requirement=requirement,
            owner_body=owner_body,
            evidence_expected=evidence_expected,
            due_date=due_date,
        )
    )


@transaction.atomic
def condition_update(
    *, condition: Condition, version: int | None = None, by: Any = None, **changes: Any
) -> Condition:
    """Change a condition, based on the ``version`` the caller loaded."""
    with versioned_write(condition, version=version, by=by) as current:
        _apply(current, CONDITION_FIELDS, changes)
        return _save(current)


@transaction.atomic
def condition_assess(
    *,
    condition: Condition,
    status: str,
    assessed_by: Any,
    kind: str,
    note: str = "",
    evidence_link: str = "",
) -> ConditionAssessment:
    """Record the owner body's self-assessment or the ICB's assurance (``kind``); the
    caller has checked the matching right (``Action.ASSESS`` or ``Action.ASSURE``)."""
    if condition.map_entry.status == EntryStatus.REVOKED:
        # Its history stays readable, but a revoked delegation has nothing left to meet.
        raise ValidationError(
            f"The delegation of {condition.map_entry.function.code} "
            f"{condition.map_entry.function.name} was revoked: its conditions take no new "
            "assessments."
        )
    if status == AssessmentStatus.NOT_ASSESSED:
        raise ValidationError(
            {"status": "Record met, partly met or not met; an assessment cannot un-assess."}
        )
    if status in (AssessmentStatus.PARTLY_MET, AssessmentStatus.NOT_MET) and not note.strip():
        raise ValidationError({"note": "Say what is missing when a condition is not fully met."})
    return _save(
        ConditionAssessment(
            condition=condition,
            kind=kind,
            status=status,
            note=note,
            evidence_link=evidence_link,
            assessed_by=assessed_by,
            assessed_at=timezone.now(),
        )
    )


# --- versions -----------------------------------------------------------------------


@transaction.atomic
def map_version_publish(
    *,
    system: IntegratedCareSystem,
    label: str,
    approved_by: Body,
    meeting_date: dt.date,
    published_by: Any,
    minute_reference: str = "",
    note: str = "",
) -> MapVersion:
    """Freeze the entries in force now, with their conditions, as a numbered version."""
    label = label.strip()
    if MapVersion.objects.filter(system=system, label__iexact=label).exists():
        raise ValidationError({"label": f"{system.short_name} already has a version {label}."})
    rows = live_rows(system)
    if not rows:
        raise ValidationError("Nothing is in force yet: there is no map to publish.")
    return _save(
        MapVersion(
            system=system,
            label=label,
            approved_by=approved_by,
            meeting_date=meeting_date,
            minute_reference=minute_reference,
            note=note,
            published_by=published_by,
            published_at=timezone.now(),
            rows=rows,
        )
    )


# --- the spreadsheet import ----------------------------------------------------------


@transaction.atomic
def map_import_apply(
    *, plan: ImportPlan, user: User, progress: Progress = no_progress
) -> dict[str, int]:
    """Write every planned row (``import_rows.plan_import``), or none: any refusal or
    failure rolls the whole file back.

    ``progress("write", done, total)`` reports rows written so far. Progress is only
    news: until the transaction commits, nobody else sees a single row of it.
    """
    if not plan.ok:
        raise ValidationError("The file has refused rows; nothing was imported.")
    # A worker has no request: the history records name the import and the person here.
    with history_context(Door.IMPORT, user=user):
        return _map_import_write(plan, user=user, progress=progress)


def _map_import_write(plan: ImportPlan, *, user: User, progress: Progress) -> dict[str, int]:
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
        map_entries_bulk_create(entries=creates, on_batch=created)
    except ValidationError as error:
        raise ValidationError(
            "The new entries could not be written: "
            + " ".join(error.messages)
            + " Nothing was imported."
        ) from error
    done["create"] = len(creates)
    for item in others:
        _map_import_write_row(item, user=user)
        done[item.action] += 1
        written += 1
        if written % uploads.PROGRESS_EVERY == 0:
            progress("write", written, total)
    progress("write", total, total)
    return {action: n for action, n in done.items() if n}


def _map_import_write_row(item: Any, *, user: User) -> None:
    """One change or revocation of an import; its refusal names the row."""
    values = dict(item.values)
    values.pop("status")
    values.pop("function")
    try:
        if item.action == "revoke":
            map_entry_revoke(entry=item.existing, note="Revoked by spreadsheet import.")
        elif item.existing.status == EntryStatus.IN_FORCE:
            map_entry_supersede(entry=item.existing, created_by=user, **values)
        else:
            map_entry_update(entry=item.existing, **values)
    except ValidationError as error:
        raise ValidationError(
            f"Row {item.row} ({item.reference}) could not be written: "
            + " ".join(error.messages)
            + " Nothing was imported."
        ) from error
