"""Who may do what in the ICS landscape: the one place that asks django-guardian.

Views, the API, the admin and tasks call ``can`` for one object and ``visible`` for a
list; nothing else asks about permissions. The rules:

- Default deny. A user sees nothing of a system they hold no role in, and callers
  answer 404 for it, exactly as for an object that does not exist.
- Everyone with a role in a system (viewer included) reads what it publishes: the
  system, its partner organisations and its published bodies with their members.
- Programme office and board members also read their own body, published or not.
- The governance lead reads and edits everything in their system and grants roles.

Guardian holds the grants as rows in direct foreign-key tables (see
``models/object_permissions.py``), written only by ``services.role_grant`` and
``services.role_revoke`` from the user's active role assignments.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Model, Q, QuerySet
from guardian.core import ObjectPermissionChecker
from guardian.shortcuts import get_objects_for_user

from .models import Body, IntegratedCareSystem, Membership, Organisation, RoleAssignment


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"
    MANAGE_ROLES = "manage_roles"
    # Programme-office work for a body: drafting its proposals, updating its milestones.
    ACT_AS_PROGRAMME_OFFICE = "act_as_programme_office"
    # Board-member work for a body: reviewing and recording positions.
    ACT_AS_BOARD_MEMBER = "act_as_board_member"


def _is_active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _checker(user: Any) -> ObjectPermissionChecker:
    # One checker per user object: guardian caches what it has read, so the checks a
    # page makes cost one query per kind of object rather than one per check.
    checker = getattr(user, "_governance_permission_checker", None)
    if checker is None:
        checker = ObjectPermissionChecker(user)
        user._governance_permission_checker = checker
    return checker


def _objects(user: Any, perm: str, klass: type[Model]) -> QuerySet:
    return get_objects_for_user(user, perm, klass=klass, accept_global_perms=False)


# --- which objects of a kind may this user see -------------------------------------


def systems_visible_to(user: Any) -> QuerySet[IntegratedCareSystem]:
    if not _is_active(user):
        return IntegratedCareSystem.objects.none()
    return _objects(user, "governance.view_system", IntegratedCareSystem)


def systems_led_by(user: Any) -> QuerySet[IntegratedCareSystem]:
    """Systems in which the user is the governance lead."""
    if not _is_active(user):
        return IntegratedCareSystem.objects.none()
    return _objects(user, "governance.lead_system", IntegratedCareSystem)


def bodies_visible_to(user: Any) -> QuerySet[Body]:
    if not _is_active(user):
        return Body.objects.none()
    own = _objects(user, "governance.view_body", Body).values("pk")
    return Body.objects.filter(
        Q(system__in=systems_led_by(user).values("pk"))
        | Q(system__in=systems_visible_to(user).values("pk"), is_published=True)
        | Q(pk__in=own)
    )


def bodies_where(user: Any, action: Action) -> QuerySet[Body]:
    """Bodies for which the user may do ``action``: e.g. act as the programme office."""
    if not _is_active(user):
        return Body.objects.none()
    led = Q(system__in=systems_led_by(user).values("pk"))
    if action == Action.VIEW:
        return bodies_visible_to(user)
    if action in (Action.EDIT, Action.MANAGE_ROLES):
        return Body.objects.filter(led)
    if action == Action.ACT_AS_PROGRAMME_OFFICE:
        office = _objects(user, "governance.act_as_programme_office", Body).values("pk")
        return Body.objects.filter(led | Q(pk__in=office))
    if action == Action.ACT_AS_BOARD_MEMBER:
        board = _objects(user, "governance.act_as_board_member", Body).values("pk")
        return Body.objects.filter(pk__in=board)
    raise ValueError(f"Unknown action {action!r} for bodies")


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(system__in=systems_visible_to(user).values("pk"))


def memberships_visible_to(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(body__in=bodies_visible_to(user).values("pk"))


def role_assignments_visible_to(user: Any) -> QuerySet[RoleAssignment]:
    """Your own roles, and every role in a system you lead."""
    if not _is_active(user):
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(
        Q(user=user) | Q(system__in=systems_led_by(user).values("pk"))
    )


_VISIBLE = {
    IntegratedCareSystem: systems_visible_to,
    Body: bodies_visible_to,
    Organisation: organisations_visible_to,
    Membership: memberships_visible_to,
    RoleAssignment: role_assignments_visible_to,
}


def visible(user: Any, model: type[Model]) -> QuerySet:
    """Every object of ``model`` the user may see."""
    try:
        return _VISIBLE[model](user)
    except KeyError:
        raise TypeError(f"The landscape policy does not cover {model.__name__}") from None


# --- may this user do this to this object ------------------------------------------


def is_governance_lead(user: Any, system: IntegratedCareSystem) -> bool:
    return _is_active(user) and _checker(user).has_perm("governance.lead_system", system)


def _may_view_system(user: Any, system: IntegratedCareSystem) -> bool:
    return _is_active(user) and _checker(user).has_perm("governance.view_system", system)


def _may_view_body(user: Any, body: Body) -> bool:
    if not _is_active(user):
        return False
    checker = _checker(user)
    if checker.has_perm("governance.view_body", body):
        return True
    if body.is_published and checker.has_perm("governance.view_system", body.system):
        return True
    return checker.has_perm("governance.lead_system", body.system)


def _can_system(user: Any, action: Action, system: IntegratedCareSystem) -> bool:
    if action == Action.VIEW:
        return _may_view_system(user, system)
    if action in (Action.EDIT, Action.MANAGE_ROLES):
        return is_governance_lead(user, system)
    return False


def _can_body(user: Any, action: Action, body: Body) -> bool:
    if action == Action.VIEW:
        return _may_view_body(user, body)
    if action in (Action.EDIT, Action.MANAGE_ROLES):
        return is_governance_lead(user, body.system)
    if action == Action.ACT_AS_PROGRAMME_OFFICE:
        return is_governance_lead(user, body.system) or (
            _is_active(user) and _checker(user).has_perm("governance.act_as_programme_office", body)
        )
    if action == Action.ACT_AS_BOARD_MEMBER:
        return _is_active(user) and _checker(user).has_perm("governance.act_as_board_member", body)
    return False


def _can_organisation(user: Any, action: Action, organisation: Organisation) -> bool:
    if action == Action.VIEW:
        return _may_view_system(user, organisation.system)
    if action == Action.EDIT:
        return is_governance_lead(user, organisation.system)
    return False


def _can_membership(user: Any, action: Action, membership: Membership) -> bool:
    if action == Action.VIEW:
        return _may_view_body(user, membership.body)
    if action == Action.EDIT:
        return is_governance_lead(user, membership.body.system)
    return False


def _can_role_assignment(user: Any, action: Action, assignment: RoleAssignment) -> bool:
    if action == Action.VIEW:
        return (_is_active(user) and assignment.user_id == user.pk) or is_governance_lead(
            user, assignment.system
        )
    if action in (Action.EDIT, Action.MANAGE_ROLES):
        return is_governance_lead(user, assignment.system)
    return False


_CAN = {
    IntegratedCareSystem: _can_system,
    Body: _can_body,
    Organisation: _can_organisation,
    Membership: _can_membership,
    RoleAssignment: _can_role_assignment,
}


def can(user: Any, action: Action | str, obj: Model) -> bool:
    """May ``user`` do ``action`` to ``obj``? Unknown actions and objects are denied."""
    rule = _CAN.get(type(obj))
    if rule is None:
        raise TypeError(f"The landscape policy does not cover {type(obj).__name__}")
    try:
        action = Action(action)
    except ValueError:
        return False
    return rule(user, action, obj)


def prefetch(user: Any, objects: list[Model] | QuerySet) -> None:
    """Load the user's grants on ``objects`` in one query, before checking each of them."""
    if _is_active(user) and objects:
        _checker(user).prefetch_perms(objects)


def may_use_admin(user: Any) -> bool:
    """The Django admin is the operators' back office: superusers only."""
    return _is_active(user) and user.is_superuser
