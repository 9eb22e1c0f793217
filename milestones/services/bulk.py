"""One status or progress set on many milestones at once: all of them, or none."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Milestone, Status, UpdateSource
from .common import StaleMilestone, _claim, _recorded
from .edits import _apply


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


def _versions_of(pks: set[int]) -> dict[int, int]:
    return dict(Milestone.objects.filter(pk__in=pks).values_list("pk", "version"))


def _bulk_changes(
    milestones: list[Milestone],
    *,
    status: str | None,
    progress: int | None,
    versions: dict[int, int],
) -> dict[str, Any]:
    """The changes asked for, refused whole when the request itself is incomplete."""
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
    return changes


def _children_first(milestones: list[Milestone]) -> list[Milestone]:
    """Parents after their children, so a parent completed with its children sees them
    complete and its rolled-up progress is current."""
    depth = {m.pk: 0 for m in milestones}
    parents = dict(Milestone.objects.filter(pk__in=depth).values_list("pk", "parent_id"))
    chosen = set(depth)
    for pk in depth:
        node, seen = parents.get(pk), {pk}
        while node in chosen and node not in seen:
            depth[node] = max(depth[node], depth[pk] + 1)
            seen.add(node)
            node = parents.get(node)
    return sorted(milestones, key=lambda m: (depth[m.pk], m.due_date, m.pk))


def _dependencies_first(milestones: list[Milestone]) -> list[Milestone]:
    """What others depend on goes first (keeping the given order otherwise)."""
    chosen = {m.pk for m in milestones}
    dep_pairs = set(
        Milestone.dependencies.through.objects.filter(
            from_milestone_id__in=chosen, to_milestone_id__in=chosen
        ).values_list("from_milestone_id", "to_milestone_id")
    )
    ordered: list[Milestone] = []
    pending = list(milestones)
    while pending:
        placed = {m.pk for m in ordered}
        ready = [
            m for m in pending if all(dst in placed for src, dst in dep_pairs if src == m.pk)
        ] or pending[:1]
        ordered.append(ready[0])
        pending.remove(ready[0])
    return ordered


def _stale_reason(stale: StaleMilestone) -> str:
    seen = ": ".join(part for part in (stale.who, stale.what) if part)
    return f"“{stale.milestone.title}”: someone else changed it since you loaded the page" + (
        f" ({seen})." if seen else "."
    )


def _invalid_reason(milestone: Milestone, error: ValidationError) -> str:
    named = f"“{milestone.title}”"
    # The rules' messages name the milestone too; say it once, at the front.
    reasons = [m.removeprefix(named).lstrip() for m in _messages(error)]
    return f"{named}: {' '.join(reasons)}"


def _apply_each(
    ordered: list[Milestone],
    changes: dict[str, Any],
    *,
    versions: dict[int, int],
    by: Any,
    note: str,
    source: str,
) -> tuple[list[Milestone], list[str]]:
    """Apply the changes to each milestone in turn: those changed, and why others failed."""
    chosen = {m.pk for m in ordered}
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
            failures.append(_stale_reason(stale))
        except ValidationError as error:
            failures.append(_invalid_reason(milestone, error))
    return done, failures


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
    changes = _bulk_changes(milestones, status=status, progress=progress, versions=versions)
    ordered = _dependencies_first(_children_first(milestones))
    done, failures = _apply_each(
        ordered, changes, versions=versions, by=by, note=note, source=source
    )
    if failures:
        raise ValidationError(
            [f"None of the {len(milestones)} milestones were changed.", *failures]
        )
    return done
