"""Reads of the landscape, always scoped to what the user may see."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from ics_portal.revision import kept
from ics_portal.types import RequestUser

from . import permissions
from .models import (
    Body,
    BodyKind,
    IntegratedCareSystem,
    Membership,
    OrganisationKind,
    RoleAssignment,
)

# The home page's horizon: milestones, conditions and delegation reviews falling due
# within it are listed as "due soon".
DUE_SOON_DAYS = 30


def systems_for(user: RequestUser) -> QuerySet[IntegratedCareSystem]:
    return permissions.systems_visible_to(user).order_by("name")


def menu_systems(user: RequestUser) -> list[IntegratedCareSystem]:
    """The systems in the person's menu, on every page: kept until the next write."""
    return kept(user, "governance.menu", lambda: list(systems_for(user)))


def system_get(user: RequestUser, slug: str) -> IntegratedCareSystem:
    """The system, or 404 whether it is missing or merely not the user's."""
    try:
        return systems_for(user).get(slug=slug)
    except IntegratedCareSystem.DoesNotExist:
        raise Http404("No such system.") from None


def bodies_in(user: RequestUser, system: IntegratedCareSystem) -> QuerySet[Body]:
    return (
        permissions.bodies_visible_to(user)
        .filter(system=system)
        .select_related("parent", "accountable_to")
        .order_by("name")
    )


def body_get(user: RequestUser, system: IntegratedCareSystem, slug: str) -> Body:
    try:
        return (
            permissions.bodies_visible_to(user)
            .select_related("system", "parent", "accountable_to")
            .get(system=system, slug=slug)
        )
    except Body.DoesNotExist:
        raise Http404("No such body.") from None


def current_memberships(body: Body, on: dt.date | None = None) -> QuerySet[Membership]:
    on = on or timezone.localdate()
    return (
        body.memberships.filter(start_date__lte=on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("organisation")
        .order_by("role", "organisation__name")
    )


def subgroups_of(user: RequestUser, body: Body) -> QuerySet[Body]:
    return bodies_in(user, body.system).filter(parent=body)


def accountable_bodies_of(user: RequestUser, body: Body) -> QuerySet[Body]:
    return bodies_in(user, body.system).filter(accountable_to=body)


def active_roles_of(user: RequestUser) -> QuerySet[RoleAssignment]:
    """The user's own active roles, for the home page."""
    if not user.is_authenticated:
        return RoleAssignment.objects.none()
    return (
        RoleAssignment.objects.filter(user=user, revoked_at__isnull=True)
        .select_related("system", "body")
        .order_by("system__name", "body__name", "role")
    )


def landscape_counts(*, system: IntegratedCareSystem) -> dict[str, int]:
    """Headline figures for a system: bodies of each kind, partners and seats."""
    counts = dict.fromkeys(BodyKind.values, 0)
    for kind in system.bodies.values_list("kind", flat=True):
        counts[kind] += 1
    counts["organisations"] = system.organisations.count()
    counts["memberships"] = Membership.objects.filter(body__system=system).count()
    return counts


def bodies_with_members(user: RequestUser, system: IntegratedCareSystem) -> QuerySet[Body]:
    return bodies_in(user, system).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("organisation"))
    )


def also_accountable(bodies: list[Body], on: dt.date | None = None) -> dict[int, list[Body]]:
    """Each place's health and wellbeing boards beyond the one it names: those of the
    councils that sit on it (City and Hackney answers to the City of London's board as
    well as Hackney's). From the current council seats, among the bodies given (already
    scoped to the user): one query."""
    on = on or timezone.localdate()
    places = {b.pk: b for b in bodies if b.kind == BodyKind.PLACE_PARTNERSHIP}
    hwbbs = {b.pk: b for b in bodies if b.kind == BodyKind.HWBB}
    seats = (
        Membership.objects.filter(
            body_id__in=sorted([*places, *hwbbs]),
            organisation__kind=OrganisationKind.LOCAL_AUTHORITY,
            start_date__lte=on,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .values_list("body_id", "organisation_id")
    )
    boards_of: dict[int, list[Body]] = {}
    councils_of: dict[int, list[int]] = {}
    for body_id, council in seats:
        if body_id in hwbbs:
            boards_of.setdefault(council, []).append(hwbbs[body_id])
        else:
            councils_of.setdefault(body_id, []).append(council)
    found: dict[int, list[Body]] = {}
    for pk, councils in councils_of.items():
        others = {
            board.pk: board
            for council in councils
            for board in boards_of.get(council, [])
            if board.pk != places[pk].accountable_to_id
        }
        if others:
            found[pk] = sorted(others.values(), key=lambda b: b.name)
    return found
