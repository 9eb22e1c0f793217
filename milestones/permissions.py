"""Who may read and change programmes and milestones: the milestones policy.

Built on ``governance.permissions``; nothing else in this app asks guardian. Rules:

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

from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from governance import permissions as gp
from governance.models import Body
from governance.permissions import Action as GovernanceAction

from .models import Milestone, Programme

LEAD_PERMISSION = "milestones.update_milestone"
LEAD_CODENAME = "update_milestone"


class Action(StrEnum):
    VIEW = "view"
    # Status, progress, dates and a note: what a milestone's lead may do.
    UPDATE = "update"
    # Everything, including lead, owner, parent and dependencies.
    EDIT = "edit"
    # Add milestones to a programme.
    ADD_MILESTONE = "add_milestone"


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _led_milestones(user: Any) -> QuerySet[Milestone]:
    """Milestones the user leads, in systems they still hold a role in: a lead who
    leaves the system loses the milestone with it."""
    led = get_objects_for_user(user, LEAD_PERMISSION, klass=Milestone, accept_global_perms=False)
    return led.filter(owner_body__system__in=gp.systems_visible_to(user).values("pk"))


# --- querysets ---------------------------------------------------------------------


def visible_programmes(user: Any) -> QuerySet[Programme]:
    if not _is_active(user):
        return Programme.objects.none()
    systems = gp.systems_visible_to(user).values("pk")
    return Programme.objects.filter(Q(system__in=systems) | Q(body__system__in=systems))


def editable_programmes(user: Any) -> QuerySet[Programme]:
    if not _is_active(user):
        return Programme.objects.none()
    led = gp.systems_led_by(user).values("pk")
    office = gp.bodies_where(user, GovernanceAction.ACT_AS_PROGRAMME_OFFICE).values("pk")
    return Programme.objects.filter(
        Q(system__in=led) | Q(body__system__in=led) | Q(body__in=office)
    )


def visible_milestones(user: Any) -> QuerySet[Milestone]:
    if not _is_active(user):
        return Milestone.objects.none()
    return Milestone.objects.filter(
        Q(owner_body__in=gp.bodies_visible_to(user).values("pk"))
        | Q(pk__in=_led_milestones(user).values("pk"))
    )


def editable_milestones(user: Any) -> QuerySet[Milestone]:
    if not _is_active(user):
        return Milestone.objects.none()
    office = gp.bodies_where(user, GovernanceAction.ACT_AS_PROGRAMME_OFFICE).values("pk")
    return Milestone.objects.filter(owner_body__in=office)


def updatable_milestones(user: Any) -> QuerySet[Milestone]:
    if not _is_active(user):
        return Milestone.objects.none()
    office = gp.bodies_where(user, GovernanceAction.ACT_AS_PROGRAMME_OFFICE).values("pk")
    return Milestone.objects.filter(
        Q(owner_body__in=office) | Q(pk__in=_led_milestones(user).values("pk"))
    )


def bodies_for_new_milestones(user: Any) -> QuerySet[Body]:
    """Bodies the user may make the owner of a milestone."""
    return gp.bodies_where(user, GovernanceAction.ACT_AS_PROGRAMME_OFFICE)


_VISIBLE = {Programme: visible_programmes, Milestone: visible_milestones}


def visible(user: Any, model: type[Model]) -> QuerySet:
    try:
        return _VISIBLE[model](user)
    except KeyError:
        raise TypeError(f"The milestones policy does not cover {model.__name__}") from None


# --- one object --------------------------------------------------------------------


def _is_office(user: Any, body: Body) -> bool:
    return gp.can(user, GovernanceAction.ACT_AS_PROGRAMME_OFFICE, body)


def _is_lead_of(user: Any, milestone: Milestone) -> bool:
    return (
        _is_active(user)
        and gp._checker(user).has_perm(LEAD_CODENAME, milestone)
        and gp.can(user, GovernanceAction.VIEW, milestone.owner_body.system)
    )


def _can_programme(user: Any, action: Action, programme: Programme) -> bool:
    if not _is_active(user):
        return False
    if action == Action.VIEW:
        system = programme.body.system if programme.body_id else programme.system
        return gp.can(user, GovernanceAction.VIEW, system)
    if action in (Action.EDIT, Action.ADD_MILESTONE, Action.UPDATE):
        if programme.body_id:
            return _is_office(user, programme.body)
        return gp.is_governance_lead(user, programme.system)
    return False


def _can_milestone(user: Any, action: Action, milestone: Milestone) -> bool:
    if not _is_active(user):
        return False
    if action == Action.VIEW:
        return gp.can(user, GovernanceAction.VIEW, milestone.owner_body) or _is_lead_of(
            user, milestone
        )
    if action in (Action.EDIT, Action.ADD_MILESTONE):
        return _is_office(user, milestone.owner_body)
    if action == Action.UPDATE:
        return _is_office(user, milestone.owner_body) or _is_lead_of(user, milestone)
    return False


_CAN = {Programme: _can_programme, Milestone: _can_milestone}


def can(user: Any, action: Action | str, obj: Model) -> bool:
    """May ``user`` do ``action`` to ``obj``? Unknown actions are denied."""
    rule = _CAN.get(type(obj))
    if rule is None:
        raise TypeError(f"The milestones policy does not cover {type(obj).__name__}")
    try:
        action = Action(action)
    except ValueError:
        return False
    return rule(user, action, obj)


def prefetch(user: Any, milestones: list[Milestone] | QuerySet) -> None:
    """Load the user's grants for a page of milestones (and their bodies) up front."""
    if not _is_active(user) or not milestones:
        return
    milestones = list(milestones)
    gp.prefetch(user, milestones)
    bodies = list({m.owner_body_id: m.owner_body for m in milestones}.values())
    gp.prefetch(user, bodies)
    systems = list({b.system_id: b.system for b in bodies}.values())
    gp.prefetch(user, systems)
