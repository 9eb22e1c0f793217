"""A proposal on the decision matrix (``proposals.on_matrix`` and its page): each item
marked in the cell it lands in, in words, in the right tense; who may open it; flat
query counts from 3 to 30 items."""

from __future__ import annotations

import re

import pytest

from delegation.models import ItemKind, Proposal
from delegation.proposals import on_matrix, services
from delegation.tests import helpers as h
from delegation.tests import proposal_helpers as p

pytestmark = pytest.mark.django_db


def _every_kind() -> Proposal:
    """A THT draft with one item of each kind the map shows."""
    proposal = p.draft()
    p.delegate(proposal, "PA-04")
    p.change_budget(proposal, "F-01", "50000000")
    by = proposal.drafted_by
    services.item_create(
        proposal=proposal, by=by, kind=ItemKind.REVOKE, entry=h.in_force("F-03", "tht")
    )
    services.item_create(
        proposal=proposal, by=by, kind=ItemKind.ADD_CONDITION, entry=h.in_force("F-02", "tht"),
        category="reporting", requirement="Report the F-02 spend to the HWBB.",
    )  # fmt: skip
    services.item_create(
        proposal=proposal, by=by, kind=ItemKind.REMOVE_CONDITION, condition=h.tht_condition()
    )
    return Proposal.objects.get(pk=proposal.pk)


def _row(html: str, code: str) -> str:
    (row,) = re.findall(rf"<tr[^>]*><th scope=\"row\"[^>]*><span[^>]*>{code}</span>.*?</tr>", html)
    return row


def _marks(row: str) -> list[str]:
    return re.findall(r'map-proposed--(\w+)"><a [^>]*><strong[^>]*>([^<]+)</strong>', row)


def test_each_item_is_marked_in_words_in_the_cell_it_changes():
    proposal = _every_kind()
    user = p.user("tht.office")
    page = on_matrix.proposal_matrix(user, proposal)
    html = str(page["table"])
    condition_code = h.tht_condition().map_entry.function.code
    assert _marks(_row(html, "PA-04")) == [("added", "Would add")]
    assert _marks(_row(html, "F-01")) == [("changed", "Would change")]
    assert "£50,000,000" in _row(html, "F-01")  # before → after, in the cell
    assert _marks(_row(html, "F-03")) == [("revoked", "Would revoke")]
    assert ("condition", "Would add a condition") in _marks(_row(html, "F-02"))
    assert ("condition", "Would remove a condition") in _marks(_row(html, condition_code))
    # Only the touched rows, the proposing body's column first.
    assert page["touched_count"] == len({"PA-04", "F-01", "F-03", "F-02", condition_code})
    assert len(re.findall(r'<th scope="row"', html)) == page["touched_count"]
    headings = re.findall(r'<th scope="col"><a href="[^"]*">([^<]+)</a>', html)
    assert headings[0] == proposal.body.name


def test_the_whole_map_keeps_every_row_and_names_the_touched_ones():
    proposal = p.with_items()
    user = p.user("tht.board")
    whole = on_matrix.proposal_matrix(user, proposal, whole=True)
    html = str(whole["table"])
    assert whole["touched_count"] == 2
    assert len(re.findall(r'<th scope="row"', html)) > 20
    assert html.count("(changed by the proposal)") == 2


def test_an_approved_proposal_says_what_it_did_and_a_rejected_one_what_it_asked():
    rejected, approved = p.recommended(), p.recommended()
    p.decide(rejected, "rejected")
    p.decide(approved, "approved")
    board = p.user("tht.board")

    html = str(on_matrix.proposal_matrix(board, Proposal.objects.get(pk=approved.pk))["table"])
    assert _marks(_row(html, "PA-04")) == [("added", "Added")]
    assert _marks(_row(html, "F-01")) == [("changed", "Changed")]
    # The cell now holds the entry the approval made, beside the mark.
    assert 'class="map-cell"' in _row(html, "PA-04")

    html = str(on_matrix.proposal_matrix(board, Proposal.objects.get(pk=rejected.pk))["table"])
    assert _marks(_row(html, "PA-04")) == [("added", "Proposed to add (rejected)")]


def test_the_page_has_a_text_key_and_is_linked_from_the_proposal(client_as):
    proposal = Proposal.objects.get(reference="THT-2026-03")
    client = client_as("tht.board")
    detail = client.get(f"/proposal/{proposal.pk}/").content.decode()
    assert f"/proposal/{proposal.pk}/matrix/" in detail
    page = client.get(f"/proposal/{proposal.pk}/matrix/").content.decode()
    for kind, label, meaning in on_matrix.LEGEND:
        assert f"map-proposed--{kind}" in page and label in page and meaning in page
    assert "Would add" in page and "Would change" in page
    assert f"/proposal/{proposal.pk}/matrix/?rows=all" in page


def test_a_viewer_reads_the_decided_proposal_but_not_the_live_map_under_it(client_as):
    decided = Proposal.objects.get(reference="THT-2026-01")
    viewer = client_as("viewer")
    detail = viewer.get(f"/proposal/{decided.pk}/")
    assert detail.status_code == 200
    assert f"/proposal/{decided.pk}/matrix/" not in detail.content.decode()
    assert viewer.get(f"/proposal/{decided.pk}/matrix/").status_code == 404


@pytest.mark.parametrize("rows", ["", "?rows=all"])
def test_queries_do_not_grow_with_the_items(client_as, rows):
    client = client_as("icb.governance")
    small, big = p.in_review(3), p.in_review(30)
    client.get(f"/proposal/{small.pk}/matrix/{rows}")  # warm the session and caches
    small_n = h.queries_of(client, f"/proposal/{small.pk}/matrix/{rows}")
    assert small_n == h.queries_of(client, f"/proposal/{big.pk}/matrix/{rows}")
