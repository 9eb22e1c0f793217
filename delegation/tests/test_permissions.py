"""The map's policy, per persona: allowed and denied side by side."""

import pytest

from delegation import permissions
from delegation.permissions import Action
from delegation.tests import helpers as h

LIVE_READERS = ("icb.governance", "tht.office", "tht.board", "newham.office")
NOT_LIVE = ("viewer", "sel.governance")


@pytest.mark.parametrize("username", LIVE_READERS)
def test_roles_in_a_body_read_the_live_map(username, persona):
    user = persona(username)
    assert permissions.can(user, Action.VIEW, h.in_force("F-01", "tht"))
    assert permissions.can(user, Action.VIEW, h.tht_condition())
    assert permissions.can(user, Action.VIEW, h.function("F-01"))
    assert permissions.visible_map_entries(user).filter(function__system=h.nel()).exists()


@pytest.mark.parametrize("username", NOT_LIVE)
def test_viewer_and_other_system_do_not_read_the_live_map(username, persona):
    user = persona(username)
    assert not permissions.can(user, Action.VIEW, h.in_force("F-01", "tht"))
    assert not permissions.can(user, Action.VIEW, h.tht_condition())
    assert not permissions.visible_map_entries(user).filter(function__system=h.nel()).exists()
    assert (
        not permissions.visible_conditions(user)
        .filter(map_entry__function__system=h.nel())
        .exists()
    )


def test_viewer_reads_published_versions_other_system_does_not(persona):
    assert permissions.can(persona("viewer"), Action.VIEW, h.v1())
    assert not permissions.can(persona("sel.governance"), Action.VIEW, h.v1())
    assert (
        not permissions.visible_map_versions(persona("sel.governance"))
        .filter(system=h.nel())
        .exists()
    )
    assert permissions.visible_map_versions(persona("viewer")).filter(pk=h.v1().pk).exists()


@pytest.mark.parametrize(
    "username", ("tht.office", "tht.board", "newham.office", "viewer", "sel.governance")
)
def test_only_the_governance_lead_edits_and_publishes(username, persona):
    user = persona(username)
    assert not permissions.can(user, Action.EDIT, h.in_force("F-01", "tht"))
    assert not permissions.can(user, Action.EDIT, h.function("F-01"))
    assert not permissions.can(user, Action.EDIT, h.tht_condition())
    assert not permissions.can(user, Action.PUBLISH, h.nel())


def test_governance_lead_edits_and_publishes_own_system_only(persona):
    lead = persona("icb.governance")
    assert permissions.can(lead, Action.EDIT, h.in_force("F-01", "tht"))
    assert permissions.can(lead, Action.EDIT, h.function("F-01"))
    assert permissions.can(lead, Action.PUBLISH, h.nel())
    assert not permissions.can(lead, Action.PUBLISH, h.sel())
    assert not permissions.can(lead, Action.VIEW, h.sel_entry())
    assert not permissions.can(persona("sel.governance"), Action.EDIT, h.in_force("F-01", "tht"))
    assert permissions.can(persona("sel.governance"), Action.EDIT, h.sel_entry())


def test_owner_programme_office_assesses_its_own_conditions_only(persona):
    office = persona("tht.office")
    assert permissions.can(office, Action.ASSESS, h.tht_condition())
    assert not permissions.can(office, Action.ASSESS, h.newham_condition())
    newham = persona("newham.office")
    assert permissions.can(newham, Action.ASSESS, h.newham_condition())
    assert not permissions.can(newham, Action.ASSESS, h.tht_condition())
    assert set(
        permissions.assessable_conditions(office).values_list("owner_body__slug", flat=True)
    ) == {"tht"}


@pytest.mark.parametrize("username", ("tht.board", "viewer", "sel.governance"))
def test_others_may_not_assess(username, persona):
    assert not permissions.can(persona(username), Action.ASSESS, h.tht_condition())


def test_governance_lead_may_assess_any_condition_of_the_system(persona):
    lead = persona("icb.governance")
    assert permissions.can(lead, Action.ASSESS, h.tht_condition())
    assert permissions.can(lead, Action.ASSESS, h.newham_condition())
    assert not permissions.can(lead, Action.ASSESS, h.sel_condition())


def test_anonymous_sees_nothing(db):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser()
    assert not permissions.visible_functions(user).exists()
    assert not permissions.visible_map_versions(user).exists()
    assert not permissions.can(user, Action.VIEW, h.v1())


def test_published_versions_are_never_editable(persona):
    assert not permissions.can(persona("icb.governance"), Action.EDIT, h.v1())


def test_unknown_action_is_denied(persona):
    assert not permissions.can(persona("icb.governance"), "delete", h.in_force("F-01", "tht"))


def test_entries_naming_an_unpublished_body_stay_hidden(persona):
    import datetime as dt

    from delegation import services
    from delegation.models import Level
    from governance.models import Body

    hidden = Body.objects.filter(
        system__slug="nel", is_published=False, kind="provider_collaborative"
    ).first()
    entry = services.map_entry_create(
        function=h.function("KF-09"),
        level=Level.COLLABORATIVE,
        receiving_body=hidden,
        effective_from=dt.date(2025, 4, 1),
    )
    lead, board = persona("icb.governance"), persona("tht.board")
    assert permissions.can(lead, Action.VIEW, entry)
    assert permissions.visible_map_entries(lead).filter(pk=entry.pk).exists()
    assert not permissions.can(board, Action.VIEW, entry)
    assert not permissions.visible_map_entries(board).filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("icb.governance", True),
        ("tht.office", True),
        ("tht.board", True),
        ("newham.office", False),
        ("viewer", False),
        ("sel.governance", False),
    ],
)
def test_a_proposed_entry_is_read_only_by_those_who_read_its_bodys_drafts(username, sees, persona):
    from delegation.models import EntryStatus, MapEntry

    proposed = MapEntry.objects.get(
        function__system__slug="nel", receiving_body__slug="tht", status=EntryStatus.PROPOSED
    )
    user = persona(username)
    assert permissions.can(user, Action.VIEW, proposed) is sees
    assert permissions.visible_map_entries(user).filter(pk=proposed.pk).exists() is sees
    # Newham's office still reads THT's entries in force: only the draft is private.
    assert permissions.can(persona("newham.office"), Action.VIEW, h.in_force("F-01", "tht"))
