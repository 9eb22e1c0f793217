"""The landscape policy: each rule, allowed and denied, for the named personas."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from governance import permissions, services
from governance.models import (
    Body,
    BodyKind,
    IntegratedCareSystem,
    Membership,
    Organisation,
    Role,
    RoleAssignment,
)
from governance.permissions import Action

NEL_MEMBERS = ("icb.governance", "tht.office", "tht.board", "newham.office", "viewer")


@pytest.fixture
def nel(db):
    return IntegratedCareSystem.objects.get(slug="nel")


@pytest.fixture
def sel(db):
    return IntegratedCareSystem.objects.get(slug="sel")


@pytest.fixture
def tht(nel):
    return Body.objects.get(system=nel, slug="tht")


@pytest.fixture
def newham(nel):
    return Body.objects.get(system=nel, slug="newham")


@pytest.fixture
def draft_body(nel):
    return services.body_create(
        system=nel,
        name="Proposed test collaborative",
        kind=BodyKind.PROVIDER_COLLABORATIVE,
        is_published=False,
    )


# --- systems ---------------------------------------------------------------------


@pytest.mark.parametrize("username", NEL_MEMBERS)
def test_nel_roles_see_nel(username, persona, nel):
    assert permissions.can(persona(username), Action.VIEW, nel)


@pytest.mark.parametrize("username", NEL_MEMBERS)
def test_nel_roles_do_not_see_sel(username, persona, sel):
    assert not permissions.can(persona(username), Action.VIEW, sel)


def test_systems_list_is_exactly_the_users_systems(persona, nel, sel):
    assert list(permissions.visible(persona("tht.office"), IntegratedCareSystem)) == [nel]
    assert list(permissions.visible(persona("sel.governance"), IntegratedCareSystem)) == [sel]


def test_only_the_governance_lead_edits_the_system(persona, nel):
    assert permissions.can(persona("icb.governance"), Action.EDIT, nel)
    assert permissions.can(persona("icb.governance"), Action.MANAGE_ROLES, nel)
    for username in ("tht.office", "tht.board", "newham.office", "viewer", "sel.governance"):
        assert not permissions.can(persona(username), Action.EDIT, nel), username
        assert not permissions.can(persona(username), Action.MANAGE_ROLES, nel), username


# --- bodies ----------------------------------------------------------------------


def test_published_bodies_are_visible_to_everyone_in_the_system(persona, nel):
    published = set(Body.objects.filter(system=nel, is_published=True).values_list("pk", flat=True))
    for username in NEL_MEMBERS:
        seen = set(permissions.visible(persona(username), Body).values_list("pk", flat=True))
        assert published <= seen, username


def test_another_systems_lead_sees_no_nel_body(persona, nel):
    assert not permissions.visible(persona("sel.governance"), Body).filter(system=nel).exists()


def test_unpublished_body_is_seen_by_the_lead_and_its_own_people_only(persona, nel, draft_body):
    assert permissions.can(persona("icb.governance"), Action.VIEW, draft_body)
    for username in ("tht.office", "tht.board", "newham.office", "viewer", "sel.governance"):
        assert not permissions.can(persona(username), Action.VIEW, draft_body), username
        assert draft_body not in permissions.visible(persona(username), Body), username

    insider = get_user_model().objects.create_user("collab.office", password="x-long-pass-9")
    services.role_grant(user=insider, role=Role.PROGRAMME_OFFICE, system=nel, body=draft_body)
    assert permissions.can(insider, Action.VIEW, draft_body)
    assert draft_body in permissions.visible(insider, Body)


def test_lead_edits_every_body_in_their_system_only(persona, tht, newham, sel):
    lead = persona("icb.governance")
    assert permissions.can(lead, Action.EDIT, tht)
    assert permissions.can(lead, Action.EDIT, newham)
    sel_body = Body.objects.filter(system=sel).first()
    assert not permissions.can(lead, Action.EDIT, sel_body)
    assert not permissions.can(lead, Action.VIEW, sel_body)


@pytest.mark.parametrize("username", ["tht.office", "tht.board", "newham.office", "viewer"])
def test_nobody_but_the_lead_edits_a_body(username, persona, tht):
    assert not permissions.can(persona(username), Action.EDIT, tht)


def test_programme_office_acts_for_its_own_body_only(persona, tht, newham):
    assert permissions.can(persona("tht.office"), Action.ACT_AS_PROGRAMME_OFFICE, tht)
    assert not permissions.can(persona("tht.office"), Action.ACT_AS_PROGRAMME_OFFICE, newham)
    assert permissions.can(persona("newham.office"), Action.ACT_AS_PROGRAMME_OFFICE, newham)
    assert not permissions.can(persona("newham.office"), Action.ACT_AS_PROGRAMME_OFFICE, tht)
    assert not permissions.can(persona("tht.board"), Action.ACT_AS_PROGRAMME_OFFICE, tht)
    assert not permissions.can(persona("viewer"), Action.ACT_AS_PROGRAMME_OFFICE, tht)


def test_lead_may_act_as_any_programme_office_in_the_system(persona, tht, newham):
    assert permissions.can(persona("icb.governance"), Action.ACT_AS_PROGRAMME_OFFICE, tht)
    assert set(
        permissions.bodies_where(persona("icb.governance"), Action.ACT_AS_PROGRAMME_OFFICE)
    ) >= {tht, newham}


def test_board_member_reviews_for_its_own_body_only(persona, tht, newham):
    assert permissions.can(persona("tht.board"), Action.ACT_AS_BOARD_MEMBER, tht)
    assert not permissions.can(persona("tht.board"), Action.ACT_AS_BOARD_MEMBER, newham)
    assert not permissions.can(persona("tht.office"), Action.ACT_AS_BOARD_MEMBER, tht)
    assert list(permissions.bodies_where(persona("tht.board"), Action.ACT_AS_BOARD_MEMBER)) == [tht]


def test_bodies_where_office_is_exactly_the_users_bodies(persona, tht, newham):
    assert list(
        permissions.bodies_where(persona("tht.office"), Action.ACT_AS_PROGRAMME_OFFICE)
    ) == [tht]
    assert list(
        permissions.bodies_where(persona("newham.office"), Action.ACT_AS_PROGRAMME_OFFICE)
    ) == [newham]
    assert not permissions.bodies_where(persona("viewer"), Action.ACT_AS_PROGRAMME_OFFICE).exists()


# --- organisations, memberships, roles ----------------------------------------------


def test_organisations_follow_the_system(persona, nel, sel):
    nel_org = Organisation.objects.filter(system=nel).first()
    sel_org = Organisation.objects.filter(system=sel).first()
    assert permissions.can(persona("viewer"), Action.VIEW, nel_org)
    assert not permissions.can(persona("viewer"), Action.VIEW, sel_org)
    assert not permissions.can(persona("viewer"), Action.EDIT, nel_org)
    assert permissions.can(persona("icb.governance"), Action.EDIT, nel_org)
    assert not permissions.can(persona("sel.governance"), Action.VIEW, nel_org)


def test_memberships_follow_their_body(persona, tht, draft_body, nel):
    membership = Membership.objects.filter(body=tht).first()
    assert permissions.can(persona("tht.board"), Action.VIEW, membership)
    assert not permissions.can(persona("sel.governance"), Action.VIEW, membership)
    assert not permissions.can(persona("tht.office"), Action.EDIT, membership)
    assert permissions.can(persona("icb.governance"), Action.EDIT, membership)

    org = Organisation.objects.filter(system=nel).first()
    hidden = services.membership_create(
        body=draft_body, organisation=org, role="member", start_date="2022-07-01"
    )
    assert hidden not in permissions.visible(persona("viewer"), Membership)
    assert hidden in permissions.visible(persona("icb.governance"), Membership)


def test_role_assignments_are_seen_by_their_holder_and_the_lead(persona, nel):
    theirs = RoleAssignment.objects.get(user__username="tht.office")
    assert permissions.can(persona("tht.office"), Action.VIEW, theirs)
    assert permissions.can(persona("icb.governance"), Action.VIEW, theirs)
    assert not permissions.can(persona("tht.board"), Action.VIEW, theirs)
    assert not permissions.can(persona("sel.governance"), Action.VIEW, theirs)
    assert set(permissions.visible(persona("tht.board"), RoleAssignment)) == set(
        RoleAssignment.objects.filter(user__username="tht.board")
    )


# --- defaults --------------------------------------------------------------------


def test_anonymous_and_inactive_users_are_denied_everything(persona, nel, tht):
    anonymous = AnonymousUser()
    assert not permissions.can(anonymous, Action.VIEW, nel)
    assert not permissions.visible(anonymous, Body).exists()
    lead = persona("icb.governance")
    lead.is_active = False
    assert not permissions.can(lead, Action.VIEW, tht)
    assert not permissions.visible(lead, Body).exists()


def test_a_user_without_roles_sees_nothing(db, nel, tht):
    stranger = get_user_model().objects.create_user("stranger", password="x-long-pass-9")
    assert not permissions.can(stranger, Action.VIEW, tht)
    for model in (IntegratedCareSystem, Body, Organisation, Membership, RoleAssignment):
        assert not permissions.visible(stranger, model).exists(), model.__name__


def test_unknown_action_is_denied(persona, tht):
    assert not permissions.can(persona("icb.governance"), "delete_everything", tht)


def test_admin_is_for_superusers_only(db, persona):
    assert not permissions.may_use_admin(persona("icb.governance"))
    root = get_user_model().objects.create_superuser("root", password="x-long-pass-9")
    assert permissions.may_use_admin(root)
