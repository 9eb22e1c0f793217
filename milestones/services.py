"""Every write to programmes and milestones.

Services validate and save atomically, log every change of status, progress, due
date and lead, and keep the roll-up and the lead's object grant in step. They do not
decide who may call them: views, the API and tasks ask ``milestones.permissions``.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from governance.concurrency import Change, StaleWrite, changes_since, claim, record, snapshot
from governance.concurrency import user_name as _user_name
from governance.models import Body, IntegratedCareSystem, RoleAssignment
from ics_portal.history.door import Door, current_door, history_context
from ics_portal.history.records import record_changes, record_now, without_history

from . import rules
from .models import (
    Milestone,
    MilestoneUpdate,
    MilestoneUserObjectPermission,
    Programme,
    Status,
    UpdateField,
    UpdateSource,
)
from .permissions import LEAD_CODENAME
from .quarters import quarter_label

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
        return self.obj

    @property
    def title(self) -> str:
        return self.obj.title


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
    rows.exclude(user_id=milestone.lead_user_id).delete()
    if milestone.lead_user_id and not rows.filter(user_id=milestone.lead_user_id).exists():
        permission = Permission.objects.get(
            content_type__app_label="milestones", codename=LEAD_CODENAME
        )
        MilestoneUserObjectPermission.objects.create(
            user_id=milestone.lead_user_id, content_object=milestone, permission=permission
        )


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
    if status == Status.COMPLETE:
        # A new milestone has no sub-milestones yet: 0 means "not given".
        _complete_means_done(milestone, {"progress": progress or None}, 0)
    milestone.full_clean(exclude=["dependencies"])
    _check_lead(milestone)
    deps = list(dependencies)
    rules.check(milestone, deps)
    # One creation record, with the dependencies it was created with.
    with without_history(milestone):
        milestone.save()
        if deps:
            milestone.dependencies.set(deps)
    record_now(milestone, "+")
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
    before = {
        UpdateField.STATUS: milestone.status,
        UpdateField.PROGRESS: milestone.progress,
        UpdateField.DUE_DATE: milestone.due_date,
        UpdateField.LEAD: _lead_text(milestone),
    }
    old_parent_id = milestone.parent_id
    deps = changes.pop("dependencies", None)
    deps = list(deps) if deps is not None else None

    if "lead_user" in changes and changes["lead_user"] is not None:
        changes.setdefault("lead_name", "")
    if changes.get("lead_name"):
        changes.setdefault("lead_user", None)
    for field, value in changes.items():
        setattr(milestone, field, value)

    has_children = milestone.children.exists()
    if (
        has_children
        and "progress" in changes
        and changes["progress"] != before[UpdateField.PROGRESS]
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
        _complete_means_done(milestone, changes, before[UpdateField.PROGRESS])

    milestone.full_clean(exclude=["dependencies"])
    if "lead_user" in changes:
        _check_lead(milestone)
    rules.check(milestone, deps)
    if deps is not None:
        # Linked before the save, so its one history record holds the new dependencies.
        with without_history(milestone):
            milestone.dependencies.set(deps)
    milestone.save()

    after = {
        UpdateField.STATUS: milestone.status,
        UpdateField.PROGRESS: milestone.progress,
        UpdateField.DUE_DATE: milestone.due_date,
        UpdateField.LEAD: _lead_text(milestone),
    }
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


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def _versions_of(pks: set[int]) -> dict[int, int]:
    return dict(Milestone.objects.filter(pk__in=pks).values_list("pk", "version"))


@_recorded
@transaction.atomic
def milestone_bulk_update(
    *,
    milestones: Iterable[Milestone],
    by: Any,
    status: str | None = None,
    progress: int | None = None,
    versions: dict[int, int],
    note: str = "",
    source: str = UpdateSource.BULK,
) -> list[Milestone]:
    """Set status and/or progress on many milestones with one note: all or none.

    ``versions`` gives, for each milestone, the version the caller loaded: one changed
    since is refused like any stale write, never overwritten.

    Raises one ``ValidationError`` naming every milestone that could not change and
    why; then none of them changed.
    """
    milestones = list(milestones)
    if not milestones:
        raise ValidationError("Choose at least one milestone.")
    if status is None and progress is None:
        raise ValidationError("Choose a status or a progress to set.")
    if status is not None and status not in Status.values:
        raise ValidationError(f"“{status}” is not a status.")
    unversioned = [m for m in milestones if versions.get(m.pk) is None]
    if unversioned:
        raise ValidationError(
            [
                f"None of the {len(milestones)} milestones were changed.",
                *(
                    f"“{m.title}”: give the version you loaded, so a change made since "
                    "is not overwritten."
                    for m in unversioned
                ),
            ]
        )
    changes: dict[str, Any] = {}
    if status is not None:
        changes["status"] = status
    if progress is not None:
        changes["progress"] = progress

    # Parents after their children, so a parent completed with its children sees them
    # complete and its rolled-up progress is current.
    depth = {m.pk: 0 for m in milestones}
    parents = dict(Milestone.objects.filter(pk__in=depth).values_list("pk", "parent_id"))
    chosen = set(depth)
    for pk in depth:
        node, seen = parents.get(pk), {pk}
        while node in chosen and node not in seen:
            depth[node] = max(depth[node], depth[pk] + 1)
            seen.add(node)
            node = parents.get(node)
    milestones.sort(key=lambda m: (depth[m.pk], m.due_date, m.pk))
    # Dependencies too: what others depend on goes first.
    ordered: list[Milestone] = []
    pending = list(milestones)
    dep_pairs = set(
        Milestone.dependencies.through.objects.filter(
            from_milestone_id__in=chosen, to_milestone_id__in=chosen
        ).values_list("from_milestone_id", "to_milestone_id")
    )
    while pending:
        placed = {m.pk for m in ordered}
        ready = [
            m for m in pending if all(dst in placed for src, dst in dep_pairs if src == m.pk)
        ] or pending[:1]
        ordered.append(ready[0])
        pending.remove(ready[0])

    failures: list[str] = []
    done: list[Milestone] = []
    # A child's roll-up bumps its chosen parent's version within this same update:
    # that is not someone else's change, so the parent's expected version follows it.
    ours: dict[int, int] = dict.fromkeys(chosen, 0)
    for milestone in ordered:
        version = versions[milestone.pk] + ours[milestone.pk]
        try:
            with transaction.atomic():
                seen = _versions_of(chosen)
                current = _claim(milestone, version)
                done.append(_apply(current, dict(changes), by=by, note=note, source=source))
                for pk, now in _versions_of(chosen).items():
                    if pk != milestone.pk:
                        ours[pk] += now - seen[pk]
        except StaleMilestone as stale:
            seen = ": ".join(part for part in (stale.who, stale.what) if part)
            failures.append(
                f"“{stale.milestone.title}”: someone else changed it since you loaded the page"
                + (f" ({seen})." if seen else ".")
            )
        except ValidationError as error:
            named = f"“{milestone.title}”"
            # The rules' messages name the milestone too; say it once, at the front.
            reasons = [m.removeprefix(named).lstrip() for m in _messages(error)]
            failures.append(f"{named}: {' '.join(reasons)}")
    if failures:
        raise ValidationError(
            [f"None of the {len(milestones)} milestones were changed.", *failures]
        )
    return done
