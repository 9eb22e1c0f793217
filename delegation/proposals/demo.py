"""Demo proposals for NEL, from seed 000's questions (what a place asks of the ICB):

- THT-2026-01, decided: THT took on strategic estates planning; its approval published
  a map version.
- THT-2026-03, in review: commissioning of specified community services and a larger
  delegated budget for Tower Hamlets Together as a committee of the ICB, with conditions
  on accountability for outcomes, delivery, resources, quality and performance. Two
  board members have commented and given positions; ``tht.board`` has not yet.
- NEWHAM-2026-01: a Newham draft.

Idempotent: a proposal whose reference exists is left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.utils import timezone

from governance import services as landscape_services
from governance.models import Body, BodyKind, GovernanceForm, IntegratedCareSystem, Role
from ics_portal.quarters import Quarter, quarter_of

from ..models import EntryStatus, Function, ItemKind, Level, MapEntry, Proposal
from . import services, transitions

MILLION = Decimal("1000000")
# Board members of THT besides the persona tht.board, so the tally has something in it.
# They cannot sign in: no usable password.
BOARD = [("tht.chair", "Amina", "Begum"), ("tht.vcs", "Gareth", "Hughes")]


def _user(username: str) -> Any:
    return get_user_model().objects.filter(username=username).first()


def _board_members(system: IntegratedCareSystem, tht: Body) -> list[Any]:
    people = []
    for username, first, last in BOARD:
        user = _user(username)
        if user is None:
            user = get_user_model()(
                username=username, first_name=first, last_name=last,
                email=f"{username}@example.org",
            )  # fmt: skip
            user.set_unusable_password()
            user.save()
        landscape_services.role_grant(user=user, role=Role.BOARD_MEMBER, system=system, body=tht)
        people.append(user)
    return people


def _entry(code: str, body: Body) -> MapEntry | None:
    return MapEntry.objects.filter(
        function__system=body.system, function__code=code, receiving_body=body,
        status=EntryStatus.IN_FORCE,
    ).first()  # fmt: skip


def _review(proposal: Proposal, lead: Any, office: Any, closes: dt.date) -> Proposal:
    transitions.proposal_submit(proposal=proposal, by=office)
    return transitions.proposal_open_review(
        proposal=Proposal.objects.get(pk=proposal.pk), by=lead, review_closes_on=closes
    )


def _decided(system: IntegratedCareSystem, tht: Body, lead: Any, office: Any, board: list) -> None:
    f = Function.objects.filter(system=system, code="PA-05").first()
    if f is None or _entry("PA-05", tht) is not None:
        return
    today = timezone.localdate()
    proposal = services.proposal_create(
        body=tht, reference="THT-2026-01", drafted_by=office,
        title="Strategic estates planning for Tower Hamlets",
        summary="THT asks to lead strategic estates planning for the borough, with the "
        "council and the trusts, as its estates board already does in practice.",
        rationale="One estates plan for health and care in Tower Hamlets (seed 000: "
        "'what functions will the ICB delegate to place?').",
    )  # fmt: skip
    services.item_create(
        proposal=proposal, by=office, kind=ItemKind.DELEGATE, function=f, level=Level.PLACE,
        governance_form=tht.current_form or GovernanceForm.COMMITTEE, decision_right="decides",
        effective_from=today - dt.timedelta(days=30), review_by=dt.date(today.year + 2, 3, 31),
        rationale="The estates board reports to THT already.",
    )  # fmt: skip
    proposal = _review(proposal, lead, office, today)
    for member in board:
        services.position_record(proposal=proposal, member=member, position="support")
    transitions.proposal_recommend(
        proposal=proposal, by=lead, recommends="approved", note="The board supports it."
    )
    icb_board = Body.objects.get(system=system, kind=BodyKind.ICB_BOARD)
    meeting = today - dt.timedelta(days=30)
    transitions.proposal_decide(
        proposal=Proposal.objects.get(pk=proposal.pk), by=lead, outcome="approved",
        deciding_body=icb_board, meeting_date=meeting,
        minute_reference=f"ICB/{meeting:%Y}/{meeting:%m} 7.2",
    )  # fmt: skip
    _backdate(proposal, meeting)


def _backdate(proposal: Proposal, meeting: dt.date) -> None:
    """The workflow ran just now, but the story is of a proposal decided at a meeting
    a month ago: drafted, submitted, reviewed and recommended before that meeting, and
    the map version it made published the day after. Demo data only."""
    from ..models import (
        Decision,
        MapVersion,
        ProposalChange,
        ProposalPosition,
        ProposalTransition,
        Recommendation,
    )

    def at(days_before: int, hour: int = 10) -> dt.datetime:
        day = meeting - dt.timedelta(days=days_before)
        return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))

    steps = {"draft": 45, "submitted": 42, "in_review": 40, "recommended": 9, "decided": 0}
    for step in ProposalTransition.objects.filter(proposal=proposal):
        ProposalTransition.objects.filter(pk=step.pk).update(at=at(steps.get(step.to_state, 0)))
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=at(45), submitted_at=at(42), review_closes_on=meeting - dt.timedelta(days=12)
    )
    ProposalChange.objects.filter(proposal=proposal).update(changed_at=at(45))
    ProposalPosition.objects.filter(proposal=proposal).update(recorded_at=at(20))
    Recommendation.objects.filter(proposal=proposal).update(recorded_at=at(9))
    Decision.objects.filter(proposal=proposal).update(recorded_at=at(0, 17))
    MapVersion.objects.filter(label__contains=proposal.reference).update(published_at=at(-1))


def _in_review(
    system: IntegratedCareSystem, tht: Body, lead: Any, office: Any, board: list
) -> None:
    f01 = _entry("F-01", tht)
    pa02 = Function.objects.filter(system=system, code="PA-02").first()
    if f01 is None or pa02 is None or _entry("PA-02", tht) is not None:
        return
    today = timezone.localdate()
    # The next financial year's first day.
    april = Quarter(quarter_of(today).start_year + 1, 1).first_day
    proposal = services.proposal_create(
        body=tht, reference="THT-2026-03", drafted_by=office,
        title="Commissioning of community services as a committee of the ICB",
        summary="We ask the ICB to delegate commissioning of specified community services "
        "to Tower Hamlets Together, as a committee of the ICB, with a delegated budget of "
        "£52.6m and finance for the place.",
        rationale="Seed 000 asks what the ICB will delegate to place, with what budget, and "
        "how THT will be held to account. THT already runs the community services "
        "contract and the Better Care Fund.",
        readiness_evidence="Maturity self-assessment (October), s.75 agreement with the "
        "council, THT finance and performance reports.",
        readiness_links="https://www.towerhamletstogether.com/",
        current_form=tht.current_form, requested_form=GovernanceForm.COMMITTEE,
    )  # fmt: skip
    add = services.item_create
    add(proposal=proposal, by=office, kind=ItemKind.CHANGE, entry=f01,
        delegated_budget=Decimal("52.6") * MILLION, governance_form=GovernanceForm.COMMITTEE,
        rationale="Community health services and BCF schemes in one budget.")  # fmt: skip
    add(proposal=proposal, by=office, kind=ItemKind.DELEGATE, function=pa02, level=Level.PLACE,
        governance_form=GovernanceForm.COMMITTEE, decision_right="decides",
        delegated_budget=Decimal("4.5") * MILLION, effective_from=april,
        review_by=dt.date(april.year + 2, 3, 31),
        rationale="Finance for the place: contracting and monitoring the place budget.")  # fmt: skip
    for category, requirement in [
        ("outcomes", "Accountability for outcomes: report against the THT outcomes "
         "framework to the ICB board each quarter."),
        ("delivery", "Deliver the community services plan with milestones reported monthly."),
        ("quality", "Keep a place quality and risk register reviewed at every board."),
        ("performance", "Meet the NHS standards for community waiting times."),
    ]:  # fmt: skip
        add(proposal=proposal, by=office, kind=ItemKind.ADD_CONDITION, entry=f01,
            category=category, requirement=requirement, due_date=april)  # fmt: skip
    add(proposal=proposal, by=office, kind=ItemKind.ADD_CONDITION, function=pa02,
        category="resources", due_date=april,
        requirement="Manage the delegated budget within the agreed control total.")  # fmt: skip
    proposal = _review(proposal, lead, office, today + dt.timedelta(days=14))
    first, second = list(proposal.items.order_by("order")[:2])
    chair, vcs = board
    c = services.comment_add(proposal=proposal, author=chair, item=first,
        text="Is the £4.4m uplift recurrent, or one year of non-recurrent money?")  # fmt: skip
    services.comment_add(proposal=proposal, author=office, parent=c,
        text="Recurrent: it follows the community services contract.")  # fmt: skip
    services.comment_add(proposal=proposal, author=vcs, item=second,
        text="Voluntary sector partners should sit on the finance group.")  # fmt: skip
    services.comment_add(proposal=proposal, author=lead,
        text="The ICB board meets on the second Thursday; papers a week before.")  # fmt: skip
    services.position_record(proposal=proposal, member=chair, position="support")
    services.position_record(proposal=proposal, member=vcs,
        position="support_with_conditions", reason="If the VCS sits on the finance group.")  # fmt: skip


def _newham_draft(system: IntegratedCareSystem) -> None:
    newham = Body.objects.filter(system=system, slug="newham").first()
    office = _user("newham.office")
    kf06 = Function.objects.filter(system=system, code="KF-06").first()
    if newham is None or office is None or kf06 is None:
        return
    proposal = services.proposal_create(
        body=newham, reference="NEWHAM-2026-01", drafted_by=office,
        title="Mobilising communities and community leadership",
        summary="Newham asks to lead community mobilisation with the council.",
    )  # fmt: skip
    services.item_create(
        proposal=proposal, by=office, kind=ItemKind.DELEGATE, function=kf06, level=Level.PLACE,
        governance_form=newham.current_form or GovernanceForm.CONSULTATIVE_FORUM,
        decision_right="recommends", effective_from=timezone.localdate() + dt.timedelta(days=90),
    )  # fmt: skip


def load(*, stdout: TextIO) -> None:
    system = IntegratedCareSystem.objects.filter(slug="nel").first()
    tht = Body.objects.filter(system__slug="nel", slug="tht").first()
    lead, office = _user("icb.governance"), _user("tht.office")
    if system is None or tht is None or lead is None or office is None:
        stdout.write("  no NEL, THT or personas: demo proposals skipped\n")
        return
    board = _board_members(system, tht)
    refs = set(Proposal.objects.filter(system=system).values_list("reference", flat=True))
    if "THT-2026-01" not in refs:
        _decided(system, tht, lead, office, board)
    if "THT-2026-03" not in refs:
        _in_review(system, tht, lead, office, board)
    if "NEWHAM-2026-01" not in refs:
        _newham_draft(system)
    stdout.write(f"  NEL proposals: {Proposal.objects.filter(system=system).count()}\n")
