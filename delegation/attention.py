"""Selectors for the home page: the conditions and delegations of the bodies a person
works for that need something done. Scoped to the user like every read (the visible
conditions and entries), and built from the request's grants, so the page asks the
same few queries whatever the size of the map."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q
from django.utils import timezone

from governance import permissions as landscape
from governance.selectors import DUE_SOON_DAYS
from ics_portal.policy import Action

from . import permissions
from .models import AssessmentStatus, EntryStatus
from .selectors import with_latest_status

CLOSED = (EntryStatus.SUPERSEDED, EntryStatus.REVOKED)


def _awaiting_assurance() -> Q:
    """Self-assessed since the ICB last assured it (or never assured)."""
    self_assessed = ~Q(self_status=AssessmentStatus.NOT_ASSESSED)
    return self_assessed & (
        Q(latest_assessed_at__isnull=True) | Q(self_assessed_at__gt=F("latest_assessed_at"))
    )


def conditions_needing_attention(
    user: Any, *, today: dt.date | None = None, limit: int = 10
) -> dict[str, Any]:
    """Conditions binding the user's bodies that are not yet met (as assured by the
    ICB): overdue first, then by due date. Each carries ``overdue``, ``due_soon`` and
    ``awaiting_assurance`` for the page to say why it is listed. Two queries."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    open_ = with_latest_status(
        permissions.visible_conditions(user)
        .filter(
            landscape.worked_for_q(user, "owner_body__")
            | landscape.worked_for_q(user, "map_entry__receiving_body__")
        )
        .exclude(map_entry__status__in=CLOSED)
        .filter(removed_at__isnull=True)
    ).exclude(latest_status=AssessmentStatus.MET)
    # The rule is written once, in SQL: both the count and each row's flag read it.
    open_ = open_.annotate(
        awaiting=ExpressionWrapper(_awaiting_assurance(), output_field=BooleanField())
    )
    counts = open_.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        awaiting_assurance=Count("pk", filter=Q(awaiting=True)),
    )
    items = list(
        open_.select_related(
            "owner_body", "map_entry__function__system", "map_entry__receiving_body"
        ).order_by(F("due_date").asc(nulls_last=True), "pk")[:limit]
    )
    for c in items:
        c.overdue = bool(c.due_date and c.due_date < today)
        c.due_soon = bool(c.due_date and today <= c.due_date <= horizon)
        c.awaiting_assurance = bool(c.awaiting)
        c.status_label = AssessmentStatus(c.latest_status).label
        c.self_label = AssessmentStatus(c.self_status).label
        c.may_assure = permissions.can(user, Action.ASSURE, c)
        c.may_assess = permissions.can(user, Action.ASSESS, c)
    systems = {c.map_entry.function.system for c in items}
    return {"items": items, "days": DUE_SOON_DAYS, "systems": sorted(systems, key=str), **counts}


def entries_due_for_review(
    user: Any, *, today: dt.date | None = None, limit: int = 10
) -> list[Any]:
    """Delegations in force to the user's bodies whose review date has passed or falls
    within ``DUE_SOON_DAYS``: one query."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    entries = list(
        permissions.visible_map_entries(user)
        .filter(
            landscape.worked_for_q(user, "receiving_body__"),
            status=EntryStatus.IN_FORCE,
            review_by__lte=horizon,
        )
        .select_related("function", "receiving_body")
        .order_by("review_by", "pk")[:limit]
    )
    for entry in entries:
        entry.overdue = entry.review_by < today
    return entries
