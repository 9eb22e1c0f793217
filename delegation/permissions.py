"""Who may do what to the functions and decision map.

Built on ``governance.permissions``; nothing else in this app decides access. The rules:

- The system's governance lead keeps the catalogue and the entries, sets conditions
  and publishes versions.
- Programme offices and board members of any body in a system read that system's live
  map: functions, entries, conditions and their assessments.
- A condition's owner body's programme office records its self-assessment and evidence
  for that condition (the governance lead may too, on the office's behalf).
- Only the system's governance lead records the ICB's assurance (met, partly met, not
  met): the status dashboards count.
- A *proposed* entry is a draft of its receiving body: only the system's governance
  lead and that body's programme office and board members read it (and its
  conditions); a proposed entry with no receiving body, the lead alone.
- Viewers read published versions only: not the live map, entries or conditions.
- Nobody sees anything of a system they hold no role in; callers answer 404.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet

from governance import permissions as landscape
from governance.models import Body, IntegratedCareSystem
from governance.permissions import Action as LandscapeAction

from .models import Condition, ConditionAssessment, EntryStatus, Function, MapEntry, MapVersion


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    # Record the owner body's self-assessment of a condition.
    ASSESS = "assess"
    # Record the ICB's assurance of a condition.
    ASSURE = "assure"
    # Publish a version of the map (asked of a system).
    PUBLISH = "publish"


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def live_map_systems(user: Any) -> QuerySet[IntegratedCareSystem]:
    """Systems whose live map the user reads: led, or holding a body role in them."""
    if not _is_active(user):
        return IntegratedCareSystem.objects.none()
    office = landscape.bodies_where(user, LandscapeAction.ACT_AS_PROGRAMME_OFFICE)
    board = landscape.bodies_where(user, LandscapeAction.ACT_AS_BOARD_MEMBER)
    return IntegratedCareSystem.objects.filter(
        Q(pk__in=landscape.systems_led_by(user).values("pk"))
        | Q(pk__in=office.values("system_id"))
        | Q(pk__in=board.values("system_id"))
    )


def _live_system_ids(user: Any) -> frozenset[int]:
    # Cached on the user object for the request, like guardian's checker: a page that
    # asks for fifty rows costs one query, not fifty.
    cached = getattr(user, "_delegation_live_system_ids", None)
    if cached is None:
        cached = frozenset(live_map_systems(user).values_list("pk", flat=True))
        user._delegation_live_system_ids = cached
    return cached


def may_read_live_map(user: Any, system: IntegratedCareSystem) -> bool:
    return _is_active(user) and system.pk in _live_system_ids(user)


def may_edit_map(user: Any, system: IntegratedCareSystem) -> bool:
    return landscape.is_governance_lead(user, system)


def may_read_versions(user: Any, system: IntegratedCareSystem) -> bool:
    return landscape.can(user, LandscapeAction.VIEW, system)


# --- lists --------------------------------------------------------------------------


def visible_functions(user: Any) -> QuerySet[Function]:
    return Function.objects.filter(system__in=live_map_systems(user).values("pk"))


def _body_visible(prefix: str, user: Any) -> Q:
    # An entry naming a body the user may not see (an unpublished one) stays hidden too.
    return Q(**{f"{prefix}receiving_body__isnull": True}) | Q(
        **{f"{prefix}receiving_body__in": landscape.bodies_visible_to(user).values("pk")}
    )


def _draft_bodies(user: Any) -> QuerySet[Body]:
    """Bodies whose drafts the user reads: as lead, programme office or board member."""
    office = landscape.bodies_where(user, LandscapeAction.ACT_AS_PROGRAMME_OFFICE)
    board = landscape.bodies_where(user, LandscapeAction.ACT_AS_BOARD_MEMBER)
    return Body.objects.filter(Q(pk__in=office.values("pk")) | Q(pk__in=board.values("pk")))


def _drafts_visible(prefix: str, user: Any) -> Q:
    return (
        ~Q(**{f"{prefix}status": EntryStatus.PROPOSED})
        | Q(**{f"{prefix}function__system__in": landscape.systems_led_by(user).values("pk")})
        | Q(**{f"{prefix}receiving_body__in": _draft_bodies(user).values("pk")})
    )


def visible_map_entries(user: Any) -> QuerySet[MapEntry]:
    return MapEntry.objects.filter(
        Q(function__system__in=live_map_systems(user).values("pk"))
        & _body_visible("", user)
        & _drafts_visible("", user)
    )


def visible_conditions(user: Any) -> QuerySet[Condition]:
    return Condition.objects.filter(
        Q(map_entry__function__system__in=live_map_systems(user).values("pk"))
        & _body_visible("map_entry__", user)
        & _drafts_visible("map_entry__", user)
    )


def visible_assessments(user: Any) -> QuerySet[ConditionAssessment]:
    return ConditionAssessment.objects.filter(condition__in=visible_conditions(user).values("pk"))


def visible_map_versions(user: Any) -> QuerySet[MapVersion]:
    return MapVersion.objects.filter(system__in=landscape.systems_visible_to(user).values("pk"))


def assessable_conditions(user: Any) -> QuerySet[Condition]:
    """Conditions the user may assess: their office's own, or all in a system they lead."""
    if not _is_active(user):
        return Condition.objects.none()
    office = landscape.bodies_where(user, LandscapeAction.ACT_AS_PROGRAMME_OFFICE)
    return Condition.objects.filter(owner_body__in=office.values("pk"))


def receiving_bodies_for(user: Any, system: IntegratedCareSystem) -> QuerySet[Body]:
    """Bodies the governance lead may name as receiving bodies or owners."""
    if not may_edit_map(user, system):
        return Body.objects.none()
    return Body.objects.filter(system=system).order_by("name")


# --- one object ---------------------------------------------------------------------


def _can_function(user: Any, action: Action, function: Function) -> bool:
    if action == Action.VIEW:
        return may_read_live_map(user, function.system)
    if action == Action.EDIT:
        return may_edit_map(user, function.system)
    return False


def _entry_body_visible(user: Any, entry: MapEntry) -> bool:
    return entry.receiving_body_id is None or landscape.can(
        user, LandscapeAction.VIEW, entry.receiving_body
    )


def _entry_draft_visible(user: Any, entry: MapEntry) -> bool:
    if entry.status != EntryStatus.PROPOSED or may_edit_map(user, entry.function.system):
        return True
    return entry.receiving_body_id is not None and (
        landscape.can(user, LandscapeAction.ACT_AS_PROGRAMME_OFFICE, entry.receiving_body)
        or landscape.can(user, LandscapeAction.ACT_AS_BOARD_MEMBER, entry.receiving_body)
    )


def _can_entry(user: Any, action: Action, entry: MapEntry) -> bool:
    if action == Action.VIEW:
        return (
            _can_function(user, action, entry.function)
            and _entry_body_visible(user, entry)
            and _entry_draft_visible(user, entry)
        )
    return _can_function(user, action, entry.function)


def _can_condition(user: Any, action: Action, condition: Condition) -> bool:
    system = condition.map_entry.function.system
    if action == Action.VIEW:
        return (
            may_read_live_map(user, system)
            and _entry_body_visible(user, condition.map_entry)
            and _entry_draft_visible(user, condition.map_entry)
        )
    if action == Action.EDIT:
        return may_edit_map(user, system)
    if action == Action.ASSESS:
        # bodies_where answers for the lead as well as the owner's programme office.
        return may_read_live_map(user, system) and landscape.can(
            user, LandscapeAction.ACT_AS_PROGRAMME_OFFICE, condition.owner_body
        )
    if action == Action.ASSURE:
        return may_edit_map(user, system)
    return False


def _can_assessment(user: Any, action: Action, assessment: ConditionAssessment) -> bool:
    if action == Action.VIEW:
        return _can_condition(user, Action.VIEW, assessment.condition)
    # Assessments are append-only: nobody edits one.
    return False


def _can_version(user: Any, action: Action, version: MapVersion) -> bool:
    if action == Action.VIEW:
        return may_read_versions(user, version.system)
    # A published version is a record: nobody edits it.
    return False


def _can_system(user: Any, action: Action, system: IntegratedCareSystem) -> bool:
    if action == Action.VIEW:
        return may_read_live_map(user, system)
    if action in (Action.EDIT, Action.PUBLISH):
        return may_edit_map(user, system)
    return False


_CAN = {
    Function: _can_function,
    MapEntry: _can_entry,
    Condition: _can_condition,
    ConditionAssessment: _can_assessment,
    MapVersion: _can_version,
    IntegratedCareSystem: _can_system,
}


def can(user: Any, action: Action | str, obj: Model) -> bool:
    """May ``user`` do ``action`` to ``obj``? For a system, VIEW means its live map."""
    rule = _CAN.get(type(obj))
    if rule is None:
        raise TypeError(f"The delegation policy does not cover {type(obj).__name__}")
    try:
        action = Action(action)
    except ValueError:
        return False
    return rule(user, action, obj)
