"""The landscape's own rules: what makes no sense is refused with a clear message."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance import services
from governance.models import Body, BodyKind, GovernanceForm, OrganisationKind, Role, RoleAssignment


@pytest.fixture
def nel(db):
    return Body.objects.get(system__slug="nel", slug="tht").system


@pytest.fixture
def sel_place(db):
    return Body.objects.filter(system__slug="sel", kind=BodyKind.PLACE_PARTNERSHIP).first()


def messages(error: ValidationError, field: str) -> str:
    return " ".join(error.message_dict[field])


def test_pcn_under_another_systems_place_is_refused(nel, sel_place):
    with pytest.raises(ValidationError) as caught:
        services.body_create(system=nel, name="Stray PCN", kind=BodyKind.PCN, parent=sel_place)
    assert "same system" in messages(caught.value, "parent")
    assert not Body.objects.filter(name="Stray PCN").exists()


def test_pcn_under_its_own_place_is_accepted(nel):
    tht = Body.objects.get(system=nel, slug="tht")
    pcn = services.body_create(system=nel, name="New Test PCN", kind=BodyKind.PCN, parent=tht)
    assert pcn.parent == tht


def test_pcn_must_sit_under_a_place(nel):
    icb = Body.objects.get(system=nel, kind=BodyKind.ICB_BOARD)
    with pytest.raises(ValidationError) as caught:
        services.body_create(system=nel, name="PCN under ICB", kind=BodyKind.PCN, parent=icb)
    assert "place-based partnership" in messages(caught.value, "parent")


def test_parent_cycle_is_refused(nel):
    tht = Body.objects.get(system=nel, slug="tht")
    group = services.body_create(system=nel, name="Cycle A", kind=BodyKind.COMMITTEE, parent=tht)
    sub = services.body_create(system=nel, name="Cycle B", kind=BodyKind.COMMITTEE, parent=group)
    with pytest.raises(ValidationError) as caught:
        services.body_update(body=group, parent=sub)
    assert "loop" in messages(caught.value, "parent")
    group.refresh_from_db()
    assert group.parent == tht


def test_own_parent_is_refused(nel):
    tht = Body.objects.get(system=nel, slug="tht")
    group = services.body_create(system=nel, name="Selfish", kind=BodyKind.COMMITTEE, parent=tht)
    with pytest.raises(ValidationError) as caught:
        services.body_update(body=group, parent=group)
    assert "own parent" in messages(caught.value, "parent")


def test_form_on_a_kind_without_one_is_refused(nel):
    tht = Body.objects.get(system=nel, slug="tht")
    with pytest.raises(ValidationError) as caught:
        services.body_create(
            system=nel,
            name="PCN with a form",
            kind=BodyKind.PCN,
            parent=tht,
            current_form=GovernanceForm.JOINT_COMMITTEE,
        )
    assert "has no governance form" in messages(caught.value, "current_form")


def test_form_on_a_place_is_accepted(nel):
    body = services.body_create(
        system=nel,
        name="Test place",
        kind=BodyKind.PLACE_PARTNERSHIP,
        current_form=GovernanceForm.CONSULTATIVE_FORUM,
        target_form=GovernanceForm.JOINT_COMMITTEE,
    )
    assert body.get_target_form_display() == "Joint committee"


def test_accountability_stays_within_the_system(nel, sel_place):
    with pytest.raises(ValidationError) as caught:
        services.body_create(
            system=nel, name="Odd place", kind=BodyKind.PLACE_PARTNERSHIP, accountable_to=sel_place
        )
    assert "within the system" in messages(caught.value, "accountable_to")


def test_body_slug_is_unique_within_a_system(nel):
    with pytest.raises(ValidationError):
        services.body_create(system=nel, name="Another THT", slug="tht", kind=BodyKind.COMMITTEE)


def test_membership_cannot_cross_systems(nel, sel_place):
    org = services.organisation_create(
        system=nel, name="Test Trust", kind=OrganisationKind.NHS_TRUST
    )
    with pytest.raises(ValidationError) as caught:
        services.membership_create(
            body=sel_place, organisation=org, role="member", start_date=dt.date(2022, 7, 1)
        )
    assert "partner in" in messages(caught.value, "organisation")


def test_membership_cannot_end_before_it_starts(nel):
    tht = Body.objects.get(system=nel, slug="tht")
    org = services.organisation_create(system=nel, name="Short Trust", kind="nhs_trust")
    with pytest.raises(ValidationError) as caught:
        services.membership_create(
            body=tht,
            organisation=org,
            role="member",
            start_date=dt.date(2022, 7, 1),
            end_date=dt.date(2022, 6, 1),
        )
    assert "end before" in messages(caught.value, "end_date")


def test_membership_end_date_constraint_holds_in_the_database(nel):
    tht = Body.objects.get(system=nel, slug="tht")
    org = services.organisation_create(system=nel, name="DB Trust", kind="nhs_trust")
    with pytest.raises(IntegrityError), transaction.atomic():
        tht.memberships.create(
            organisation=org,
            role="member",
            start_date=dt.date(2022, 7, 1),
            end_date=dt.date(2022, 6, 1),
        )


def test_ods_code_format_is_checked(nel):
    with pytest.raises(ValidationError) as caught:
        services.organisation_create(system=nel, name="Bad ODS", kind="nhs_trust", ods_code="r1h!")
    assert "ODS code" in messages(caught.value, "ods_code")


def test_body_role_needs_a_body(nel, persona):
    with pytest.raises(ValidationError) as caught:
        services.role_grant(user=persona("viewer"), role=Role.PROGRAMME_OFFICE, system=nel)
    assert "held for a body" in messages(caught.value, "body")


def test_system_role_refuses_a_body(nel, persona):
    tht = Body.objects.get(system=nel, slug="tht")
    with pytest.raises(ValidationError) as caught:
        services.role_grant(user=persona("viewer"), role=Role.GOVERNANCE_LEAD, system=nel, body=tht)
    assert "whole system" in messages(caught.value, "body")


def test_role_body_must_be_in_the_roles_system(nel, sel_place, persona):
    with pytest.raises(ValidationError) as caught:
        services.role_grant(
            user=persona("viewer"), role=Role.BOARD_MEMBER, system=nel, body=sel_place
        )
    assert "not part of" in messages(caught.value, "body")
    assert not RoleAssignment.objects.filter(body=sel_place, user__username="viewer").exists()
