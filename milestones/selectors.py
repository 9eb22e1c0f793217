"""Reads of programmes and milestones, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from governance import permissions as landscape
from governance.selectors import DUE_SOON_DAYS
from ics_portal.types import RequestUser

from . import permissions
from .models import CLOSED_STATUSES, Milestone, MilestoneUpdate, Programme
from .rag import rag_annotation


def programmes_for(user: RequestUser) -> QuerySet[Programme]:
    return (
        permissions.visible_programmes(user)
        .select_related("system", "body", "body__system", "lead")
        .order_by("name")
    )


def programme_get(user: RequestUser, pk: int) -> Programme:
    try:
        return programmes_for(user).get(pk=pk)
    except (Programme.DoesNotExist, ValueError):
        raise Http404("No such programme.") from None


def with_rag(queryset: QuerySet[Milestone]) -> QuerySet[Milestone]:
    """Annotate the derived RAG so lists filter on it (``filters.MilestoneFilter`` adds its
    worst-first rank only when a list is sorted by it: each is seven clauses of SQL)."""
    return queryset.annotate(rag_value=rag_annotation())


def milestones_for(user: RequestUser) -> QuerySet[Milestone]:
    from django.db.models import Exists, OuterRef

    return with_rag(
        permissions.visible_milestones(user)
        .select_related("programme", "owner_body", "owner_body__system", "lead_user", "parent")
        # A parent's progress is rolled up, so pages show it read-only.
        .annotate(has_children=Exists(Milestone.objects.filter(parent=OuterRef("pk"))))
    )


def milestone_rows_for(user: RequestUser) -> QuerySet[Milestone]:
    """The API's milestones: what its rows show (the RAG, the owner's name, the lead, the
    ids of what each depends on) and no join the pages make for more (the programme,
    the owner's system, the parent, whether it has sub-milestones). Every list call
    compiles this, so what it leaves out is time saved on each."""
    return with_rag(
        permissions.visible_milestones(user).select_related("owner_body", "lead_user")
    ).prefetch_related(Prefetch("dependencies", queryset=Milestone.objects.only("pk")))


def milestone_get(user: RequestUser, pk: int) -> Milestone:
    try:
        return milestones_for(user).get(pk=pk)
    except (Milestone.DoesNotExist, ValueError):
        raise Http404("No such milestone.") from None


def updatable_ids(user: RequestUser, milestones: list[Milestone]) -> set[int]:
    """Which of these the user may update: from the request's scope, no query."""
    return {m.pk for m in milestones if permissions.can(user, permissions.Action.UPDATE, m)}


def updates_of(milestone: Milestone) -> QuerySet[MilestoneUpdate]:
    return milestone.updates.select_related("changed_by").order_by("-changed_at", "-id")


def children_of(user: RequestUser, milestone: Milestone) -> QuerySet[Milestone]:
    return milestones_for(user).filter(parent=milestone).order_by("due_date", "title")


def dependencies_of(user: RequestUser, milestone: Milestone) -> QuerySet[Milestone]:
    return milestones_for(user).filter(dependents=milestone).order_by("due_date", "title")


def dependents_of(user: RequestUser, milestone: Milestone) -> QuerySet[Milestone]:
    return milestones_for(user).filter(dependencies=milestone).order_by("due_date", "title")


def possible_leads(system_id: int) -> QuerySet:
    """People with an active role in the system: who can be a milestone's lead."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            role_assignments__system_id=system_id,
            role_assignments__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("username")
    )


def owner_body_choices(user: RequestUser, system_id: int, current: Any | None = None) -> QuerySet:
    """Bodies the user may make a milestone's owner (and the current owner)."""
    from django.db.models import Q

    mine = permissions.bodies_for_new_milestones(user).filter(system_id=system_id)
    if current is not None:
        from governance.models import Body

        return Body.objects.filter(Q(pk__in=mine.values("pk")) | Q(pk=current.pk)).order_by("name")
    return mine.order_by("name")


def programmes_with_counts(user: RequestUser) -> QuerySet[Programme]:
    from django.db.models import Count, Q
    from django.utils import timezone

    today = timezone.localdate()
    visible = permissions.visible_milestones(user).values("pk")
    in_view = Q(milestones__pk__in=visible)
    return programmes_for(user).annotate(
        milestone_count=Count("milestones", filter=in_view, distinct=True),
        overdue_count=Count(
            "milestones",
            filter=in_view
            & Q(milestones__due_date__lt=today)
            & ~Q(milestones__status__in=["complete", "cancelled"]),
            distinct=True,
        ),
    )


def functions_for_links(user: RequestUser, system_id: int) -> QuerySet:
    """Functions of the system's catalogue the user may see, to link a milestone to."""
    from delegation import permissions as delegation_permissions

    return delegation_permissions.visible_functions(user).filter(system_id=system_id)


def map_entries_for_links(user: RequestUser, system_id: int) -> QuerySet:
    from delegation import permissions as delegation_permissions

    return (
        delegation_permissions.visible_map_entries(user)
        .filter(function__system_id=system_id)
        .select_related("function", "receiving_body")
        .order_by("function__display_order", "function__code", "pk")
    )


def owner_bodies_for(user: RequestUser) -> QuerySet:
    """Bodies owning milestones the user can see, for "milestones by body" links."""
    from governance.models import Body

    owners = permissions.visible_milestones(user).values("owner_body")
    return (
        Body.objects.filter(pk__in=owners).select_related("system").order_by("system__name", "name")
    )


# --- the home page: what needs this person ------------------------------------------


def _worked_for(user: Any) -> Q:
    """Milestones of the bodies the user works for, and those they lead."""
    return landscape.worked_for_q(user, "owner_body__") | Q(lead_user=user)


def needing_attention(
    user: Any, *, today: dt.date | None = None, limit: int = 10
) -> dict[str, Any]:
    """Open milestones of the user's bodies that are overdue or due within
    ``DUE_SOON_DAYS``, soonest first, and how many there are: two queries whatever
    the number of milestones."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    mine = (
        permissions.visible_milestones(user)
        .filter(_worked_for(user), due_date__lte=horizon)
        .exclude(status__in=CLOSED_STATUSES)
    )
    counts = mine.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        soon=Count("pk", filter=Q(due_date__gte=today)),
    )
    items = list(
        with_rag(mine.select_related("owner_body", "owner_body__system")).order_by(
            "due_date", "title", "pk"
        )[:limit]
    )
    for m in items:
        m.days_late = (today - m.due_date).days
    return {
        "overdue": [m for m in items if m.due_date < today],
        "soon": [m for m in items if m.due_date >= today],
        "overdue_count": counts["overdue"],
        "soon_count": counts["soon"],
        "shown": len(items),
        "total": counts["overdue"] + counts["soon"],
        "days": DUE_SOON_DAYS,
    }


def overdue_summary(user: Any, *, today: dt.date | None = None) -> dict[str, int]:
    """For a reader who works for no body: how the programmes they can see are going,
    in one query."""
    today = today or timezone.localdate()
    open_ = ~Q(status__in=CLOSED_STATUSES)
    return permissions.visible_milestones(user).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=open_ & Q(due_date__lt=today)),
        soon=Count(
            "pk",
            filter=open_
            & Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS)),
        ),
    )
