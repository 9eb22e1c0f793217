"""Who may do what in the ICS landscape: the rules every other policy builds on.

Views, the API, the admin and tasks call ``can`` for one object and ``visible`` for a
list; nothing else decides about permissions. The rules:

- Default deny. A user sees nothing of a system they hold no role in, and callers
  answer 404 for it, exactly as for an object that does not exist.
- Everyone with a role in a system (viewer included) reads what it publishes: the
  system, its partner organisations and its published bodies with their members.
- Programme office and board members also read their own body, published or not.
- The governance lead reads and edits everything in their system and grants roles.

Guardian holds the grants as rows in direct foreign-key tables (see
``models/object_permissions.py``), written only by ``services.role_grant`` and
``services.role_revoke`` from the user's active role assignments. They are read once
per request (``governance.scope``); every rule here works from those ids, and the
lists filter on them (``system_ids`` and ``body_ids`` give them to the other apps).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ics_portal.policy import Action, Policy, ids_in, is_active, remember

from .models import Body, IntegratedCareSystem, Membership, Organisation, RoleAssignment
from .scope import grants_of

__all__ = ["Action", "body_ids", "can", "system_ids", "visible"]


# --- the ids this user may act on, worked out once per request ----------------------


def system_ids(user: Any, action: Action = Action.VIEW) -> frozenset[int]:
    """Systems in which the user may do ``action``: VIEW any role; EDIT, MANAGE_ROLES and
    PUBLISH the governance lead only."""
    grants = grants_of(user)
    if action == Action.VIEW:
        return grants.system_ids("view_system")
    return grants.system_ids("lead_system")


def _bodies_seen(user: Any) -> dict[int, int]:
    """Body id → system id of every body the user may see: one query per request."""

    def read() -> dict[int, int]:
        grants = grants_of(user)
        led = grants.system_ids("lead_system")
        seen = grants.system_ids("view_system")
        own = grants.body_ids("view_body")
        if not (led or seen or own):
            return {}
        rows = Body.objects.filter(system_id__in=ids_in(led | seen)).values_list(
            "pk", "system_id", "is_published"
        )
        found = {
            pk: system for pk, system, published in rows if system in led or published or pk in own
        }
        found.update({pk: grants.body_system[pk] for pk in own})
        return found

    return remember(user, "governance.bodies_seen", read)


def body_ids(user: Any, action: Action = Action.VIEW) -> frozenset[int]:
    """Bodies for which the user may do ``action``: e.g. act as the programme office."""

    def work_out() -> frozenset[int]:
        if not is_active(user):
            return frozenset()
        grants = grants_of(user)
        if action == Action.VIEW:
            return frozenset(_bodies_seen(user))
        led = grants.system_ids("lead_system")
        in_led = frozenset(pk for pk, system in _bodies_seen(user).items() if system in led)
        if action in (Action.EDIT, Action.MANAGE_ROLES):
            return in_led
        if action == Action.ACT_AS_PROGRAMME_OFFICE:
            return in_led | grants.body_ids("act_as_programme_office")
        if action == Action.ACT_AS_BOARD_MEMBER:
            return grants.body_ids("act_as_board_member")
        raise ValueError(f"Unknown action {action!r} for bodies")

    return remember(user, f"governance.body_ids:{Action(action)}", work_out)


def body_ids_in(user: Any, system_id: int) -> list[int]:
    """The bodies of one system the user may see, sorted: the viewer's scope there."""
    return sorted(pk for pk, system in _bodies_seen(user).items() if system == system_id)


def body_system_ids(user: Any, action: Action) -> frozenset[int]:
    """Systems holding a body for which the user may do ``action``."""
    grants = grants_of(user)
    seen = _bodies_seen(user)
    return frozenset(
        seen.get(pk) or grants.body_system.get(pk) for pk in body_ids(user, action)
    ) - {None}


# --- which objects of a kind may this user see -------------------------------------


def systems_visible_to(user: Any) -> QuerySet[IntegratedCareSystem]:
    return IntegratedCareSystem.objects.filter(pk__in=ids_in(system_ids(user)))


def systems_led_by(user: Any) -> QuerySet[IntegratedCareSystem]:
    """Systems in which the user is the governance lead."""
    return IntegratedCareSystem.objects.filter(pk__in=ids_in(system_ids(user, Action.EDIT)))


def bodies_visible_to(user: Any) -> QuerySet[Body]:
    return Body.objects.filter(pk__in=ids_in(body_ids(user)))


def bodies_where(user: Any, action: Action) -> QuerySet[Body]:
    """Bodies for which the user may do ``action``: e.g. act as the programme office."""
    return Body.objects.filter(pk__in=ids_in(body_ids(user, action)))


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(system_id__in=ids_in(system_ids(user)))


def memberships_visible_to(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(body_id__in=ids_in(body_ids(user)))


def role_assignments_visible_to(user: Any) -> QuerySet[RoleAssignment]:
    """Your own roles, and every role in a system you lead."""
    if not is_active(user):
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user=user) | RoleAssignment.objects.filter(
        system_id__in=ids_in(system_ids(user, Action.EDIT))
    )


# --- may this user do this to this object ------------------------------------------


def is_governance_lead(user: Any, system: IntegratedCareSystem | int) -> bool:
    pk = system if isinstance(system, int) else system.pk
    return is_active(user) and pk in system_ids(user, Action.EDIT)


def _may_view_system(user: Any, system_id: int) -> bool:
    return system_id in system_ids(user)


def _may_view_body(user: Any, body: Body) -> bool:
    # From the object in hand and the grants: no query, and true to what was loaded.
    grants = grants_of(user)
    return (
        body.pk in grants.body_ids("view_body")
        or body.system_id in grants.system_ids("lead_system")
        or (body.is_published and body.system_id in grants.system_ids("view_system"))
    )


def _can_system(user: Any, action: Action, system: IntegratedCareSystem) -> bool:
    if action == Action.VIEW:
        return _may_view_system(user, system.pk)
    if action in (Action.EDIT, Action.MANAGE_ROLES):
        return is_governance_lead(user, system.pk)
    return False


def _can_body(user: Any, action: Action, body: Body) -> bool:
    if action == Action.VIEW:
        return _may_view_body(user, body)
    if action in (Action.EDIT, Action.MANAGE_ROLES):
        return is_governance_lead(user, body.system_id)
    if action == Action.ACT_AS_PROGRAMME_OFFICE:
        return is_governance_lead(user, body.system_id) or body.pk in grants_of(user).body_ids(
            "act_as_programme_office"
        )
    if action == Action.ACT_AS_BOARD_MEMBER:
        return body.pk in grants_of(user).body_ids("act_as_board_member")
    return False


def _can_organisation(user: Any, action: Action, organisation: Organisation) -> bool:
    if action == Action.VIEW:
        return _may_view_system(user, organisation.system_id)
    if action == Action.EDIT:
        return is_governance_lead(user, organisation.system_id)
    return False


def _can_membership(user: Any, action: Action, membership: Membership) -> bool:
    if action == Action.VIEW:
        return _may_view_body(user, membership.body)
    if action == Action.EDIT:
        return is_governance_lead(user, membership.body.system_id)
    return False


def _can_role_assignment(user: Any, action: Action, assignment: RoleAssignment) -> bool:
    if action == Action.VIEW:
        return assignment.user_id == user.pk or is_governance_lead(user, assignment.system_id)
    if action in (Action.EDIT, Action.MANAGE_ROLES):
        return is_governance_lead(user, assignment.system_id)
    return False


policy = Policy(
    "landscape",
    rules={
        IntegratedCareSystem: _can_system,
        Body: _can_body,
        Organisation: _can_organisation,
        Membership: _can_membership,
        RoleAssignment: _can_role_assignment,
    },
    lists={
        IntegratedCareSystem: systems_visible_to,
        Body: bodies_visible_to,
        Organisation: organisations_visible_to,
        Membership: memberships_visible_to,
        RoleAssignment: role_assignments_visible_to,
    },
)
can = policy.can
visible = policy.visible
access = policy.access


def may_use_admin(user: Any) -> bool:
    """The Django admin is the operators' back office: superusers only."""
    return is_active(user) and user.is_superuser
