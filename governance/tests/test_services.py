"""Role services keep guardian's grants exactly in step with the active assignments."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from governance import permissions, services
from governance.models import (
    Body,
    BodyUserObjectPermission,
    IntegratedCareSystem,
    Role,
    RoleAssignment,
    SystemUserObjectPermission,
)
from governance.permissions import Action


@pytest.fixture
def nel(db):
    return IntegratedCareSystem.objects.get(slug="nel")


@pytest.fixture
def tht(nel):
    return Body.objects.get(system=nel, slug="tht")


@pytest.fixture
def newcomer(db):
    return get_user_model().objects.create_user("newcomer", password="x-long-password-1")


def test_granting_a_body_role_gives_its_object_permissions(nel, tht, newcomer, persona):
    services.role_grant(
        user=newcomer,
        role=Role.PROGRAMME_OFFICE,
        system=nel,
        body=tht,
        granted_by=persona("icb.governance"),
    )
    assert permissions.can(newcomer, Action.ACT_AS_PROGRAMME_OFFICE, tht)
    assert permissions.can(newcomer, Action.VIEW, nel)
    assert set(
        BodyUserObjectPermission.objects.filter(user=newcomer).values_list(
            "permission__codename", flat=True
        )
    ) == {"view_body", "act_as_programme_office"}


def test_granting_a_role_twice_changes_nothing(nel, tht, newcomer):
    first = services.role_grant(user=newcomer, role=Role.BOARD_MEMBER, system=nel, body=tht)
    second = services.role_grant(user=newcomer, role=Role.BOARD_MEMBER, system=nel, body=tht)
    assert first.pk == second.pk
    assert RoleAssignment.objects.filter(user=newcomer).count() == 1


def test_revoking_keeps_the_record_and_removes_the_grant(nel, tht, newcomer, persona):
    assignment = services.role_grant(user=newcomer, role=Role.BOARD_MEMBER, system=nel, body=tht)
    services.role_revoke(assignment=assignment, revoked_by=persona("icb.governance"))
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None
    assert assignment.revoked_by.username == "icb.governance"
    fresh = get_user_model().objects.get(pk=newcomer.pk)
    assert not permissions.can(fresh, Action.ACT_AS_BOARD_MEMBER, tht)
    assert not permissions.can(fresh, Action.VIEW, nel)
    assert not SystemUserObjectPermission.objects.filter(user=newcomer).exists()
    assert not BodyUserObjectPermission.objects.filter(user=newcomer).exists()


def test_revoking_one_role_keeps_what_another_still_gives(nel, tht, newcomer):
    services.role_grant(user=newcomer, role=Role.PROGRAMME_OFFICE, system=nel, body=tht)
    board = services.role_grant(user=newcomer, role=Role.BOARD_MEMBER, system=nel, body=tht)
    services.role_revoke(assignment=board)
    fresh = get_user_model().objects.get(pk=newcomer.pk)
    assert permissions.can(fresh, Action.VIEW, tht)
    assert permissions.can(fresh, Action.ACT_AS_PROGRAMME_OFFICE, tht)
    assert not permissions.can(fresh, Action.ACT_AS_BOARD_MEMBER, tht)


def test_revoking_twice_is_refused(nel, tht, newcomer):
    assignment = services.role_grant(user=newcomer, role=Role.BOARD_MEMBER, system=nel, body=tht)
    services.role_revoke(assignment=assignment)
    with pytest.raises(ValidationError, match="already revoked"):
        services.role_revoke(assignment=assignment)


def test_a_revoked_role_can_be_granted_again(nel, tht, newcomer):
    first = services.role_grant(user=newcomer, role=Role.BOARD_MEMBER, system=nel, body=tht)
    services.role_revoke(assignment=first)
    again = services.role_grant(user=newcomer, role=Role.BOARD_MEMBER, system=nel, body=tht)
    assert again.pk != first.pk
    assert RoleAssignment.objects.filter(user=newcomer).count() == 2


def test_body_update_refuses_unknown_fields(tht):
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.body_update(body=tht, system_id=999)


def test_body_update_saves_valid_changes(tht):
    services.body_update(body=tht, chair_name="A. N. Other")
    tht.refresh_from_db()
    assert tht.chair_name == "A. N. Other"


def test_membership_end_records_the_date_once(tht):
    membership = tht.memberships.filter(end_date__isnull=True).first()
    services.membership_end(membership=membership, end_date=dt.date(2030, 3, 31))
    membership.refresh_from_db()
    assert membership.end_date == dt.date(2030, 3, 31)
    with pytest.raises(ValidationError, match="already ended"):
        services.membership_end(membership=membership, end_date=dt.date(2031, 3, 31))
