"""Who may read and change programmes and milestones: the milestones policy.

Built on ``governance.permissions``; nothing else in this app decides access. Rules:

- Reading: everyone with a role in a system reads its programmes; a milestone is read
  by whoever may see its owner body (for a published body: everyone with a role in the
  system), and by its lead. Another system's users see nothing (callers answer 404).
- Editing (everything about a milestone, adding milestones): the owner body's
  programme office, and the system's governance lead.
- Updating (status, progress, dates, a note): the editors above, and the milestone's
  lead — an object-level grant on that one milestone, kept by
  ``services.milestone_set_lead``.
- A system-wide programme is edited by the governance lead; a body's programme also by
  that body's programme office.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from governance import permissions as landscape
from governance.models import Body
from governance.scope import object_grants
from ics_portal.policy import Action, Policy, ids_in, is_active
from ics_portal.types import RequestUser

from .models import (
    Milestone,
    MilestoneGroupObjectPermission,
    MilestoneUserObjectPermission,
    Programme,
)

__all__ = ["Action", "can"]

LEAD_PERMISSION = "milestones.update_milestone"
LEAD_CODENAME = "update_milestone"


def action_for_changes(fields: Iterable[str]) -> Action:
    """The right a change of these fields needs: UPDATE for what a lead may change
    (``services.UPDATE_FIELDS``), EDIT for anything else."""
    from .services import UPDATE_FIELDS  # services import this module

    return Action.UPDATE if set(fields) <= UPDATE_FIELDS else Action.EDIT


def _led_ids(user: RequestUser) -> frozenset[int]:
    """Milestones the user holds the lead's grant on (one query, once per request)."""
    return object_grants(
        user, MilestoneUserObjectPermission, MilestoneGroupObjectPermission, LEAD_CODENAME
    )


def _led(user: RequestUser) -> Q:
    """Milestones the user leads, in systems they still hold a role in: a lead who
    leaves the system loses the milestone with it."""
    return Q(pk__in=ids_in(_led_ids(user))) & Q(
        owner_body__system_id__in=ids_in(landscape.system_ids(user))
    )


def _office(user: RequestUser, prefix: str) -> Q:
    return landscape.bodies_q(user, Action.ACT_AS_PROGRAMME_OFFICE, prefix=prefix)


# --- querysets ---------------------------------------------------------------------


def visible_programmes(user: RequestUser) -> QuerySet[Programme]:
    if not is_active(user):
        return Programme.objects.none()
    systems = ids_in(landscape.system_ids(user))
    return Programme.objects.filter(Q(system_id__in=systems) | Q(body__system_id__in=systems))


def editable_programmes(user: RequestUser) -> QuerySet[Programme]:
    if not is_active(user):
        return Programme.objects.none()
    led = ids_in(landscape.system_ids(user, Action.EDIT))
    return Programme.objects.filter(
        Q(system_id__in=led) | Q(body__system_id__in=led) | _office(user, "body__")
    )


def visible_milestones(user: RequestUser) -> QuerySet[Milestone]:
    if not is_active(user):
        return Milestone.objects.none()
    return Milestone.objects.filter(landscape.bodies_q(user, prefix="owner_body__") | _led(user))


def editable_milestones(user: RequestUser) -> QuerySet[Milestone]:
    if not is_active(user):
        return Milestone.objects.none()
    return Milestone.objects.filter(_office(user, "owner_body__"))


def updatable_milestones(user: RequestUser) -> QuerySet[Milestone]:
    if not is_active(user):
        return Milestone.objects.none()
    return Milestone.objects.filter(_office(user, "owner_body__") | _led(user))


def bodies_for_new_milestones(user: RequestUser) -> QuerySet[Body]:
    """Bodies the user may make the owner of a milestone."""
    return landscape.bodies_where(user, Action.ACT_AS_PROGRAMME_OFFICE)


# --- one object --------------------------------------------------------------------


def _is_office(user: RequestUser, body: Body) -> bool:
    return landscape.may_act_for(user, Action.ACT_AS_PROGRAMME_OFFICE, body)


def _is_lead_of(user: RequestUser, milestone: Milestone) -> bool:
    if milestone.pk not in _led_ids(user):
        return False
    return milestone.owner_body.system_id in landscape.system_ids(user)


def _can_programme(user: RequestUser, action: Action, programme: Programme) -> bool:
    if action == Action.VIEW:
        body = programme.body  # None without a query when there is no body_id
        system_id = body.system_id if body is not None else programme.system_id
        return system_id in landscape.system_ids(user)
    if action in (Action.EDIT, Action.ADD_MILESTONE, Action.UPDATE):
        if programme.body is not None:
            return _is_office(user, programme.body)
        return landscape.is_governance_lead(user, programme.system_id)
    return False


def _can_milestone(user: RequestUser, action: Action, milestone: Milestone) -> bool:
    if action == Action.VIEW:
        return landscape.can(user, Action.VIEW, milestone.owner_body) or _is_lead_of(
            user, milestone
        )
    if action in (Action.EDIT, Action.ADD_MILESTONE):
        return _is_office(user, milestone.owner_body)
    if action == Action.UPDATE:
        return _is_office(user, milestone.owner_body) or _is_lead_of(user, milestone)
    return False


policy = Policy(
    "milestones",
    rules={Programme: _can_programme, Milestone: _can_milestone},
    lists={Programme: visible_programmes, Milestone: visible_milestones},
)
can = policy.can
visible = policy.visible
access = policy.access
authorise = policy.authorise
