"""What every milestone write shares: the stale-write error, the update log, the
roll-up of progress to parents, the lead's checks and object grant, and the claim on a
row. The writes themselves are in ``edits`` and ``bulk``."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db.models import F

from governance.concurrency import Change, StaleWrite, changes_since, claim
from governance.concurrency import user_name as _user_name
from governance.models import RoleAssignment
from ics_portal.history.door import Door, current_door, history_context
from ics_portal.history.records import record_changes
from ics_portal.quarters import quarter_label

from .. import rules
from ..models import (
    Milestone,
    MilestoneUpdate,
    MilestoneUserObjectPermission,
    Status,
    UpdateField,
    UpdateSource,
)
from ..permissions import LEAD_CODENAME

T = TypeVar("T")


class StaleMilestone(StaleWrite):
    """The milestone changed after the caller loaded it; nothing was saved.

    The shared ``StaleWrite``, told from the milestone's own update log: each change
    the caller had not seen, with its note, so every page can say what changed and by
    whom, and keep what they typed.
    """

    def __init__(self, milestone: Milestone, based_on: int) -> None:
        rows = (
            milestone.updates.filter(version__gt=based_on)
            .select_related("changed_by")
            .order_by("-changed_at", "-id")
        )
        changes = [
            Change(
                field=u.field,
                label=u.get_field_display(),
                old=u.old_value,
                new=u.new_value,
                by=_user_name(u.changed_by),
                at=u.changed_at,
                note=u.note,
                version=u.version,
            )
            for u in rows
        ]
        # What the log does not cover (title, dates, links…) comes from the shared
        # record of every write, so the page can say what changed whatever it was.
        others = [c for c in changes_since(milestone, based_on) if c.field not in LOGGED_FIELDS]
        changes.extend(others)
        changes.sort(key=lambda c: (c.version or 0, c.at or milestone.updated_at), reverse=True)
        super().__init__(milestone, based_on, changes)

    @property
    def milestone(self) -> Milestone:
        return cast(Milestone, self.obj)

    @property
    def title(self) -> str:
        return self.milestone.title


# Fields whose changes the update log records (the shared record covers the rest).
LOGGED_FIELDS = frozenset({"status", "progress", "due_date", "lead_user", "lead_name"})

# Fields a caller may change through milestone_update.
UPDATE_FIELDS = frozenset(
    {"status", "progress", "start_date", "due_date", "due_by_quarter"}
)  # what a milestone's lead may change
EDIT_FIELDS = UPDATE_FIELDS | {
    "title",
    "description",
    "owner_body",
    "weight",
    "parent",
    "dependencies",
    "lead_user",
    "lead_name",
    "function",
    "map_entry",
}


def _show(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—" if field != UpdateField.LEAD else "(none)"
    if field == UpdateField.STATUS:
        return Status(value).label
    if field == UpdateField.PROGRESS:
        return f"{value}%"
    if field == UpdateField.DUE_DATE:
        return f"{value:%-d %b %Y} ({quarter_label(value)})"
    return str(value)


def _lead_text(milestone: Milestone) -> str:
    return _user_name(milestone.lead_user) if milestone.lead_user_id else milestone.lead_name


# The update log's sources that are doors of their own in the history records; the
# others (form, table, API) keep the door the request came through.
_SOURCE_DOORS = {UpdateSource.IMPORT: Door.IMPORT, UpdateSource.BULK: Door.BULK}


def _recorded(func: Callable[..., T]) -> Callable[..., T]:
    """The history records of the write name its ``by`` and, for an import or a bulk
    update, that door (a Celery worker has no request to tell them)."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        source = bound.arguments["source"]
        with history_context(_SOURCE_DOORS.get(source, current_door()), user=bound.arguments["by"]):
            return func(*args, **kwargs)

    return wrapper


def _log(
    milestone: Milestone,
    field: str,
    old: Any,
    new: Any,
    *,
    by: Any,
    note: str,
    source: str,
    version: int | None = None,
) -> MilestoneUpdate:
    return MilestoneUpdate.objects.create(
        milestone=milestone,
        version=version or milestone.version,
        changed_by=by,
        field=field,
        old_value=_show(field, old)[:300],
        new_value=_show(field, new)[:300],
        note=note,
        source=source,
    )


def _roll_up(milestone: Milestone, *, by: Any, note: str) -> None:
    """Recompute the progress of each ancestor from its sub-milestones, logging it."""
    seen = {milestone.pk}
    parent_id = milestone.parent_id
    while parent_id and parent_id not in seen:
        seen.add(parent_id)
        parent = Milestone.objects.select_for_update().get(pk=parent_id)
        progress = rules.rolled_up_progress(parent)
        if progress is not None and progress != parent.progress:
            _log(
                parent,
                UpdateField.PROGRESS,
                parent.progress,
                progress,
                by=by,
                note=note or f"Rolled up after “{milestone.title}” changed.",
                source=UpdateSource.ROLLUP,
                version=parent.version + 1,
            )
            Milestone.objects.filter(pk=parent.pk).update(
                progress=progress, version=F("version") + 1
            )
            record_changes(Milestone, [parent.pk])
        parent_id = parent.parent_id


def _check_lead(milestone: Milestone) -> None:
    """A lead with an account must hold a role in the milestone's system: the grant
    lets them update it, and it must not reach into another system."""
    if milestone.lead_user_id is None:
        return
    in_system = RoleAssignment.objects.filter(
        user_id=milestone.lead_user_id,
        system_id=milestone.owner_body.system_id,
        revoked_at__isnull=True,
    ).exists()
    if not in_system:
        name = _user_name(milestone.lead_user)
        raise ValidationError(
            {
                "lead_user": [
                    f"{name} holds no role in {milestone.owner_body.system}; give them a "
                    "role first, or enter the lead's name instead."
                ]
            }
        )


def _sync_lead_grant(milestone: Milestone) -> None:
    """Exactly the current lead user holds the update grant on this milestone."""
    rows = MilestoneUserObjectPermission.objects.filter(
        content_object=milestone, permission__codename=LEAD_CODENAME
    )
    if milestone.lead_user_id is None:
        rows.delete()
        return
    rows.exclude(user_id=milestone.lead_user_id).delete()
    if not rows.filter(user_id=milestone.lead_user_id).exists():
        permission = Permission.objects.get(
            content_type__app_label="milestones", codename=LEAD_CODENAME
        )
        MilestoneUserObjectPermission.objects.create(
            user_id=milestone.lead_user_id, content_object=milestone, permission=permission
        )


def _claim(milestone: Milestone, version: int | None) -> Milestone:
    """Take the row for this write, refusing it if someone changed it since ``version``
    (the shared conditional UPDATE: of two writers on one version, one succeeds)."""
    return claim(
        milestone,
        version,
        queryset=Milestone.objects.select_related("owner_body", "programme", "lead_user"),
        stale=StaleMilestone,
    )


def _complete_means_done(milestone: Milestone, changes: dict[str, Any], old_progress: int) -> None:
    """A complete milestone is at 100 %. When the person left progress as it was, the
    status says what is true; when they typed both "complete" and a lower figure, the
    two contradict each other and only they know which holds, so ask."""
    typed = changes.get("progress")
    if typed is None or typed == old_progress or typed == 100:
        milestone.progress = 100
        return
    raise ValidationError(
        {
            "progress": [
                f"“{milestone.title}” is marked complete but its progress is {typed} %. "
                "A complete milestone is at 100 %: set progress to 100, or choose the "
                "status that is true (underway, at risk …)."
            ]
        }
    )
