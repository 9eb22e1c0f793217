"""Creating programmes and milestones, and changing one milestone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from governance.concurrency import record, snapshot
from governance.models import Body, IntegratedCareSystem
from ics_portal.history.records import record_now, without_history

from .. import rules
from ..models import Milestone, Programme, Status, UpdateField, UpdateSource
from .common import (
    EDIT_FIELDS,
    _check_lead,
    _claim,
    _complete_means_done,
    _lead_text,
    _log,
    _recorded,
    _roll_up,
    _sync_lead_grant,
)

# --- programmes --------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *,
    name: str,
    system: IntegratedCareSystem | None = None,
    body: Body | None = None,
    lead: Any | None = None,
) -> Programme:
    programme = Programme(name=name, system=system, body=body, lead=lead)
    programme.full_clean()
    programme.save()
    return programme


# --- milestones --------------------------------------------------------------------


@_recorded
@transaction.atomic
def milestone_create(
    *,
    programme: Programme,
    title: str,
    owner_body: Body,
    due_date: dt.date,
    by: Any | None = None,
    description: str = "",
    lead_user: User | None = None,
    lead_name: str = "",
    start_date: dt.date | None = None,
    due_by_quarter: bool = False,
    status: str = Status.NOT_STARTED,
    progress: int = 0,
    weight: int = 1,
    parent: Milestone | None = None,
    dependencies: Iterable[Milestone] = (),
    function: Any | None = None,
    map_entry: Any | None = None,
    note: str = "",
    source: str = UpdateSource.FORM,
) -> Milestone:
    milestone = Milestone(
        programme=programme,
        title=title,
        description=description,
        owner_body=owner_body,
        lead_user=lead_user,
        lead_name=lead_name,
        start_date=start_date,
        due_date=due_date,
        due_by_quarter=due_by_quarter,
        status=status,
        progress=progress,
        weight=weight,
        parent=parent,
        function=function,
        map_entry=map_entry,
    )
    _save_new(milestone, list(dependencies))
    _log(
        milestone,
        UpdateField.CREATED,
        "",
        f"{milestone.get_status_display()}, {milestone.progress}%, due {milestone.due_display}",
        by=by,
        note=note,
        source=source,
    )
    _sync_lead_grant(milestone)
    _roll_up(milestone, by=by, note="")
    return milestone


def _save_new(milestone: Milestone, deps: list[Milestone]) -> None:
    """Check a new milestone against every rule and save it with its dependencies."""
    if milestone.status == Status.COMPLETE:
        # A new milestone has no sub-milestones yet: 0 means "not given".
        _complete_means_done(milestone, {"progress": milestone.progress or None}, 0)
    milestone.full_clean(exclude=["dependencies"])
    _check_lead(milestone)
    rules.check(milestone, deps)
    # One creation record, with the dependencies it was created with.
    with without_history(milestone):
        milestone.save()
        if deps:
            milestone.dependencies.set(deps)
    record_now(milestone, "+")


def _logged_values(milestone: Milestone) -> dict[str, Any]:
    """The values the update log follows, as the log names them."""
    return {
        UpdateField.STATUS: milestone.status,
        UpdateField.PROGRESS: milestone.progress,
        UpdateField.DUE_DATE: milestone.due_date,
        UpdateField.LEAD: _lead_text(milestone),
    }


def _pair_lead(changes: dict[str, Any]) -> None:
    """A lead is a user or a name: giving one clears the other."""
    if "lead_user" in changes and changes["lead_user"] is not None:
        changes.setdefault("lead_name", "")
    if changes.get("lead_name"):
        changes.setdefault("lead_user", None)


def _check_progress(
    milestone: Milestone, changes: dict[str, Any], old_progress: int, source: str
) -> None:
    """A parent's progress is rolled up, never typed; a complete one is at 100 %."""
    has_children = milestone.children.exists()
    if (
        has_children
        and "progress" in changes
        and changes["progress"] != old_progress
        and source != UpdateSource.ROLLUP
    ):
        raise ValidationError(
            {
                "progress": [
                    f"The progress of “{milestone.title}” is rolled up from its "
                    "sub-milestones; update those instead."
                ]
            }
        )
    if milestone.status == Status.COMPLETE and not has_children:
        _complete_means_done(milestone, changes, old_progress)


def _apply(
    milestone: Milestone,
    changes: dict[str, Any],
    *,
    by: Any,
    note: str,
    source: str,
) -> Milestone:
    unknown = set(changes) - EDIT_FIELDS
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    image = snapshot(milestone)
    before = _logged_values(milestone)
    old_parent_id = milestone.parent_id
    deps = changes.pop("dependencies", None)
    deps = list(deps) if deps is not None else None

    _pair_lead(changes)
    for field, value in changes.items():
        setattr(milestone, field, value)
    _check_progress(milestone, changes, before[UpdateField.PROGRESS], source)
    milestone.full_clean(exclude=["dependencies"])
    if "lead_user" in changes:
        _check_lead(milestone)
    rules.check(milestone, deps)
    if deps is not None:
        # Linked before the save, so its one history record holds the new dependencies.
        with without_history(milestone):
            milestone.dependencies.set(deps)
    milestone.save()

    after = _logged_values(milestone)
    for field, old in before.items():
        if after[field] != old:
            _log(milestone, field, old, after[field], by=by, note=note, source=source)
    if after[UpdateField.LEAD] != before[UpdateField.LEAD] or "lead_user" in changes:
        _sync_lead_grant(milestone)
    record(milestone, image, by=by)
    if milestone.parent_id != old_parent_id and old_parent_id:
        stub = Milestone(pk=milestone.pk, title=milestone.title, parent_id=old_parent_id)
        _roll_up(stub, by=by, note="")
    _roll_up(milestone, by=by, note="")
    return milestone


@_recorded
@transaction.atomic
def milestone_update(
    *,
    milestone: Milestone,
    by: Any,
    version: int | None,
    note: str = "",
    source: str = UpdateSource.FORM,
    **changes: Any,
) -> Milestone:
    """Change a milestone, based on the ``version`` the caller loaded.

    Raises ``StaleMilestone`` when someone else saved it in between, and
    ``ValidationError`` when a rule refuses the change; either way nothing is saved.
    """
    current = _claim(milestone, version)
    return _apply(current, dict(changes), by=by, note=note, source=source)


@_recorded
@transaction.atomic
def milestone_set_lead(
    *,
    milestone: Milestone,
    by: Any,
    lead_user: User | None = None,
    lead_name: str = "",
    version: int | None = None,
    note: str = "",
    source: str = UpdateSource.FORM,
) -> Milestone:
    """Make a user (who then may update this milestone) or a named person the lead."""
    if lead_user is not None and lead_name:
        raise ValidationError({"lead_name": ["Give the lead as a user or as a name, not both."]})
    current = _claim(milestone, version)
    return _apply(
        current,
        {"lead_user": lead_user, "lead_name": lead_name.strip()},
        by=by,
        note=note,
        source=source,
    )
