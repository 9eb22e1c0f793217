"""Demo milestones from the seed papers (seed 000: NEL ICS update to the Tower Hamlets
Health and Wellbeing Board, written in Q3 2021/22).

Two stories, one timeline. The NEL ICS transition programme is history on the paper's
own dates: it ended when the ICB was established on 1 July 2022, the day the map's
first version was approved (``governance.demo.ICB_START``). The place programmes are
work in hand: their dates are moved on by whole quarters, so that the quarter the
paper was written in becomes the quarter the demo is loaded in (see ``PaperDates``);
fixed 2021/22 dates would make every open milestone long overdue. Whatever the day,
Tower Hamlets Together then shows every RAG rating: complete; green (due next
quarter); amber (at risk); and red (an underway milestone due at the end of the
previous quarter).

``load`` is called by the demo loader after the landscape exists, and is idempotent:
a programme already present is left alone. Programme names carry no year, so a run
in a later year still finds them.

Rights come only from roles, with one deliberate exception that shows the lead rule:
"Agree proposals for form and governance" is led by the user ``tht.board``. A board
member only reads THT's milestones, but as that milestone's lead tht.board may update
that one (status, progress, dates) — and no other. The locality plan is led by a
named person who has no account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from governance.models import Body, BodyKind, IntegratedCareSystem
from ics_portal.quarters import add_quarters, parse_quarter, quarter_end, quarters_apart

from . import services
from .models import Milestone, Programme, Status, UpdateSource

ICS_PROGRAMME = "NEL ICS transition programme"
THT_PROGRAMME = "Tower Hamlets Together: next steps"
SEL_PROGRAMME = "SEL place partnership development"


def _user(username: str) -> Any | None:
    return get_user_model().objects.filter(username=username).first()


PAPER_QUARTER = parse_quarter("Q3 2021/22")


@dataclass(frozen=True)
class PaperDates:
    """The seed paper's dates, moved on to the quarter ``today`` falls in."""

    today: dt.date

    @property
    def shift(self) -> int:
        """Quarters from the one the paper was written in to the one holding ``today``."""
        return quarters_apart(PAPER_QUARTER.first_day, self.today)

    def date(self, paper_date: str) -> dt.date:
        """A date of the paper, "2021-11-30" or "Q4 2021/22" (that quarter's end), moved on."""
        if paper_date.strip().upper().startswith("Q"):
            day = quarter_end(paper_date)
        else:
            day = dt.date.fromisoformat(paper_date)
        return add_quarters(day, self.shift)

    def month(self, paper_date: str) -> str:
        """The name of the month a date of the paper moves to, for the prose."""
        return f"{self.date(paper_date):%B}"


def _function(system: IntegratedCareSystem, code: str) -> Any | None:
    """A function of the system's catalogue, when the delegation demo has loaded it."""
    from delegation.models import Function

    return Function.objects.filter(system=system, code=code).first()


def _entry(function: Any | None, body: Body) -> Any | None:
    """The map entry in force delegating ``function`` to ``body``, if there is one."""
    if function is None:
        return None
    return function.entries.filter(receiving_body=body, status="in_force").first()


@transaction.atomic
def load(*, stdout: TextIO | None = None, today: dt.date | None = None) -> None:
    when = PaperDates(today or timezone.localdate())
    nel = IntegratedCareSystem.objects.filter(slug="nel").first()
    if nel is None:
        if stdout:
            stdout.write("Milestones demo: no NEL system, skipped.\n")
        return
    made = 0
    icb = Body.objects.filter(system=nel, kind=BodyKind.ICB_BOARD).order_by("pk").first()
    # Earlier demos named this programme with its year ("… programme 2021/22"): a
    # database loaded then already has it.
    if icb and not Programme.objects.filter(system=nel, name__startswith=ICS_PROGRAMME).exists():
        made += _load_ics(nel, icb)
    tht = Body.objects.filter(system=nel, slug="tht").first()
    if tht and not Programme.objects.filter(body=tht, name=THT_PROGRAMME).exists():
        made += _load_tht(tht, when)
    sel = IntegratedCareSystem.objects.filter(slug="sel").first()
    sel_body = Body.objects.filter(system=sel).order_by("pk").first() if sel else None
    if sel_body and not Programme.objects.filter(body=sel_body, name=SEL_PROGRAMME).exists():
        made += _load_sel(sel_body, when)
    if stdout:
        stdout.write(f"Milestones demo: {made} milestones added.\n")


def _load_ics(nel: IntegratedCareSystem, icb: Body) -> int:
    """The ICS transition of seed 000, on the paper's own dates: it ended when the ICB
    was established on 1 July 2022 (the Act moved the planned April start to July),
    which is when the map's first version was approved. History, not work in hand, so
    it is not moved on like the place programmes: nothing in it contradicts the ICB and
    the map that have existed since."""
    office = _user("icb.governance")
    programme = services.programme_create(name=ICS_PROGRAMME, system=nel, lead=office)
    done = Status.COMPLETE

    def add(
        title: str, due: str, status: str = done, progress: int = 100, **extra: Any
    ) -> Milestone:
        if due.startswith("Q"):
            extra["due_by_quarter"] = True
            day = quarter_end(due)
        else:
            day = dt.date.fromisoformat(due)
        return services.milestone_create(
            programme=programme, owner_body=icb, title=title, due_date=day, status=status,
            progress=progress, by=office, source=UpdateSource.SYSTEM, **extra,
        )  # fmt: skip

    def finish(milestone: Milestone, note: str) -> Milestone:
        return services.milestone_update(
            milestone=Milestone.objects.get(pk=milestone.pk), by=office, version=None,
            status=done, progress=100, note=note, source=UpdateSource.SYSTEM,
        )  # fmt: skip

    chair = add(
        "ICB chair designate appointed", "2021-07-31", start_date=dt.date(2021, 5, 1),
        lead_name="ICS independent chair",
        description="Marie Gabriel, Independent Chair of the ICS, confirmed as ICB chair designate.",
    )  # fmt: skip
    # Recruitment is told as it happened, so its log shows the roll-up from its parts.
    recruitment = add(
        "Recruitment to ICB executive roles", "Q4 2021/22", Status.UNDERWAY, 0,
        function=_function(nel, "R-04"),
        description="Statutory roles appointed ahead of the ICB forming.",
    )  # fmt: skip
    ceo = add(
        "ICS CEO recruitment: CEO confirmed", "2021-11-30", Status.UNDERWAY, 40,
        parent=recruitment, weight=2, start_date=dt.date(2021, 8, 1),
        lead_name="ICB chair designate",
        description="The chief executive designate announced in November.",
    )  # fmt: skip
    directors = add(
        "Recruit designate finance director, medical director and director of nursing",
        "Q4 2021/22", Status.NOT_STARTED, 0, parent=recruitment, dependencies=[ceo],
        description="And other board-level roles.",
    )  # fmt: skip
    ceo = finish(ceo, "Chief executive designate announced.")
    finish(directors, "Designate directors appointed.")
    finish(recruitment, "Every statutory role filled.")
    engagement = add(
        "Engagement on the ICS NHS constitution and governance arrangements", "Q3 2021/22",
        description="For the ICS NHS body and the ICS partnership.",
    )  # fmt: skip
    commissioning = add(
        "Decisions on commissioning arrangements at system and place level", "Q4 2021/22",
        function=_function(nel, "F-01"),
        description="Commissioning functions discussed with partners and decided.",
    )  # fmt: skip
    add("Updated system development plan to NHSE", "2021-09-30")
    add(
        "Begin due diligence planning for the transfer of CCG functions", "Q2 2021/22",
        start_date=dt.date(2021, 7, 1),
        description="The CCG's functions, staff and contracts move to the ICB when it forms.",
    )  # fmt: skip
    add("Readiness to operate statement signed off by CEO", "Q1 2022/23", dependencies=[ceo])
    add(
        "Constitution approved by NHSE", "Q4 2021/22", dependencies=[engagement],
        function=_function(nel, "R-01"),
    )  # fmt: skip
    add(
        "Designate partner members and other designate ICB senior roles confirmed",
        "Q4 2021/22",
    )  # fmt: skip
    add(
        "Final functions and decision map", "2022-07-01", dependencies=[commissioning],
        description="Approved by the ICB board at its first meeting as version 1.0 of the map.",
    )  # fmt: skip
    add(
        "ICB established and the CCG closed", "2022-07-01",
        description="The Health and Care Act set the date; the ICB took on the CCG's duties.",
    )  # fmt: skip
    # A little history for the update log (the notes name no year: the log's own
    # timestamps are the day the demo was loaded).
    for milestone, note in (
        (commissioning, "Place-level discussions ran on; the decision moved to a later board."),
        (chair, "Confirmed by NHS England."),
    ):
        services.milestone_update(
            milestone=milestone, by=office, version=None, note=note, source=UpdateSource.SYSTEM
        )
    return programme.milestones.count()


def _load_tht(tht: Body, when: PaperDates) -> int:
    office = _user("tht.office")
    board = _user("tht.board")
    programme = services.programme_create(name=THT_PROGRAMME, body=tht, lead=office)

    def add(title: str, due: dt.date, status: str, progress: int = 0, **extra: Any) -> Milestone:
        return services.milestone_create(
            programme=programme,
            owner_body=tht,
            title=title,
            due_date=due,
            status=status,
            progress=progress,
            by=office,
            source=UpdateSource.SYSTEM,
            **extra,
        )

    add(
        "Further THT workshop",
        when.date("2021-11-30"),
        Status.COMPLETE,
        100,
        start_date=when.date("2021-10-01"),
        description="Partnership workshop on the ICS developments and our place model.",
    )
    form = add(
        f"Agree proposals for form and governance for {when.month('2022-04-01')} and beyond",
        when.date("Q4 2021/22"),
        Status.UNDERWAY,
        30,
        due_by_quarter=True,
        # The one milestone tht.board leads: the lead rule lets them update it.
        lead_user=board,
    )
    commissioning = _function(tht.system, "F-01")
    explore = add(
        "Explore options for delegation, including commissioning activity",
        when.date("Q4 2021/22"),
        Status.UNDERWAY,
        20,
        due_by_quarter=True,
        function=commissioning,
        map_entry=_entry(commissioning, tht),
    )
    # Late and still underway, so THT, which tht.office sees first, always has a red one.
    collaboratives = add(
        "Continue engagement in the discussion on provider collaboratives",
        when.date("Q2 2021/22"),
        Status.UNDERWAY,
        50,
        due_by_quarter=True,
        start_date=when.date("2021-07-01"),
        description="What provider collaboratives mean locally, for Tower Hamlets.",
    )
    # Due at the end of this quarter, so for its last fortnight the morning digest
    # has something due soon as well as what is overdue.
    add(
        "Engage with Browne Jacobson at a local level",
        when.date("Q3 2021/22"),
        Status.NOT_STARTED,
        due_by_quarter=True,
    )
    add(
        "Develop the locality plan with primary care, PCNs and the voluntary sector",
        when.date("2022-03-31"),
        Status.UNDERWAY,
        40,
        lead_name="Priya Shah, THT locality lead",
        description="Includes the locality development fund.",
    )
    add(
        "Maturity sign-off of the recommended form by NEL ICS",
        when.date("2022-04-30"),
        Status.NOT_STARTED,
        0,
        dependencies=[form],
        description="NEL ICS signs off the form the borough partnership asks for.",
    )
    services.milestone_update(
        milestone=explore,
        by=office,
        version=None,
        status=Status.AT_RISK,
        progress=30,
        note="Waiting for the ICS commissioning decisions before options can be costed.",
        source=UpdateSource.SYSTEM,
    )
    services.milestone_update(
        milestone=collaboratives,
        by=office,
        version=None,
        progress=60,
        note="The acute provider alliance's proposals are not yet settled; kept open.",
        source=UpdateSource.SYSTEM,
    )
    services.milestone_update(
        milestone=form,
        by=board,
        version=None,
        progress=50,
        note="Draft options paper discussed at the THT board.",
        source=UpdateSource.SYSTEM,
    )
    return programme.milestones.count()


def _load_sel(body: Body, when: PaperDates) -> int:
    office = _user("sel.governance")
    programme = services.programme_create(name=SEL_PROGRAMME, body=body, lead=office)
    services.milestone_create(
        programme=programme,
        owner_body=body,
        title="Agree the place partnership's terms of reference",
        due_date=when.date("Q4 2021/22"),
        due_by_quarter=True,
        status=Status.UNDERWAY,
        progress=20,
        by=office,
        source=UpdateSource.SYSTEM,
    )
    return 1
