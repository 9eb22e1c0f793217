"""Proposal rules: who reads which proposal, who may do what in each state, and list
endpoints and pages returning exactly the permitted ids for each persona."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from delegation import permissions
from delegation.models import Proposal
from delegation.proposals.workflow import TRANSITIONS
from delegation.tests import proposal_helpers as p

pytestmark = pytest.mark.django_db

PERSONAS = (
    "icb.governance",
    "tht.office",
    "tht.board",
    "newham.office",
    "sel.governance",
    "viewer",
)


@pytest.fixture
def proposals():
    """A THT draft and a THT submitted proposal, besides the demo's three."""
    refs = {
        r: Proposal.objects.get(reference=r)
        for r in ("THT-2026-01", "THT-2026-03", "NEWHAM-2026-01")
    }
    return {
        "tht_draft": p.with_items(),
        "tht_submitted": p.submitted(),
        "decided": refs["THT-2026-01"],
        "review": refs["THT-2026-03"],
        "newham_draft": refs["NEWHAM-2026-01"],
    }


SEES = {
    "tht.office": {"tht_draft", "tht_submitted", "decided", "review"},
    "tht.board": {"tht_submitted", "decided", "review"},
    "icb.governance": {"tht_submitted", "decided", "review"},
    "newham.office": {"newham_draft", "decided"},
    "viewer": {"decided"},
    "sel.governance": set(),
}


@pytest.mark.parametrize("username", PERSONAS)
def test_api_list_holds_exactly_what_each_persona_may_read(username, proposals, api_as):
    response = api_as(username).get("/api/v1/proposals/?page_size=500")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {proposals[name].pk for name in SEES[username]}


@pytest.mark.parametrize("username", [u for u in PERSONAS if u != "sel.governance"])
def test_the_system_list_page_shows_the_same(username, proposals, client_as):
    response = client_as(username).get("/proposals/nel/")
    assert {x.pk for x in response.context["proposals"]} == {
        proposals[name].pk for name in SEES[username]
    }


@pytest.mark.parametrize("username", PERSONAS)
def test_detail_answers_404_for_what_a_persona_may_not_read(username, proposals, api_as):
    client = api_as(username)
    for name, proposal in proposals.items():
        status = client.get(f"/api/v1/proposals/{proposal.pk}/").status_code
        assert status == (200 if name in SEES[username] else 404), name


def test_nobody_anonymous_sees_anything(proposals):
    assert not permissions.visible_proposals(AnonymousUser()).exists()
    assert not permissions.can(AnonymousUser(), "view", proposals["decided"])


# Who may fire each transition, in a state it starts from.
FIRES = {
    "submit": {"tht.office"},
    "withdraw": {"tht.office"},
    "open_review": {"icb.governance"},
    "recommend": {"icb.governance"},
    "decide": {"icb.governance"},
    "refresh": {"icb.governance"},
}
STATE_OF = {
    "submit": p.with_items,
    "withdraw": p.in_review,
    "open_review": p.submitted,
    "recommend": p.in_review,
    "decide": p.recommended,
    "refresh": p.recommended,
}


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_each_transition_is_allowed_to_its_role_only(name, persona):
    proposal = STATE_OF[name]()
    for username in PERSONAS:
        assert permissions.can(persona(username), name, proposal) == (username in FIRES[name]), (
            username
        )


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        ("comment", {"tht.office", "tht.board", "icb.governance"}),
        ("position", {"tht.board"}),
        ("edit", set()),
        ("view", {"tht.office", "tht.board", "icb.governance"}),
    ],
)
def test_review_activities(action, allowed, persona, proposals):
    for username in PERSONAS:
        assert permissions.can(persona(username), action, proposals["review"]) == (
            username in allowed
        ), username


def test_only_the_office_edits_and_only_a_draft(persona, proposals):
    for username in PERSONAS:
        assert permissions.can(persona(username), "edit", proposals["tht_draft"]) == (
            username == "tht.office"
        )
    assert not permissions.can(persona("tht.office"), "edit", proposals["tht_submitted"])


def test_a_board_member_sees_no_draft_and_the_lead_none_either(persona, proposals):
    for username in ("tht.board", "icb.governance"):
        assert not permissions.can(persona(username), "view", proposals["tht_draft"])


def test_another_office_cannot_comment_or_read_by_id(client_as, proposals):
    client = client_as("newham.office")
    review = proposals["review"]
    assert client.get(f"/proposal/{review.pk}/").status_code == 404
    response = client.post(f"/proposal/{review.pk}/comment/", {"text": "x"})
    assert response.status_code == 404


def test_a_comment_on_an_item_of_another_proposal_is_404(client_as, proposals):
    other_item = proposals["tht_submitted"].items.first()
    response = client_as("tht.board").post(
        f"/proposal/{proposals['review'].pk}/comment/", {"text": "x", "item": other_item.pk}
    )
    assert response.status_code == 404


def test_api_item_fields_are_scoped_to_the_body(api_as, proposals):
    from delegation.tests import helpers as h

    response = api_as("tht.office").post(
        f"/api/v1/proposals/{proposals['tht_draft'].pk}/items/",
        {"kind": "revoke", "entry": h.in_force("F-01", "newham").pk},
        format="json",
    )
    assert response.status_code == 400
    assert "entry" in response.json()["error"]["fields"]
