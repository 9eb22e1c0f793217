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

from typing import Any

from django.db.models import Q, QuerySet

from governance import permissions as landscape
from governance.models import Body, IntegratedCareSystem
from ics_portal.policy import Action, Policy, ids_in, is_active, remember

from .models import Condition, ConditionAssessment, EntryStatus, Function, MapEntry, MapVersion

__all__ = ["Action", "can"]


def live_system_ids(user: Any) -> frozenset[int]:
    """Systems whose live map the user reads: led, or holding a body role in them."""

    def work_out() -> frozenset[int]:
        return (
            landscape.system_ids(user, Action.EDIT)
            | landscape.body_system_ids(user, Action.ACT_AS_PROGRAMME_OFFICE)
            | landscape.body_system_ids(user, Action.ACT_AS_BOARD_MEMBER)
        )

    return remember(user, "delegation.live_system_ids", work_out)


def live_map_systems(user: Any) -> QuerySet[IntegratedCareSystem]:
    return IntegratedCareSystem.objects.filter(pk__in=ids_in(live_system_ids(user)))


def may_read_live_map(user: Any, system: IntegratedCareSystem) -> bool:
    return is_active(user) and system.pk in live_system_ids(user)


def may_edit_map(user: Any, system: IntegratedCareSystem) -> bool:
    return landscape.is_governance_lead(user, system)


def may_read_versions(user: Any, system: IntegratedCareSystem) -> bool:
    return landscape.can(user, Action.VIEW, system)


# --- lists --------------------------------------------------------------------------


def visible_functions(user: Any) -> QuerySet[Function]:
    return Function.objects.filter(system_id__in=ids_in(live_system_ids(user)))


def _body_visible(prefix: str, user: Any) -> Q:
    # An entry naming a body the user may not see (an unpublished one) stays hidden too.
    return Q(**{f"{prefix}receiving_body__isnull": True}) | landscape.bodies_q(
        user, prefix=f"{prefix}receiving_body__"
    )


def _drafts_visible(prefix: str, user: Any) -> Q:
    """A proposed entry is read by the lead, and its receiving body's office and board."""
    body = f"{prefix}receiving_body__"
    return (
        ~Q(**{f"{prefix}status": EntryStatus.PROPOSED})
        | Q(**{f"{prefix}function__system_id__in": ids_in(landscape.system_ids(user, Action.EDIT))})
        | landscape.bodies_q(user, Action.ACT_AS_PROGRAMME_OFFICE, prefix=body)
        | landscape.bodies_q(user, Action.ACT_AS_BOARD_MEMBER, prefix=body)
    )


def visible_map_entries(user: Any) -> QuerySet[MapEntry]:
    return MapEntry.objects.filter(
        Q(function__system_id__in=ids_in(live_system_ids(user)))
        & _body_visible("", user)
        & _drafts_visible("", user)
    )


def visible_conditions(user: Any) -> QuerySet[Condition]:
    return Condition.objects.filter(
        Q(map_entry__function__system_id__in=ids_in(live_system_ids(user)))
        & _body_visible("map_entry__", user)
        & _drafts_visible("map_entry__", user)
    )


def visible_assessments(user: Any) -> QuerySet[ConditionAssessment]:
    return ConditionAssessment.objects.filter(condition__in=visible_conditions(user).values("pk"))


def visible_map_versions(user: Any) -> QuerySet[MapVersion]:
    return MapVersion.objects.filter(system_id__in=ids_in(landscape.system_ids(user)))


def assessable_conditions(user: Any) -> QuerySet[Condition]:
    """Conditions the user may assess: their office's own, or all in a system they lead."""
    return Condition.objects.filter(
        landscape.bodies_q(user, Action.ACT_AS_PROGRAMME_OFFICE, prefix="owner_body__")
    )


def receiving_bodies_for(user: Any, system: IntegratedCareSystem) -> QuerySet[Body]:
    """Bodies the governance lead may name as receiving bodies or owners."""
    if not may_edit_map(user, system):
        return Body.objects.none()
    return Body.objects.filter(system=system).order_by("name")


# --- one object ---------------------------------------------------------------------


def _can_function(user: Any, action: Action, function: Function) -> bool:
    if action == Action.VIEW:
        return function.system_id in live_system_ids(user)
    if action == Action.EDIT:
        return landscape.is_governance_lead(user, function.system_id)
    return False


def _entry_body_visible(user: Any, entry: MapEntry) -> bool:
    return entry.receiving_body_id is None or landscape.can(user, Action.VIEW, entry.receiving_body)


def _entry_draft_visible(user: Any, entry: MapEntry) -> bool:
    if entry.status != EntryStatus.PROPOSED or landscape.is_governance_lead(
        user, entry.function.system_id
    ):
        return True
    return entry.receiving_body_id is not None and (
        landscape.can(user, Action.ACT_AS_PROGRAMME_OFFICE, entry.receiving_body)
        or landscape.can(user, Action.ACT_AS_BOARD_MEMBER, entry.receiving_body)
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
    system_id = condition.map_entry.function.system_id
    if action == Action.VIEW:
        return (
            system_id in live_system_ids(user)
            and _entry_body_visible(user, condition.map_entry)
            and _entry_draft_visible(user, condition.map_entry)
        )
    if action == Action.EDIT:
        return landscape.is_governance_lead(user, system_id)
    if action == Action.ASSESS:
        # The landscape answers for the lead as well as the owner's programme office.
        return system_id in live_system_ids(user) and landscape.can(
            user, Action.ACT_AS_PROGRAMME_OFFICE, condition.owner_body
        )
    if action == Action.ASSURE:
        return landscape.is_governance_lead(user, system_id)
    return False


def _can_assessment(user: Any, action: Action, assessment: ConditionAssessment) -> bool:
    if action == Action.VIEW:
        return _can_condition(user, Action.VIEW, assessment.condition)
    # Assessments are append-only: nobody edits one.
    return False


def _can_version(user: Any, action: Action, version: MapVersion) -> bool:
    if action == Action.VIEW:
        return version.system_id in landscape.system_ids(user)
    # A published version is a record: nobody edits it.
    return False


def _can_system(user: Any, action: Action, system: IntegratedCareSystem) -> bool:
    if action == Action.VIEW:
        return may_read_live_map(user, system)
    if action in (Action.EDIT, Action.PUBLISH):
        return may_edit_map(user, system)
    return False


policy = Policy(
    "delegation",
    rules={
        Function: _can_function,
        MapEntry: _can_entry,
        Condition: _can_condition,
        ConditionAssessment: _can_assessment,
        MapVersion: _can_version,
        IntegratedCareSystem: _can_system,
    },
    lists={
        Function: visible_functions,
        MapEntry: visible_map_entries,
        Condition: visible_conditions,
        ConditionAssessment: visible_assessments,
        MapVersion: visible_map_versions,
    },
)
# For a system, VIEW means its live map.
can = policy.can
visible = policy.visible
access = policy.access
