"""Building proposals for tests: a THT draft with items, and moving it along."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from delegation.models import ItemKind, Level, Proposal, ProposalItem
from delegation.proposals import services, transitions
from delegation.tests import helpers as h

TODAY = timezone.localdate


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def draft(title: str = "Estates and wider determinants", body: str = "tht") -> Proposal:
    office = user("tht.office" if body == "tht" else "newham.office")
    return services.proposal_create(
        body=h.body(body), title=title, drafted_by=office, summary="Two more functions."
    )


def delegate(proposal: Proposal, code: str, budget: str = "2000000", **kw: Any) -> ProposalItem:
    return services.item_create(
        proposal=proposal,
        by=proposal.drafted_by,
        kind=ItemKind.DELEGATE,
        function=h.function(code),
        level=kw.pop("level", Level.PLACE),
        governance_form=proposal.body.current_form or "committee",
        delegated_budget=Decimal(budget),
        effective_from=kw.pop("effective_from", TODAY() + dt.timedelta(days=30)),
        rationale="Ready: see the maturity assessment.",
        **kw,
    )


def change_budget(proposal: Proposal, code: str, budget: str) -> ProposalItem:
    return services.item_create(
        proposal=proposal,
        by=proposal.drafted_by,
        kind=ItemKind.CHANGE,
        entry=h.in_force(code, proposal.body.slug),
        delegated_budget=Decimal(budget),
    )


def with_items(n: int = 2, *, title: str = "Estates and wider determinants") -> Proposal:
    """A THT draft: a delegation of PA-04, a budget change on F-01, then conditions."""
    proposal = draft(title)
    delegate(proposal, "PA-04")
    change_budget(proposal, "F-01", "50000000")
    for i in range(n - 2):
        services.item_create(
            proposal=proposal,
            by=proposal.drafted_by,
            kind=ItemKind.ADD_CONDITION,
            entry=h.in_force("F-02", "tht"),
            category="reporting",
            requirement=f"Report item {i} to the HWBB.",
        )
    return Proposal.objects.get(pk=proposal.pk)


def submitted(n: int = 2) -> Proposal:
    proposal = with_items(n)
    return transitions.proposal_submit(proposal=proposal, by=user("tht.office"))


def in_review(n: int = 2) -> Proposal:
    proposal = submitted(n)
    return transitions.proposal_open_review(
        proposal=proposal,
        by=user("icb.governance"),
        review_closes_on=TODAY() + dt.timedelta(days=14),
    )


def recommended(n: int = 2) -> Proposal:
    proposal = in_review(n)
    transitions.proposal_recommend(
        proposal=proposal, by=user("icb.governance"), recommends="approved", note="Supported."
    )
    return Proposal.objects.get(pk=proposal.pk)


def decide(proposal: Proposal, outcome: str = "approved", **kw: Any):
    return transitions.proposal_decide(
        proposal=proposal,
        by=user("icb.governance"),
        outcome=outcome,
        deciding_body=kw.pop("deciding_body", None) or icb_board(),
        meeting_date=kw.pop("meeting_date", TODAY()),
        minute_reference=kw.pop("minute_reference", "7.2"),
        **kw,
    )


def icb_board():
    return h.body_of_kind("icb_board")
