"""The rules that look beyond one milestone: completion against sub-milestones and
dependencies, dependencies within the system, no loops, and the progress roll-up."""

from __future__ import annotations

from collections import deque

from django.core.exceptions import ValidationError

from .models import CLOSED_STATUSES, Milestone, Status


def _system_id(milestone: Milestone) -> int:
    return milestone.owner_body.system_id


def check(milestone: Milestone, dependencies: list[Milestone] | None) -> None:
    """The rules that look beyond one row: completion, dependencies, cycles."""
    errors: dict[str, list[str]] = {}
    deps = list(milestone.dependencies.all()) if dependencies is None else dependencies

    for dep in deps:
        if milestone.pk and dep.pk == milestone.pk:
            errors.setdefault("dependencies", []).append("A milestone cannot depend on itself.")
        elif dep.owner_body.system_id != _system_id(milestone):
            errors.setdefault("dependencies", []).append(
                f"“{dep}” belongs to another system; dependencies stay within the system."
            )

    if milestone.status == Status.COMPLETE:
        if milestone.pk:
            open_children = [c for c in milestone.children.all() if c.status not in CLOSED_STATUSES]
            if open_children:
                names = ", ".join(f"“{c.title}”" for c in open_children)
                errors.setdefault("status", []).append(
                    f"“{milestone.title}” cannot be complete while its sub-milestones are "
                    f"open: {names}."
                )
        unfinished = [d for d in deps if d.status != Status.COMPLETE]
        if unfinished:
            names = ", ".join(f"“{d.title}”" for d in unfinished)
            errors.setdefault("status", []).append(
                f"“{milestone.title}” cannot be complete before what it depends on is "
                f"complete: {names}."
            )

    if errors:
        raise ValidationError(errors)
    if milestone.pk:
        _refuse_cycles(milestone, deps)


def _refuse_cycles(milestone: Milestone, deps: list[Milestone]) -> None:
    """Refuse a loop among "waits for" links: a dependency, or a parent waiting for
    each of its sub-milestones (so a milestone may not depend on its own parent)."""
    system_id = _system_id(milestone)
    in_system = Milestone.objects.filter(owner_body__system_id=system_id)
    waits: dict[int, set[int]] = {}
    titles = dict(in_system.values_list("id", "title"))
    titles[milestone.pk] = milestone.title
    for child_id, parent_id in in_system.values_list("id", "parent_id"):
        if child_id == milestone.pk:
            continue
        if parent_id:
            waits.setdefault(parent_id, set()).add(child_id)
    if milestone.parent_id:
        waits.setdefault(milestone.parent_id, set()).add(milestone.pk)
    through = Milestone.dependencies.through.objects.filter(from_milestone_id__in=in_system)
    for src, dst in through.values_list("from_milestone_id", "to_milestone_id"):
        if src != milestone.pk:
            waits.setdefault(src, set()).add(dst)
    waits.setdefault(milestone.pk, set()).update(d.pk for d in deps)

    # Breadth-first from the milestone; reaching it again closes a loop.
    came_from: dict[int, int] = {}
    queue = deque([milestone.pk])
    seen = {milestone.pk}
    while queue:
        node = queue.popleft()
        for nxt in waits.get(node, ()):
            if nxt == milestone.pk:
                path = [node]
                while path[-1] != milestone.pk:
                    path.append(came_from[path[-1]])
                chain = " → ".join(f"“{titles.get(i, i)}”" for i in [*reversed(path), milestone.pk])
                raise ValidationError(
                    {
                        "dependencies": [
                            "This would make a loop, where each waits for the next "
                            f"(as a dependency or as a parent of a sub-milestone): {chain}."
                        ]
                    }
                )
            if nxt not in seen:
                seen.add(nxt)
                came_from[nxt] = node
                queue.append(nxt)


def rolled_up_progress(parent: Milestone) -> int | None:
    children = [c for c in parent.children.all() if c.status != Status.CANCELLED]
    total_weight = sum(c.weight for c in children)
    if not total_weight:
        return None
    return round(sum(c.progress * c.weight for c in children) / total_weight)
