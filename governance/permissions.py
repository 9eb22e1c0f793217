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
lists filter on them (``system_ids`` and ``bodies_q`` give them to the other apps).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ics_portal.policy import Action, Policy, ids_in, is_active
from ics_portal.types import RequestUser

from .models import Body, IntegratedCareSystem, Membership, Organisation, RoleAssignment
from .scope import grants_of

__all__ = ["Action", "bodies_q", "can", "system_ids", "visible"]


# --- the ids this user may act on, worked out once per request ----------------------


def system_ids(user: RequestUser, action: Action = Action.VIEW) -> frozenset[int]:
    """Systems in which the user may do ``action``: VIEW any role; EDIT, MANAGE_ROLES and
    PUBLISH the governance lead only."""
    grants = grants_of(user)
    if action == Action.VIEW:
        return grants.system_ids("view_system")
    return grants.system_ids("lead_system")


def bodies_q(user: RequestUser, action: Action = Action.VIEW, prefix: str = "") -> Q:
    """A filter for the bodies on which the user may do ``action``, on the body itself
    or through ``prefix`` (``"receiving_body__"``). Built from the request's grants, not
    from a query, so a lead of a very large system pays nothing for its size."""
    grants = grants_of(user)
    led = ids_in(grants.system_ids("lead_system"))

    def where(**lookups: Any) -> Q:
        return Q(**{f"{prefix}{key}": value for key, value in lookups.items()})

    if action == Action.VIEW:
        return (
            where(system_id__in=led)
            | where(system_id__in=ids_in(grants.system_ids("view_system")), is_published=True)
            | where(pk__in=ids_in(grants.body_ids("view_body")))
        )
    if action in (Action.EDIT, Action.MANAGE_ROLES):
        return where(system_id__in=led)
    if action == Action.ACT_AS_PROGRAMME_OFFICE:
        return where(system_id__in=led) | where(
            pk__in=ids_in(grants.body_ids("act_as_programme_office"))
        )
    if action == Action.ACT_AS_BOARD_MEMBER:
        return where(pk__in=ids_in(grants.body_ids("act_as_board_member")))
    raise ValueError(f"Unknown action {action!r} for bodies")


def worked_for_q(user: RequestUser, prefix: str = "") -> Q:
    """The bodies the user works for, as programme office or board member (a governance
    lead is the programme office of every body of their system): what the home page,
    and a body's papers, count as theirs."""
    return bodies_q(user, Action.ACT_AS_PROGRAMME_OFFICE, prefix) | bodies_q(
        user, Action.ACT_AS_BOARD_MEMBER, prefix
    )


def may_act_for(user: RequestUser, action: Action, body: Body) -> bool:
    """``can`` for a body, from the body in hand (its id and system) and the grants."""
    return is_active(user) and _can_body(user, Action(action), body)


def scope_in(user: RequestUser, system_id: int) -> tuple[Any, ...]:
    """What decides which of a system's bodies (and so which of its map) the user sees:
    for cache keys. Which bodies are published is the data's part, not the viewer's."""
    grants = grants_of(user)
    own = sorted(
        (codename, pk)
        for codename, ids in grants.bodies.items()
        for pk in ids
        if grants.body_system.get(pk) == system_id
    )
    return (
        system_id in grants.system_ids("lead_system"),
        system_id in grants.system_ids("view_system"),
        own,
    )


def body_system_ids(user: RequestUser, action: Action) -> frozenset[int]:
    """Systems holding a body for which the user may do ``action``."""
    grants = grants_of(user)
    found = {
        grants.body_system[pk]
        for codename in {
            Action.ACT_AS_PROGRAMME_OFFICE: ("act_as_programme_office",),
            Action.ACT_AS_BOARD_MEMBER: ("act_as_board_member",),
            Action.VIEW: ("view_body",),
        }.get(Action(action), ())
        for pk in grants.body_ids(codename)
    }
    if action in (Action.ACT_AS_PROGRAMME_OFFICE, Action.EDIT, Action.MANAGE_ROLES):
        found |= grants.system_ids("lead_system")
    return frozenset(found)


# --- which objects of a kind may this user see -------------------------------------


def systems_visible_to(user: RequestUser) -> QuerySet[IntegratedCareSystem]:
    return IntegratedCareSystem.objects.filter(pk__in=ids_in(system_ids(user)))


def systems_led_by(user: RequestUser) -> QuerySet[IntegratedCareSystem]:
    """Systems in which the user is the governance lead."""
    return IntegratedCareSystem.objects.filter(pk__in=ids_in(system_ids(user, Action.EDIT)))


def bodies_visible_to(user: RequestUser) -> QuerySet[Body]:
    return Body.objects.filter(bodies_q(user))


def bodies_where(user: RequestUser, action: Action) -> QuerySet[Body]:
    """Bodies for which the user may do ``action``: e.g. act as the programme office."""
    return Body.objects.filter(bodies_q(user, action))


def organisations_visible_to(user: RequestUser) -> QuerySet[Organisation]:
    return Organisation.objects.filter(system_id__in=ids_in(system_ids(user)))


def memberships_visible_to(user: RequestUser) -> QuerySet[Membership]:
    return Membership.objects.filter(bodies_q(user, prefix="body__"))


def role_assignments_visible_to(user: RequestUser) -> QuerySet[RoleAssignment]:
    """Your own roles, and every role in a system you lead."""
    if not is_active(user):
        return RoleAssignment.objects.none()
    return RoleAssignment.objects.filter(user=user) | RoleAssignment.objects.filter(
        system_id__in=ids_in(system_ids(user, Action.EDIT))
    )


# --- may this user do this to this object ------------------------------------------


def is_governance_lead(user: RequestUser, system: IntegratedCareSystem | int | None) -> bool:
    # None (a programme of a body has no system of its own) leads nowhere.
    pk = system if system is None or isinstance(system, int) else system.pk
    return is_active(user) and pk in system_ids(user, Action.EDIT)


def _may_view_system(user: RequestUser, system_id: int) -> bool:
    return system_id in system_ids(user)


def _may_view_body(user: RequestUser, body: Body) -> bool:
    # From the object in hand and the grants: no query, and true to what was loaded.
    grants = grants_of(user)
    return (
        body.pk in grants.body_ids("view_body")
        or body.system_id in grants.system_ids("lead_system")
        or (body.is_published and body.system_id in grants.system_ids("view_system"))
    )


def _can_system(user: RequestUser, action: Action, system: IntegratedCareSystem) -> bool:
    if action == Action.VIEW:
        return _may_view_system(user, system.pk)
    if action in (Action.EDIT, Action.MANAGE_ROLES):
        return is_governance_lead(user, system.pk)
    return False


def _can_body(user: RequestUser, action: Action, body: Body) -> bool:
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


def _can_organisation(user: RequestUser, action: Action, organisation: Organisation) -> bool:
    if action == Action.VIEW:
        return _may_view_system(user, organisation.system_id)
    if action == Action.EDIT:
        return is_governance_lead(user, organisation.system_id)
    return False


def _can_membership(user: RequestUser, action: Action, membership: Membership) -> bool:
    if action == Action.VIEW:
        return _may_view_body(user, membership.body)
    if action == Action.EDIT:
        return is_governance_lead(user, membership.body.system_id)
    return False


def _can_role_assignment(user: RequestUser, action: Action, assignment: RoleAssignment) -> bool:
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
authorise = policy.authorise


def may_use_admin(user: RequestUser) -> bool:
    """The Django admin is the operators' back office: superusers only."""
    return is_active(user) and user.is_superuser
