"""Proposal services: the workflow's states, the atomic approval, conflicts with the
live map, positions, comments, stale edits and notices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from delegation import services as map_services
from delegation.models import (
    Condition,
    EntryStatus,
    ItemKind,
    MapEntry,
    MapVersion,
    NoticeSent,
    Proposal,
    ProposalPosition,
    ProposalTransition,
)
from delegation.proposals import approval, notifications, services, transitions
from delegation.proposals.workflow import TRANSITIONS, State
from delegation.selectors import live_rows
from delegation.tests import helpers as h
from delegation.tests import proposal_helpers as p

pytestmark = pytest.mark.django_db


def map_state():
    """Everything an approval could write, to compare before and after."""
    return (
        live_rows(h.nel()),
        MapEntry.objects.count(),
        Condition.objects.count(),
        MapVersion.objects.count(),
        list(MapEntry.objects.order_by("pk").values_list("pk", "status", "updated_at")),
    )


# --- drafting ----------------------------------------------------------------------


def test_create_gives_a_reference_and_logs_the_draft():
    proposal = p.draft()
    year = timezone.localdate().year
    assert proposal.reference.startswith(f"THT-{year}-")
    assert proposal.state == State.DRAFT
    assert proposal.log.get().to_state == State.DRAFT


def test_only_a_place_or_collaborative_proposes():
    with pytest.raises(ValidationError, match="place partnership or a provider collaborative"):
        services.proposal_create(body=p.icb_board(), title="x", drafted_by=p.user("icb.governance"))


def test_items_pass_the_map_entry_rules():
    proposal = p.draft()
    with pytest.raises(ValidationError) as error:
        p.delegate(proposal, "PA-04", level="icb_committee")
    assert "committee" in str(error.value)
    with pytest.raises(ValidationError, match="Change at least one"):
        services.item_create(
            proposal=proposal,
            by=proposal.drafted_by,
            kind=ItemKind.CHANGE,
            entry=h.in_force("F-01", "tht"),
        )
    with pytest.raises(ValidationError, match="own entries"):
        services.item_create(
            proposal=proposal,
            by=proposal.drafted_by,
            kind=ItemKind.REVOKE,
            entry=h.in_force("F-01", "newham"),
        )


def test_submit_needs_items_and_refuses_a_clash_with_an_entry_in_force():
    proposal = p.draft()
    with pytest.raises(ValidationError, match="at least one item"):
        transitions.proposal_submit(proposal=proposal, by=proposal.drafted_by)
    p.delegate(proposal, "F-02")  # THT already has F-02 in force
    with pytest.raises(ValidationError, match="already has an entry in force"):
        transitions.proposal_submit(proposal=proposal, by=proposal.drafted_by)
    assert Proposal.objects.get(pk=proposal.pk).state == State.DRAFT


def test_submit_records_what_each_item_is_based_on():
    proposal = p.submitted()
    change = proposal.items.get(kind=ItemKind.CHANGE)
    assert (
        change.based_on["delegated_budget"] == f"{h.in_force('F-01', 'tht').delegated_budget:.2f}"
    )
    assert change.based_on_updated_at == h.in_force("F-01", "tht").updated_at
    assert proposal.submitted_at is not None


# --- the workflow's states ------------------------------------------------------------

ORDER = [State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.RECOMMENDED]
BUILD = {
    State.DRAFT: p.with_items,
    State.SUBMITTED: p.submitted,
    State.IN_REVIEW: p.in_review,
    State.RECOMMENDED: p.recommended,
}


def _fire(name, proposal):
    lead = p.user("icb.governance")
    office = p.user("tht.office")
    if name == "submit":
        return transitions.proposal_submit(proposal=proposal, by=office)
    if name == "open_review":
        return transitions.proposal_open_review(
            proposal=proposal, by=lead, review_closes_on=timezone.localdate()
        )
    if name == "recommend":
        return transitions.proposal_recommend(proposal=proposal, by=lead, recommends="approved")
    if name == "decide":
        return p.decide(proposal, "deferred")
    if name == "withdraw":
        return transitions.proposal_withdraw(proposal=proposal, by=office)
    return transitions.proposal_refresh(proposal=proposal, by=lead)


@pytest.mark.parametrize("state", ORDER)
@pytest.mark.parametrize("name", sorted(TRANSITIONS))
def test_each_transition_fires_only_from_its_states(name, state):
    proposal = BUILD[state]()
    transition = TRANSITIONS[name]
    if state in transition.sources:
        _fire(name, proposal)
        proposal.refresh_from_db()
        assert proposal.state == transition.target
        last = proposal.log.order_by("-at", "-pk").first()
        assert (last.name, last.from_state, last.to_state) == (name, state, transition.target)
    else:
        before = proposal.log.count()
        with pytest.raises(ValidationError):
            _fire(name, proposal)
        proposal.refresh_from_db()
        assert proposal.state == state
        assert proposal.log.count() == before


def test_a_decided_proposal_is_frozen():
    proposal = p.recommended()
    p.decide(proposal, "rejected")
    proposal.refresh_from_db()
    for name in TRANSITIONS:
        with pytest.raises(ValidationError):
            _fire(name, proposal)
    with pytest.raises(ValidationError):
        services.proposal_update(
            proposal=proposal, by=p.user("tht.office"), version=None, title="x"
        )


def test_a_deferred_proposal_reopens_as_a_linked_draft():
    proposal = p.recommended()
    p.decide(proposal, "deferred")
    proposal.refresh_from_db()
    new = transitions.proposal_reopen(proposal=proposal, by=p.user("tht.office"))
    assert new.state == State.DRAFT and new.reopened_from == proposal
    assert new.reference != proposal.reference
    assert new.items.count() == proposal.items.count()
    with pytest.raises(ValidationError, match="already been reopened"):
        transitions.proposal_reopen(proposal=proposal, by=p.user("tht.office"))


# --- the atomic approval -------------------------------------------------------------


def test_approval_applies_every_item_and_publishes_one_version():
    proposal = p.recommended(4)
    versions = MapVersion.objects.filter(system=h.nel()).count()
    old_f01 = h.in_force("F-01", "tht")
    decision = p.decide(
        proposal,
        "approved_with_conditions",
        conditions="Quarterly report on estates to the ICB board.",
    )
    assert MapVersion.objects.filter(system=h.nel()).count() == versions + 1
    version = decision.map_version
    assert proposal.reference in version.label and proposal.reference in version.note
    assert "minute 7.2" in version.note and version.minute_reference == "7.2"
    new_pa04 = h.in_force("PA-04", "tht")
    assert new_pa04.made_by_item.proposal == proposal
    assert proposal.reference in new_pa04.notes
    new_f01 = h.in_force("F-01", "tht")
    assert new_f01.delegated_budget == Decimal("50000000")
    old_f01.refresh_from_db()
    assert old_f01.status == EntryStatus.SUPERSEDED and old_f01.superseded_by == new_f01
    assert (
        Condition.objects.filter(
            map_entry=h.in_force("F-02", "tht"), requirement__startswith="Report item"
        ).count()
        == 2
    )
    assert new_pa04.conditions.filter(requirement__startswith="Quarterly report").exists()
    keys = {r["key"] for r in version.rows}
    assert "PA-04/tht" in keys
    proposal.refresh_from_db()
    assert (proposal.state, proposal.outcome) == (State.DECIDED, "approved_with_conditions")


def test_a_failure_in_the_last_item_leaves_the_map_as_it_was(monkeypatch):
    proposal = p.recommended(3)
    before = map_state()
    real = map_services.condition_create

    def fail_on_the_last(**kw):
        if kw.get("requirement", "").startswith("Report item 0"):
            raise ValidationError("The condition store is unavailable.")
        return real(**kw)

    monkeypatch.setattr(map_services, "condition_create", fail_on_the_last)
    with pytest.raises(approval.ApprovalRefused) as refused:
        p.decide(proposal)
    assert [c.item.order for c in refused.value.conflicts] == [3]
    assert map_state() == before
    proposal.refresh_from_db()
    assert proposal.state == State.RECOMMENDED
    assert (
        not hasattr(proposal, "decision")
        or not Proposal.objects.filter(pk=proposal.pk, decision__isnull=False).exists()
    )


def _edit_f01():
    map_services.map_entry_update(
        entry=h.in_force("F-01", "tht"),
        notes="Edited by the lead.",
        delegated_budget=Decimal("49000000"),
    )


def _supersede_f01():
    map_services.map_entry_supersede(
        entry=h.in_force("F-01", "tht"), delegated_budget=Decimal("40000000")
    )


def _revoke_f01():
    map_services.map_entry_revoke(entry=h.in_force("F-01", "tht"), note="x")


def _clash_pa04():
    map_services.map_entry_create(
        function=h.function("PA-04"), level="place", receiving_body=h.body("tht"),
        effective_from=timezone.localdate(), status=EntryStatus.IN_FORCE,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "item_order", "says"),
    [
        (_edit_f01, 2, "was edited"),
        (_supersede_f01, 2, "was superseded"),
        (_revoke_f01, 2, "was revoked"),
        (_clash_pa04, 1, "already has an entry in force"),
    ],
)
def test_approval_is_refused_when_the_map_moved_under_an_item(change, item_order, says):
    proposal = p.recommended()
    change()
    before = map_state()
    with pytest.raises(approval.ApprovalRefused) as refused:
        p.decide(proposal)
    assert [c.item.order for c in refused.value.conflicts] == [item_order]
    assert says in str(refused.value)
    assert map_state() == before
    assert Proposal.objects.get(pk=proposal.pk).state == State.RECOMMENDED


def test_an_edit_conflict_says_what_changed():
    proposal = p.recommended()
    _edit_f01()
    with pytest.raises(approval.ApprovalRefused) as refused:
        p.decide(proposal)
    assert "delegated budget" in str(refused.value) and "49000000.00" in str(refused.value)


@pytest.mark.parametrize("kind", [ItemKind.CHANGE_CONDITION, ItemKind.REMOVE_CONDITION])
def test_condition_items_conflict_when_the_condition_changed(kind):
    condition = h.tht_condition()
    proposal = p.draft()
    services.item_create(
        proposal=proposal, by=proposal.drafted_by, kind=kind, condition=condition,
        **({"requirement": "Report monthly."} if kind == ItemKind.CHANGE_CONDITION else {}),
    )  # fmt: skip
    transitions.proposal_submit(proposal=proposal, by=proposal.drafted_by)
    transitions.proposal_open_review(
        proposal=proposal, by=p.user("icb.governance"), review_closes_on=timezone.localdate()
    )
    transitions.proposal_recommend(
        proposal=proposal, by=p.user("icb.governance"), recommends="approved"
    )
    map_services.condition_update(condition=condition, requirement="Changed by the lead.")
    with pytest.raises(approval.ApprovalRefused, match="condition changed"):
        p.decide(Proposal.objects.get(pk=proposal.pk))


def test_refresh_rebases_the_items_and_the_approval_then_succeeds():
    proposal = p.recommended()
    _supersede_f01()
    transitions.proposal_refresh(proposal=proposal, by=p.user("icb.governance"))
    proposal.refresh_from_db()
    assert proposal.state == State.IN_REVIEW
    assert approval.conflicts(proposal) == []
    transitions.proposal_recommend(
        proposal=proposal, by=p.user("icb.governance"), recommends="approved"
    )
    p.decide(Proposal.objects.get(pk=proposal.pk))
    assert h.in_force("F-01", "tht").delegated_budget == Decimal("50000000")
    assert proposal.recommendations.count() == 2


def test_remove_condition_keeps_the_row_but_it_binds_no_one():
    condition = h.tht_condition()
    proposal = p.draft()
    services.item_create(
        proposal=proposal,
        by=proposal.drafted_by,
        kind=ItemKind.REMOVE_CONDITION,
        condition=condition,
    )
    transitions.proposal_submit(proposal=proposal, by=proposal.drafted_by)
    transitions.proposal_open_review(
        proposal=proposal, by=p.user("icb.governance"), review_closes_on=timezone.localdate()
    )
    transitions.proposal_recommend(
        proposal=proposal, by=p.user("icb.governance"), recommends="approved"
    )
    p.decide(Proposal.objects.get(pk=proposal.pk))
    condition.refresh_from_db()
    assert condition.removed_at is not None
    rows = live_rows(h.nel())
    assert all(c["requirement"] != condition.requirement for r in rows for c in r["conditions"])


# --- review ---------------------------------------------------------------------------


def test_positions_change_until_review_closes_and_every_change_is_kept():
    proposal = p.in_review()
    board = p.user("tht.board")
    services.position_record(proposal=proposal, member=board, position="support")
    with pytest.raises(ValidationError, match="reason"):
        services.position_record(proposal=proposal, member=board, position="object")
    services.position_record(proposal=proposal, member=board, position="object", reason="Too soon.")
    services.position_record(proposal=proposal, member=board, position="object", reason="Too soon.")
    rows = list(ProposalPosition.objects.filter(proposal=proposal, member=board))
    assert [r.position for r in rows] == ["support", "object"]
    assert rows[0].replaced_at is not None and rows[1].replaced_at is None
    tally = transitions.tally(proposal)
    assert tally["counts"]["object"] == 1 and tally["responded"] == 1 and tally["board"] >= 1
    Proposal.objects.filter(pk=proposal.pk).update(
        review_closes_on=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="review closed"):
        services.position_record(
            proposal=Proposal.objects.get(pk=proposal.pk), member=board, position="support"
        )


def test_the_recommendation_carries_the_tally_as_it_stood():
    proposal = p.in_review()
    services.position_record(
        proposal=proposal,
        member=p.user("tht.board"),
        position="support_with_conditions",
        reason="If reported quarterly.",
    )
    rec = transitions.proposal_recommend(
        proposal=proposal, by=p.user("icb.governance"), recommends="approved_with_conditions"
    )
    assert rec.tally["counts"]["support_with_conditions"] == 1 and rec.tally["responded"] == 1


def test_comments_thread_and_withdraw_with_a_trace():
    proposal = p.in_review()
    item = proposal.items.first()
    board = p.user("tht.board")
    comment = services.comment_add(proposal=proposal, author=board, text="Why now?", item=item)
    reply = services.comment_add(
        proposal=proposal, author=p.user("tht.office"), text="Ready.", parent=comment
    )
    assert reply.item == item
    with pytest.raises(ValidationError):
        services.comment_withdraw(comment=comment, by=p.user("tht.office"))
    services.comment_withdraw(comment=comment, by=board)
    comment.refresh_from_db()
    assert comment.withdrawn_at is not None and comment.text == "Why now?"


# --- stale edits ---------------------------------------------------------------------


def test_a_stale_edit_is_refused_with_who_and_what():
    proposal = p.draft()
    office = p.user("tht.office")
    loaded = proposal.version
    services.proposal_update(proposal=proposal, by=office, version=loaded, title="First title")
    with pytest.raises(services.Stale) as stale:
        services.proposal_update(proposal=proposal, by=office, version=loaded, title="Second")
    assert "Okafor" in stale.value.who and "First title" in stale.value.what
    message = str(stale.value)
    assert message.startswith(f"“{proposal.reference}") and f"by {stale.value.who} " in message
    assert f"({stale.value.what})" in message and message.endswith("saved over that change.")
    assert Proposal.objects.get(pk=proposal.pk).title == "First title"


def test_a_stale_item_edit_is_refused():
    proposal = p.with_items()
    item = proposal.items.get(kind=ItemKind.CHANGE)
    office = p.user("tht.office")
    services.item_update(item=item, by=office, version=1, delegated_budget=Decimal("51000000"))
    with pytest.raises(services.Stale) as stale:
        services.item_update(item=item, by=office, version=1, delegated_budget=Decimal("52000000"))
    assert "51000000" in stale.value.what
    item.refresh_from_db()
    assert item.delegated_budget == Decimal("51000000")


# --- notices -------------------------------------------------------------------------


def test_each_notice_goes_once(django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = p.in_review()
    review = [m for m in mail.outbox if m.subject.startswith("For your review")]
    assert len(review) == 1 and "tht.board@example.org" in review[0].to
    entry = ProposalTransition.objects.get(proposal=proposal, name="open_review")
    assert notifications.send(entry.pk) == 0
    assert len([m for m in mail.outbox if m.subject.startswith("For your review")]) == 1
    assert NoticeSent.objects.filter(transition=entry).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        transitions.proposal_recommend(
            proposal=proposal, by=p.user("icb.governance"), recommends="approved"
        )
    with django_capture_on_commit_callbacks(execute=True):
        p.decide(Proposal.objects.get(pk=proposal.pk), "rejected")
    subjects = [m.subject for m in mail.outbox]
    assert sum(s.startswith("Awaiting decision") for s in subjects) == 1
    assert sum(s.startswith("Decided") for s in subjects) == 1
