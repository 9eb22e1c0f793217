"""The RAG rating of a milestone: derived, never typed, and decided only here.

- complete → "complete" (shown apart from green: nothing left to do);
- cancelled → "cancelled" (not rated);
- past its due date and not complete → red;
- an open sub-milestone past its due date → red too: a parent is no greener than the
  work it is made of (its direct sub-milestones, each on its own dates and status);
- at risk, delayed or blocked, or an open sub-milestone that is → amber;
- something it depends on is past its due date and not complete → amber ("at risk"):
  it cannot finish on time on top of late work;
- otherwise → green.

``rag_reasons`` says in words why a milestone is red or amber because of others.

``rag_of`` rates one milestone in Python; ``rag_annotation`` is the same rule as
SQL so lists can filter and sort by RAG in the database.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from django.db.models import Case, CharField, Exists, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone


class Rag:
    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    COMPLETE = "complete"
    CANCELLED = "cancelled"

    CHOICES = [
        (RED, "Red"),
        (AMBER, "Amber"),
        (GREEN, "Green"),
        (COMPLETE, "Complete"),
        (CANCELLED, "Cancelled"),
    ]
    LABELS = dict(CHOICES)
    # Worst first: the order "sort by RAG" uses.
    ORDER = {RED: 0, AMBER: 1, GREEN: 2, COMPLETE: 3, CANCELLED: 4}


AMBER_STATUSES = frozenset({"at_risk", "delayed", "blocked"})


def rag_of(
    status: str,
    due_date: dt.date | None,
    *,
    today: dt.date | None = None,
    child_rags: Iterable[str] = (),
    late_dependency: bool = False,
) -> str:
    """``child_rags``: the own ratings of the open sub-milestones (``rag_of`` of each
    without its children); ``late_dependency``: something it waits for is overdue."""
    today = today or timezone.localdate()
    if status == "complete":
        return Rag.COMPLETE
    if status == "cancelled":
        return Rag.CANCELLED
    children = set(child_rags)
    if (due_date is not None and due_date < today) or Rag.RED in children:
        return Rag.RED
    if status in AMBER_STATUSES or Rag.AMBER in children or late_dependency:
        return Rag.AMBER
    return Rag.GREEN


def rag_of_milestone(milestone: Any, *, today: dt.date | None = None) -> str:
    """``rag_of`` for one loaded milestone, reading its sub-milestones and dependencies
    (two queries; lists use ``rag_annotation`` instead)."""
    today = today or timezone.localdate()
    children = [
        rag_of(c.status, c.due_date, today=today)
        for c in milestone.children.all()
        if c.status not in ("complete", "cancelled")
    ]
    late = milestone.dependencies.filter(_late(today)).exists() if milestone.pk else False
    return rag_of(
        milestone.status, milestone.due_date, today=today, child_rags=children, late_dependency=late
    )


def rag_reasons(
    milestone: Any,
    *,
    children: Iterable[Any],
    dependencies: Iterable[Any],
    today: dt.date | None = None,
) -> list[str]:
    """Why a milestone is rated worse than its own dates and status say, in words.

    ``children`` and ``dependencies`` are the ones the reader may see: a reason never
    names a milestone the reader could not open."""
    today = today or timezone.localdate()
    if milestone.status in ("complete", "cancelled"):
        return []
    reasons = []
    for child in children:
        if child.status in ("complete", "cancelled"):
            continue
        own = rag_of(child.status, child.due_date, today=today)
        if own == Rag.RED:
            reasons.append(f"Sub-milestone “{child.title}” is overdue.")
        elif own == Rag.AMBER:
            status = child.get_status_display().lower()
            reasons.append(f"Sub-milestone “{child.title}” is {status}.")
    for dep in dependencies:
        if dep.status not in ("complete", "cancelled") and dep.due_date < today:
            reasons.append(
                f"It depends on “{dep.title}”, which was due {dep.due_date:%-d %b %Y} and "
                "is not complete, so this milestone is at risk."
            )
    return reasons


def rag_label(rag: str) -> str:
    return Rag.LABELS.get(rag, rag)


def _late(today: dt.date) -> Q:
    return Q(due_date__lt=today) & ~Q(status__in=["complete", "cancelled"])


def _others(today: dt.date) -> dict[str, Exists]:
    """Subqueries on a milestone's sub-milestones and dependencies (one level)."""
    from .models import Milestone

    open_children = Milestone.objects.filter(parent=OuterRef("pk")).exclude(
        status__in=["complete", "cancelled"]
    )
    return {
        "late_child": Exists(open_children.filter(due_date__lt=today)),
        "amber_child": Exists(open_children.filter(status__in=sorted(AMBER_STATUSES))),
        "late_dependency": Exists(
            Milestone.objects.filter(dependents=OuterRef("pk")).filter(_late(today))
        ),
    }


def _whens(today: dt.date, value: Any) -> list[When]:
    others = _others(today)
    return [
        When(status="complete", then=value(Rag.COMPLETE)),
        When(status="cancelled", then=value(Rag.CANCELLED)),
        When(due_date__lt=today, then=value(Rag.RED)),
        When(others["late_child"], then=value(Rag.RED)),
        When(status__in=sorted(AMBER_STATUSES), then=value(Rag.AMBER)),
        When(others["amber_child"], then=value(Rag.AMBER)),
        When(others["late_dependency"], then=value(Rag.AMBER)),
    ]


# Built once a day, not once a list: three subqueries and seven clauses cost about half
# a millisecond to put together, on every API call and table. Safe to share: annotating
# resolves a copy (Case, When and Subquery each copy themselves, and the subqueries'
# queries are cloned), never the expression kept here.
@functools.lru_cache(maxsize=4)
def _rag_case(today: dt.date) -> Case:
    return Case(*_whens(today, Value), default=Value(Rag.GREEN), output_field=CharField())


@functools.lru_cache(maxsize=4)
def _rank_case(today: dt.date) -> Case:
    def rank(rag: str) -> Value:
        return Value(Rag.ORDER[rag])

    return Case(
        *_whens(today, rank), default=Value(Rag.ORDER[Rag.GREEN]), output_field=IntegerField()
    )


def rag_annotation(*, today: dt.date | None = None) -> Case:
    """``queryset.annotate(rag=rag_annotation())``: the rule above, in SQL."""
    return _rag_case(today or timezone.localdate())


def rag_order_annotation(*, today: dt.date | None = None) -> Case:
    """Worst first as an integer, for ``order_by``."""
    return _rank_case(today or timezone.localdate())


def overdue_q(*, today: dt.date | None = None) -> Q:
    return _late(today or timezone.localdate())
