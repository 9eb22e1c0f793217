"""The workflow's transitions, as services: each checks the state against
``workflow.TRANSITIONS``, writes, logs who/when/from → to/note, and queues the email the
transition sends (after the commit, so a rolled-back transition sends nothing)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.models import Body, BodyKind, Role, RoleAssignment

from ..models import (
    Decision,
    Position,
    Proposal,
    ProposalPosition,
    ProposalTransition,
    Recommendation,
)
from . import approval
from . import items as rules
from .services import claim, record_change, require_state
from .workflow import APPROVING, TRANSITIONS, Outcome, State, Transition


def log(
    proposal: Proposal, name: str, from_state: str, to_state: str, *, by: Any, note: str
) -> ProposalTransition:
    entry = ProposalTransition.objects.create(
        proposal=proposal,
        name=name,
        from_state=from_state,
        to_state=to_state,
        by=by,
        note=note.strip(),
    )
    notice = TRANSITIONS[name].notice if name in TRANSITIONS else ""
    if notice:
        from .. import tasks

        transaction.on_commit(lambda: tasks.proposal_notice.delay(entry.pk))
    return entry


def _move(
    proposal: Proposal, transition: Transition, *, by: Any, version: int | None, note: str = ""
) -> Proposal:
    current = claim(proposal, version)
    require_state(current, transition.sources, transition.label.lower().replace("the ", ""))
    old = current.state
    current.state = transition.target
    return _finish(current, transition, old, by=by, note=note)


def _finish(current: Proposal, transition: Transition, old: str, *, by: Any, note: str) -> Proposal:
    current.save()
    record_change(
        current,
        by,
        f"State: {State(old).label.lower()} → {current.get_state_display().lower()}.",
    )
    log(current, transition.name, old, current.state, by=by, note=note)
    return current


def _rebase(items: list) -> None:
    for item in items:
        item.based_on, item.based_on_updated_at = rules.snapshot(item)
        item.save(update_fields=["based_on", "based_on_updated_at", "entry"])


@transaction.atomic
def proposal_submit(
    *, proposal: Proposal, by: Any, version: int | None = None, note: str = ""
) -> Proposal:
    """Send a draft to the ICB: every item must pass its rules, and each records the
    entry it is based on as it stands now."""
    transition = TRANSITIONS["submit"]
    current = claim(proposal, version)
    require_state(current, transition.sources, "submitted")
    items = approval.load_items(current)
    if not items:
        raise ValidationError("Add at least one item: a proposal is a change to the map.")
    problems = [
        f"Item {i.order}: {m}" for i in items for ms in rules.item_errors(i).values() for m in ms
    ]
    problems += rules.proposal_item_errors(items)
    problems += [str(c) for c in approval.conflicts(current, items) if c.item.kind == "delegate"]
    if problems:
        raise ValidationError(problems)
    _rebase(items)
    old = current.state
    current.state = transition.target
    current.submitted_at = timezone.now()
    return _finish(current, transition, old, by=by, note=note)


@transaction.atomic
def proposal_open_review(
    *,
    proposal: Proposal,
    by: Any,
    review_closes_on: dt.date | None = None,
    version: int | None = None,
    note: str = "",
) -> Proposal:
    closes = review_closes_on or proposal.review_closes_on
    if closes is None or closes < timezone.localdate():
        raise ValidationError(
            {"review_closes_on": "Give the date the review closes: today or later."}
        )
    current = claim(proposal, version)
    require_state(current, TRANSITIONS["open_review"].sources, "opened for review")
    current.review_closes_on = closes
    old = current.state
    current.state = State.IN_REVIEW
    return _finish(current, TRANSITIONS["open_review"], old, by=by, note=note)


def board_size(body: Body) -> int:
    return (
        RoleAssignment.objects.filter(body=body, role=Role.BOARD_MEMBER, revoked_at__isnull=True)
        .values("user")
        .distinct()
        .count()
    )


def tally(
    proposal: Proposal, positions: list[ProposalPosition] | None = None, board: int | None = None
) -> dict[str, Any]:
    """Counts by position and how many of the board have responded (``board``: its size,
    when the caller has counted it already)."""
    if positions is None:
        positions = list(proposal.positions.filter(replaced_at__isnull=True))
    current = [p for p in positions if p.replaced_at is None]
    counts = Counter(p.position for p in current)
    return {
        "counts": {value: counts.get(value, 0) for value in Position.values},
        "responded": len({p.member_id for p in current}),
        "board": board_size(proposal.body) if board is None else board,
    }


@transaction.atomic
def proposal_recommend(
    *,
    proposal: Proposal,
    by: Any,
    recommends: str,
    note: str = "",
    version: int | None = None,
) -> Recommendation:
    """The board's recommendation, recorded with the tally as it stands; closes review."""
    if recommends not in Outcome.values:
        raise ValidationError({"recommends": "Choose what the board recommends."})
    current = _move(proposal, TRANSITIONS["recommend"], by=by, version=version, note=note)
    return Recommendation.objects.create(
        proposal=current,
        recommends=recommends,
        note=note.strip(),
        tally=tally(current),
        recorded_by=by,
    )


def _check_decision(
    proposal: Proposal, outcome: str, deciding_body: Body, meeting_date: Any, minute: str,
    conditions: str,
) -> None:  # fmt: skip
    errors: dict[str, str] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "Choose the outcome."
    if deciding_body.system_id != proposal.system_id or not (
        deciding_body.kind == BodyKind.ICB_BOARD
        or (deciding_body.kind == BodyKind.COMMITTEE and deciding_body.parent_id is not None
            and deciding_body.parent.kind == BodyKind.ICB_BOARD)
    ):  # fmt: skip
        errors["deciding_body"] = "The ICB board or one of its committees decides."
    if meeting_date is None:
        errors["meeting_date"] = "Give the date of the meeting that decided."
    elif meeting_date > timezone.localdate():
        errors["meeting_date"] = "The meeting date cannot be in the future."
    if not minute.strip():
        errors["minute_reference"] = "Give the minute reference, e.g. 7.2."
    if outcome == Outcome.APPROVED_WITH_CONDITIONS and not conditions.strip():
        errors["conditions"] = "List the conditions attached, one a line."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def proposal_decide(
    *,
    proposal: Proposal,
    by: Any,
    outcome: str,
    deciding_body: Body,
    meeting_date: dt.date,
    minute_reference: str,
    conditions: str = "",
    note: str = "",
    version: int | None = None,
) -> Decision:
    """Record the ICB's decision. An approval applies every item and publishes a map
    version in the same transaction; if the map moved under any item the whole
    decision is refused (``approval.ApprovalRefused``) and nothing is written."""
    _check_decision(proposal, outcome, deciding_body, meeting_date, minute_reference, conditions)
    current = claim(proposal, version)
    require_state(current, TRANSITIONS["decide"].sources, "decided")
    decision = Decision.objects.create(
        proposal=current,
        outcome=outcome,
        deciding_body=deciding_body,
        meeting_date=meeting_date,
        minute_reference=minute_reference.strip(),
        conditions=conditions.strip() if outcome in APPROVING else "",
        note=note.strip(),
        recorded_by=by,
    )
    if outcome in APPROVING:
        decision.map_version = approval.apply(current, decision, by)
        decision.save(update_fields=["map_version"])
    old = current.state
    current.state = State.DECIDED
    current.outcome = outcome
    _finish(
        current,
        TRANSITIONS["decide"],
        old,
        by=by,
        note=f"{decision.get_outcome_display()}: {decision.citation}. {note}".strip(),
    )
    return decision


@transaction.atomic
def proposal_withdraw(
    *, proposal: Proposal, by: Any, note: str = "", version: int | None = None
) -> Proposal:
    return _move(proposal, TRANSITIONS["withdraw"], by=by, version=version, note=note)


@transaction.atomic
def proposal_refresh(
    *, proposal: Proposal, by: Any, note: str = "", version: int | None = None
) -> Proposal:
    """Take the live map as the items' new basis and send the proposal back to review.

    An item whose entry was superseded now points at its successor; one whose entry
    was revoked keeps pointing at it, and stays listed as a conflict.
    """
    current = claim(proposal, version)
    require_state(current, TRANSITIONS["refresh"].sources, "refreshed")
    items = approval.load_items(current)
    for item in items:
        if item.entry_id and item.entry.status == "superseded":
            item.entry = approval._live(item.entry)
    _rebase(items)
    old = current.state
    current.state = State.IN_REVIEW
    return _finish(
        current,
        TRANSITIONS["refresh"],
        old,
        by=by,
        note=note or "Items refreshed against the live map.",
    )


@transaction.atomic
def proposal_reopen(*, proposal: Proposal, by: Any) -> Proposal:
    """A deferred proposal comes back as a new draft, linked to it, with its items."""
    from .services import proposal_create

    require_state(proposal, {State.DECIDED}, "reopened")
    if proposal.outcome != Outcome.DEFERRED:
        raise ValidationError("Only a deferred proposal can be reopened.")
    if proposal.reopened_as.exists():
        raise ValidationError(f"{proposal.reference} has already been reopened.")
    new = proposal_create(
        body=proposal.body,
        title=proposal.title,
        drafted_by=by,
        reopened_from=proposal,
        summary=proposal.summary,
        rationale=proposal.rationale,
        readiness_evidence=proposal.readiness_evidence,
        readiness_links=proposal.readiness_links,
        current_form=proposal.current_form,
        requested_form=proposal.requested_form,
    )
    for item in proposal.items.order_by("order", "pk"):
        item.pk = None
        item.proposal = new
        item.based_on = item.based_on_updated_at = None
        item.result_entry = item.result_condition = None
        item.version = 1
        item.save()
    return new
