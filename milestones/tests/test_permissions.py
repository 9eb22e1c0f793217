"""The milestones policy: each rule allowed and denied, per persona."""

import pytest

from milestones import permissions
from milestones.models import Milestone, Programme
from milestones.permissions import Action

NEL_READERS = ("icb.governance", "tht.office", "tht.board", "newham.office", "viewer")


@pytest.mark.parametrize("username", NEL_READERS)
def test_everyone_with_a_role_in_nel_reads_tht_milestones(username, persona, tht_milestone):
    user = persona(username)
    assert permissions.can(user, Action.VIEW, tht_milestone)
    assert permissions.can(user, Action.VIEW, tht_milestone.programme)
    assert tht_milestone in permissions.visible_milestones(user)


def test_another_system_sees_nothing_of_nel(persona, tht_milestone):
    sel = persona("sel.governance")
    assert not permissions.can(sel, Action.VIEW, tht_milestone)
    assert not permissions.can(sel, Action.VIEW, tht_milestone.programme)
    visible = permissions.visible_milestones(sel)
    assert visible.exists()
    assert not visible.filter(owner_body__system__slug="nel").exists()
    assert not permissions.visible_programmes(sel).filter(body__system__slug="nel").exists()


def test_nel_sees_nothing_of_sel(persona):
    sel_milestone = Milestone.objects.get(owner_body__system__slug="sel")
    for username in NEL_READERS:
        assert not permissions.can(persona(username), Action.VIEW, sel_milestone), username


def test_anonymous_sees_nothing(tht_milestone):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), Action.VIEW, tht_milestone)
    assert not permissions.visible_milestones(AnonymousUser()).exists()


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("tht.office", True),
        ("icb.governance", True),
        ("tht.board", False),
        ("newham.office", False),
        ("viewer", False),
        ("sel.governance", False),
    ],
)
def test_who_edits_and_updates_a_tht_milestone(username, allowed, persona, tht_milestone):
    user = persona(username)
    assert permissions.can(user, Action.EDIT, tht_milestone) is allowed
    assert permissions.can(user, Action.UPDATE, tht_milestone) is allowed
    assert (tht_milestone in permissions.updatable_milestones(user)) is allowed
    assert (tht_milestone in permissions.editable_milestones(user)) is allowed


def test_the_lead_updates_only_the_milestone_they_lead(persona, led_by_board, tht_milestone):
    board = persona("tht.board")
    assert permissions.can(board, Action.UPDATE, led_by_board)
    assert not permissions.can(board, Action.EDIT, led_by_board)
    assert not permissions.can(board, Action.UPDATE, tht_milestone)
    assert list(permissions.updatable_milestones(board)) == [led_by_board]


def test_newham_office_edits_no_ics_milestone(persona):
    ics = Milestone.objects.filter(programme__system__slug="nel").first()
    assert not permissions.can(persona("newham.office"), Action.UPDATE, ics)
    assert permissions.can(persona("icb.governance"), Action.UPDATE, ics)


@pytest.mark.parametrize(
    ("username", "tht_programme_allowed", "ics_programme_allowed"),
    [
        ("icb.governance", True, True),
        ("tht.office", True, False),
        ("tht.board", False, False),
        ("newham.office", False, False),
        ("viewer", False, False),
        ("sel.governance", False, False),
    ],
)
def test_who_adds_milestones_to_a_programme(
    username, tht_programme_allowed, ics_programme_allowed, persona, tht_programme
):
    user = persona(username)
    ics = Programme.objects.get(system__slug="nel")
    assert permissions.can(user, Action.ADD_MILESTONE, tht_programme) is tht_programme_allowed
    assert permissions.can(user, Action.ADD_MILESTONE, ics) is ics_programme_allowed


def test_unknown_action_is_denied(persona, tht_milestone):
    assert not permissions.can(persona("icb.governance"), "delete", tht_milestone)
