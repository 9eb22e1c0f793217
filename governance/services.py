"""Every write to the landscape. Each service validates, then saves atomically.

Services do not decide who may call them: views, the API and the admin ask
``governance.permissions`` first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from ics_portal.policy import forget

from .concurrency import versioned_write
from .models import (
    Body,
    BodyUserObjectPermission,
    IntegratedCareSystem,
    Membership,
    Organisation,
    Role,
    RoleAssignment,
    SystemUserObjectPermission,
)

# The guardian grants each role carries, on its system and (for body roles) its body.
ROLE_SYSTEM_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.GOVERNANCE_LEAD: frozenset({"view_system", "change_system", "lead_system"}),
    Role.PROGRAMME_OFFICE: frozenset({"view_system"}),
    Role.BOARD_MEMBER: frozenset({"view_system"}),
    Role.VIEWER: frozenset({"view_system"}),
}
ROLE_BODY_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.GOVERNANCE_LEAD: frozenset(),
    Role.PROGRAMME_OFFICE: frozenset({"view_body", "act_as_programme_office"}),
    Role.BOARD_MEMBER: frozenset({"view_body", "act_as_board_member"}),
    Role.VIEWER: frozenset(),
}


M = TypeVar("M", bound=models.Model)


def _save(instance: M) -> M:
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def system_create(*, name: str, short_name: str, slug: str = "") -> IntegratedCareSystem:
    return _save(
        IntegratedCareSystem(name=name, short_name=short_name, slug=slug or slugify(short_name))
    )


@transaction.atomic
def organisation_create(
    *,
    system: IntegratedCareSystem,
    name: str,
    kind: str,
    short_name: str = "",
    ods_code: str = "",
) -> Organisation:
    return _save(
        Organisation(system=system, name=name, kind=kind, short_name=short_name, ods_code=ods_code)
    )


@transaction.atomic
def body_create(
    *,
    system: IntegratedCareSystem,
    name: str,
    kind: str,
    slug: str = "",
    short_name: str = "",
    parent: Body | None = None,
    accountable_to: Body | None = None,
    current_form: str = "",
    target_form: str = "",
    chair_name: str = "",
    chair_type: str = "",
    terms_of_reference: str = "",
    is_published: bool = True,
) -> Body:
    return _save(
        Body(
            system=system,
            name=name,
            kind=kind,
            slug=slug or slugify(short_name or name)[:80],
            short_name=short_name,
            parent=parent,
            accountable_to=accountable_to,
            current_form=current_form,
            target_form=target_form,
            chair_name=chair_name,
            chair_type=chair_type,
            terms_of_reference=terms_of_reference,
            is_published=is_published,
        )
    )


BODY_EDITABLE_FIELDS = frozenset(
    {
        "name",
        "short_name",
        "kind",
        "parent",
        "accountable_to",
        "current_form",
        "target_form",
        "chair_name",
        "chair_type",
        "terms_of_reference",
        "is_published",
    }
)


@transaction.atomic
def body_update(*, body: Body, version: int | None = None, by: Any = None, **changes: Any) -> Body:
    """Change a body, based on the ``version`` the caller loaded (``StaleWrite`` if
    someone saved it in between; then nothing is saved)."""
    unknown = set(changes) - BODY_EDITABLE_FIELDS
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(sorted(unknown))}.")
    with versioned_write(body, version=version, by=by) as current:
        for field, value in changes.items():
            setattr(current, field, value)
        return _save(current)


@transaction.atomic
def membership_create(
    *,
    body: Body,
    organisation: Organisation,
    role: str,
    start_date: dt.date,
    end_date: dt.date | None = None,
) -> Membership:
    return _save(
        Membership(
            body=body,
            organisation=organisation,
            role=role,
            start_date=start_date,
            end_date=end_date,
        )
    )


@transaction.atomic
def membership_end(
    *,
    membership: Membership,
    end_date: dt.date,
    version: int | None = None,
    by: Any = None,
) -> Membership:
    with versioned_write(membership, version=version, by=by) as current:
        if current.end_date is not None:
            raise ValidationError(f"This membership already ended on {current.end_date:%d %B %Y}.")
        current.end_date = end_date
        return _save(current)


# --- roles ------------------------------------------------------------------------


@transaction.atomic
def role_grant(
    *,
    user: User,
    role: str,
    system: IntegratedCareSystem,
    body: Body | None = None,
    granted_by: User | None = None,
) -> RoleAssignment:
    """Give ``user`` a role; granting a role they already hold changes nothing."""
    existing = RoleAssignment.objects.filter(
        user=user, role=role, system=system, body=body, revoked_at__isnull=True
    ).first()
    if existing is not None:
        return existing
    assignment = _save(
        RoleAssignment(user=user, role=role, system=system, body=body, granted_by=granted_by)
    )
    _sync_object_permissions(user=user, system=system)
    forget(user)  # a policy answer kept for this user object would now be stale
    return assignment


@transaction.atomic
def role_revoke(
    *, assignment: RoleAssignment, revoked_by: Any | None = None, version: int | None = None
) -> RoleAssignment:
    with versioned_write(assignment, version=version, by=revoked_by) as assignment:
        if assignment.revoked_at is not None:
            raise ValidationError(
                "This role was already revoked on "
                f"{timezone.localtime(assignment.revoked_at):%d %B %Y}."
            )
        assignment.revoked_at = timezone.now()
        assignment.revoked_by = revoked_by
        assignment.save(update_fields=["revoked_at", "revoked_by"])
    _sync_object_permissions(user=assignment.user, system=assignment.system)
    forget(assignment.user)
    return assignment


def _permissions(model: type[models.Model], codenames: set[str]) -> dict[str, Permission]:
    if not codenames:
        return {}
    found = Permission.objects.filter(
        content_type__app_label=model._meta.app_label,
        content_type__model=model._meta.model_name,
        codename__in=codenames,
    )
    return {p.codename: p for p in found}


def _sync_object_permissions(*, user: User, system: IntegratedCareSystem) -> None:
    """Make the user's guardian rows in ``system`` exactly what their active roles give.

    Recomputing from the assignments, rather than adding and removing single grants,
    means a revoked role never takes away a permission another active role still gives.
    """
    active = RoleAssignment.objects.filter(user=user, system=system, revoked_at__isnull=True)
    wanted_system: set[str] = set()
    wanted_body: set[tuple[int, str]] = set()
    for assignment in active:
        wanted_system |= ROLE_SYSTEM_PERMISSIONS[assignment.role]
        # Only body roles give body permissions, and a body role always has a body
        # (the role_body_matches_role constraint): the check is for the type checker.
        if assignment.body_id is not None:
            for codename in ROLE_BODY_PERMISSIONS[assignment.role]:
                wanted_body.add((assignment.body_id, codename))

    system_perms = _permissions(IntegratedCareSystem, wanted_system)
    current_system = SystemUserObjectPermission.objects.filter(user=user, content_object=system)
    current_system.exclude(permission__codename__in=wanted_system).delete()
    have = set(current_system.values_list("permission__codename", flat=True))
    SystemUserObjectPermission.objects.bulk_create(
        SystemUserObjectPermission(user=user, content_object=system, permission=system_perms[c])
        for c in sorted(wanted_system - have)
    )

    body_perms = _permissions(Body, {codename for _, codename in wanted_body})
    current_body = BodyUserObjectPermission.objects.filter(user=user, content_object__system=system)
    have_body = set(current_body.values_list("content_object_id", "permission__codename"))
    stale = have_body - wanted_body
    if stale:
        stale_q = Q()
        for body_id, codename in stale:
            stale_q |= Q(content_object_id=body_id, permission__codename=codename)
        current_body.filter(stale_q).delete()
    BodyUserObjectPermission.objects.bulk_create(
        BodyUserObjectPermission(
            user=user, content_object_id=body_id, permission=body_perms[codename]
        )
        for body_id, codename in sorted(wanted_body - have_body)
    )
