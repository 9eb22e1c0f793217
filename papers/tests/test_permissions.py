"""Every rule of the papers policy, allowed and denied, for each persona."""

from __future__ import annotations

import pytest

from papers import permissions
from papers.models import Paper, PaperState
from papers.permissions import Action

ALL = ("icb.governance", "tht.office", "tht.board", "newham.office", "sel.governance", "viewer")

# persona -> actions allowed on the demo draft
DRAFT = {
    "icb.governance": {Action.VIEW, Action.EDIT, Action.BUILD, Action.MARK_READY, Action.WITHDRAW},
    "tht.office": {Action.VIEW, Action.EDIT, Action.BUILD, Action.MARK_READY},
    "tht.board": {Action.VIEW},
    "newham.office": set(),
    "sel.governance": set(),
    "viewer": set(),
}
PUBLISHED = {
    "icb.governance": {Action.VIEW, Action.WITHDRAW},
    "tht.office": {Action.VIEW},
    "tht.board": {Action.VIEW},
    "newham.office": {Action.VIEW},
    "sel.governance": set(),
    "viewer": {Action.VIEW},
}


@pytest.mark.parametrize("who", ALL)
def test_rules_on_the_draft(draft, persona, who):
    allowed = {a for a in Action if permissions.can(persona(who), a, draft)}
    assert allowed == DRAFT[who]


@pytest.mark.parametrize("who", ALL)
def test_rules_on_the_published_paper(published, persona, who):
    allowed = {a for a in Action if permissions.can(persona(who), a, published)}
    assert allowed == PUBLISHED[who]


def test_publishing_is_for_the_lead_and_a_ready_paper(draft, persona):
    Paper.objects.filter(pk=draft.pk).update(state=PaperState.READY)
    draft.refresh_from_db()
    assert permissions.can(persona("icb.governance"), Action.PUBLISH, draft)
    assert not permissions.can(persona("tht.office"), Action.PUBLISH, draft)
    assert not permissions.can(persona("tht.office"), Action.EDIT, draft)
    assert permissions.can(persona("tht.office"), Action.BUILD, draft)


@pytest.mark.parametrize("who", ALL)
def test_lists_hold_what_the_rules_allow(draft, published, persona, who):
    user = persona(who)
    visible = set(permissions.visible_papers(user))
    assert (draft in visible) == (Action.VIEW in DRAFT[who])
    assert (published in visible) == (Action.VIEW in PUBLISHED[who])


def test_anonymous_and_inactive_users_may_do_nothing(draft, persona):
    from django.contrib.auth.models import AnonymousUser

    assert not permissions.can(AnonymousUser(), Action.VIEW, draft)
    office = persona("tht.office")
    office.is_active = False
    assert not permissions.can(office, Action.VIEW, draft)
    assert not permissions.visible_papers(office).exists()


def test_unknown_actions_are_denied(draft, persona):
    assert not permissions.can(persona("icb.governance"), "delete", draft)


def test_system_rules(persona, draft):
    system = draft.system
    assert permissions.may_govern_system(persona("icb.governance"), system)
    assert not permissions.may_govern_system(persona("tht.office"), system)
    assert permissions.may_read_system(persona("viewer"), system)
    assert not permissions.may_read_system(persona("sel.governance"), system)
