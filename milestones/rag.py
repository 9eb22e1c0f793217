"""The RAG rating of a milestone: derived, never typed, and decided only here.

- complete → "complete" (shown apart from green: nothing left to do);
- cancelled → "cancelled" (not rated);
- past its due date and not complete → red;
- at risk, delayed or blocked → amber;
- otherwise → green.

``rag_of`` rates one milestone in Python; ``rag_annotation`` is the same rule as
SQL so lists can filter and sort by RAG in the database.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Case, CharField, IntegerField, Q, Value, When
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


def rag_of(status: str, due_date: dt.date | None, *, today: dt.date | None = None) -> str:
    today = today or timezone.localdate()
    if status == "complete":
        return Rag.COMPLETE
    if status == "cancelled":
        return Rag.CANCELLED
    if due_date is not None and due_date < today:
        return Rag.RED
    if status in AMBER_STATUSES:
        return Rag.AMBER
    return Rag.GREEN


def rag_label(rag: str) -> str:
    return Rag.LABELS.get(rag, rag)


def _whens(today: dt.date, value: Any) -> list[When]:
    return [
        When(status="complete", then=value(Rag.COMPLETE)),
        When(status="cancelled", then=value(Rag.CANCELLED)),
        When(due_date__lt=today, then=value(Rag.RED)),
        When(status__in=sorted(AMBER_STATUSES), then=value(Rag.AMBER)),
    ]


def rag_annotation(*, today: dt.date | None = None) -> Case:
    """``queryset.annotate(rag=rag_annotation())``: the rule above, in SQL."""
    today = today or timezone.localdate()
    return Case(*_whens(today, Value), default=Value(Rag.GREEN), output_field=CharField())


def rag_order_annotation(*, today: dt.date | None = None) -> Case:
    """Worst first as an integer, for ``order_by``."""
    today = today or timezone.localdate()

    def rank(rag: str) -> Value:
        return Value(Rag.ORDER[rag])

    return Case(
        *_whens(today, rank), default=Value(Rag.ORDER[Rag.GREEN]), output_field=IntegerField()
    )


def overdue_q(*, today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & ~Q(status__in=["complete", "cancelled"])
