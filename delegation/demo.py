"""Demo functions and decision map for NEL (rich) and SEL (small).

Called by ``manage.py load_demo`` after the landscape demo. Idempotent: a system that
already has a map is left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from governance.models import Body, BodyKind, GovernanceForm, IntegratedCareSystem
from ics_portal.quarters import Quarter, quarter_of

from . import services
from .models import (
    AssessmentKind,
    AssessmentStatus,
    ConditionCategory,
    DecisionRight,
    EntryStatus,
    Function,
    Level,
    MapEntry,
    MapVersion,
)

ICB_GROUP = "ICB functions that may be delegated to place"
RESERVED_GROUP = "Reserved to the ICB board"
PLACE_AREAS_GROUP = "Areas each place agrees with the ICB"

# (code, name, group, statutory basis, description) — from seed 000 and the ICS design
# framework. Reserved functions first, as a scheme of reservation and delegation lists them.
RESERVED = [
    (
        "R-01",
        "Approval of the ICB constitution and standing orders",
        "NHS Act 2006 s.14Z25 and Sch.1B",
        "Changes to the constitution go to NHS England after board approval.",
    ),
    (
        "R-02",
        "Annual plan, financial plan and capital allocations",
        "NHS Act 2006 s.14Z56 and s.223GC",
        "The system's financial plan and the split of capital between partners.",
    ),
    (
        "R-03",
        "Joint forward plan",
        "NHS Act 2006 s.14Z52",
        "The five-year plan agreed with partner trusts and councils.",
    ),
    ("R-04", "Appointment of ICB executive and partner members", "NHS Act 2006 Sch.1B", ""),
]
ICB_FUNCTIONS = [
    (
        "F-01",
        "Commissioning of specified services",
        "NHS Act 2006 s.3 and s.65Z5",
        "Commissioning functions for specified services, for the place area.",
    ),
    (
        "F-02",
        "Communications and engagement",
        "NHS Act 2006 s.14Z45",
        "Public involvement and communications for the place area.",
    ),
    (
        "F-03",
        "Contracting and financial management",
        "NHS Act 2006 s.65Z5; s.75 pooled budgets",
        "Contracting and financial management, including control of a delegated budget.",
    ),
    ("F-04", "Service planning, transformation and delivery management", "NHS Act 2006 s.65Z5", ""),
    (
        "F-05",
        "Strategic planning",
        "NHS Act 2006 s.14Z52",
        "The place's contribution to the joint forward plan.",
    ),
    ("F-06", "Quality, risk and financial monitoring and management", "NHS Act 2006 s.14Z34", ""),
]
KINGS_FUND = [
    (
        "Understanding and working with communities",
        [
            ("KF-01", "Developing an in-depth understanding of local needs"),
            ("KF-02", "Connecting with communities"),
        ],
    ),
    (
        "Joining up and co-ordinating services around people's needs",
        [
            ("KF-03", "Jointly planning and co-ordinating services"),
            ("KF-04", "Driving service transformation"),
        ],
    ),
    (
        "Addressing social and economic factors that influence health and wellbeing",
        [
            ("KF-05", "Collectively focusing on the wider determinants of health"),
            ("KF-06", "Mobilising communities and building community leadership"),
            ("KF-07", "Harnessing partners' economic influence as anchor institutions"),
        ],
    ),
    (
        "Supporting quality and sustainability of local services",
        [
            ("KF-08", "Supporting the best use of financial resources"),
            ("KF-09", "Supporting local workforce development and deployment"),
            ("KF-10", "Driving improvement through oversight of quality and performance"),
        ],
    ),
]
PLACE_AREAS = [
    ("PA-01", "Quality and performance"),
    ("PA-02", "Finance"),
    ("PA-03", "Public and patient involvement"),
    ("PA-04", "Clinical and care professional leadership model"),
    ("PA-05", "Strategic estates planning"),
    ("PA-06", "Delivery of the place strategy"),
]

MILLION = Decimal("1000000")


def _catalogue(system: IntegratedCareSystem, *, small: bool = False) -> dict[str, Function]:
    existing = {f.code: f for f in Function.objects.filter(system=system)}
    order = 0

    def add(code: str, name: str, group: str, basis: str = "", description: str = "") -> None:
        nonlocal order
        order += 10
        if code not in existing:
            existing[code] = services.function_create(
                system=system,
                code=code,
                name=name,
                group=group,
                statutory_basis=basis,
                description=description,
                display_order=order,
            )

    for code, name, basis, description in RESERVED[: 2 if small else None]:
        add(code, name, RESERVED_GROUP, basis, description)
    for code, name, basis, description in ICB_FUNCTIONS[: 3 if small else None]:
        add(code, name, ICB_GROUP, basis, description)
    if not small:
        for group, functions in KINGS_FUND:
            for code, name in functions:
                add(code, name, group)
        for code, name in PLACE_AREAS:
            add(code, name, PLACE_AREAS_GROUP)
    return existing


def _form(body: Body, default: str = GovernanceForm.COMMITTEE) -> str:
    return body.current_form or default


def _user(username: str) -> Any | None:
    return get_user_model().objects.filter(username=username).first()


@transaction.atomic
def _load_nel(system: IntegratedCareSystem, stdout: TextIO) -> None:
    if MapEntry.objects.filter(function__system=system).exists():
        stdout.write(f"  {system.short_name} map already loaded\n")
        return
    f = _catalogue(system)
    bodies = Body.objects.filter(system=system)
    board = bodies.filter(kind=BodyKind.ICB_BOARD).first()
    places = list(bodies.filter(kind=BodyKind.PLACE_PARTNERSHIP).order_by("name"))
    collaboratives = list(
        bodies.filter(kind=BodyKind.PROVIDER_COLLABORATIVE, is_published=True).order_by("name")
    )
    # Quality oversight sits with the board's quality committee where there is one.
    icb_committees = sorted(
        bodies.filter(kind=BodyKind.COMMITTEE, parent__kind=BodyKind.ICB_BOARD),
        key=lambda b: ("quality" not in b.slug, b.name),
    )
    tht = bodies.filter(slug="tht").first()
    lead = _user("icb.governance")
    office = _user("tht.office")
    start = dt.date(2022, 7, 1)
    # Reviewed at the end of the financial year the demo is loaded in: a fixed year
    # would put every delegation overdue for review once that year has passed.
    this_year = quarter_of(timezone.localdate()).start_year
    review = Quarter(this_year, 4).last_day
    year = Quarter(this_year, 1).financial_year

    def entry(code: str, level: str, body: Body | None = None, **kw: Any) -> MapEntry:
        if kw.get("governance_form") == GovernanceForm.CONSULTATIVE_FORUM:
            # A consultative forum advises; the ICB keeps the decision and the money.
            kw.update(
                decision_right=DecisionRight.RECOMMENDS,
                delegated_budget=Decimal("0"),
                financial_limit=None,
            )
        return services.map_entry_create(
            function=f[code],
            level=level,
            receiving_body=body,
            effective_from=kw.pop("effective_from", start),
            review_by=kw.pop("review_by", review),
            status=EntryStatus.IN_FORCE,
            created_by=lead,
            **kw,
        )

    for code, *_ in RESERVED:
        entry(code, Level.RESERVED)
    entry("F-05", Level.RESERVED, notes="Each place contributes; the ICB board decides.")

    if icb_committees:
        entry(
            "F-06",
            Level.ICB_COMMITTEE,
            icb_committees[0],
            decision_right=DecisionRight.DECIDES,
            notes="System-wide quality and risk oversight.",
        )
    elif board is not None:
        entry("F-06", Level.INDIVIDUAL, board, governance_form="", notes="Chief nursing officer.")

    tht_entries: dict[str, MapEntry] = {}
    for place in places:
        rich = place == tht
        budget = Decimal("48.2") if rich else Decimal("21.5")
        tht_or = tht_entries if rich else {}
        tht_or["F-01"] = entry(
            "F-01",
            Level.PLACE,
            place,
            governance_form=_form(place),
            delegated_budget=budget * MILLION,
            financial_limit=Decimal("5") * MILLION,
            notes="Community health services and the Better Care Fund schemes.",
        )
        tht_or["F-04"] = entry("F-04", Level.PLACE, place, governance_form=_form(place))
        entry(
            "KF-03",
            Level.PLACE,
            place,
            governance_form=_form(place),
            decision_right=DecisionRight.RECOMMENDS,
        )
        if rich:
            tht_or["F-02"] = entry("F-02", Level.PLACE, place, governance_form=_form(place))
            tht_or["F-03"] = entry(
                "F-03",
                Level.PLACE,
                place,
                governance_form=_form(place),
                delegated_budget=Decimal("126.5") * MILLION,
                financial_limit=Decimal("10") * MILLION,
                notes="Includes the s.75 pooled budget with the council.",
            )
            for code in ("KF-01", "KF-02", "KF-04", "KF-08", "KF-10", "PA-01", "PA-03", "PA-06"):
                entry(code, Level.PLACE, place, governance_form=_form(place))
            entry(
                "KF-09",
                Level.PLACE,
                place,
                governance_form=_form(place),
                decision_right=DecisionRight.CONSULTED,
            )

    for i, collaborative in enumerate(collaboratives):
        entry(
            "F-04",
            Level.COLLABORATIVE,
            collaborative,
            governance_form=_form(collaborative, GovernanceForm.JOINT_COMMITTEE),
            delegated_budget=(Decimal("12") + i * 3) * MILLION,
            notes="Elective recovery and pathway redesign across the trusts.",
        )
        entry(
            "F-06",
            Level.COLLABORATIVE,
            collaborative,
            governance_form=_form(collaborative, GovernanceForm.JOINT_COMMITTEE),
            decision_right=DecisionRight.RECOMMENDS,
        )

    today = timezone.localdate()
    if tht is not None:
        plan = [
            (
                "F-01",
                ConditionCategory.OUTCOMES,
                "Report progress against the THT outcomes framework each quarter.",
                "Quarterly outcomes dashboard to the ICB board.",
                today - dt.timedelta(days=45),
                [AssessmentStatus.PARTLY_MET],
                AssessmentStatus.PARTLY_MET,
            ),
            (
                "F-01",
                ConditionCategory.DELIVERY,
                f"Deliver the community services plan agreed for {year}.",
                "Delivery plan with milestones and RAG.",
                today + dt.timedelta(days=60),
                [AssessmentStatus.MET],
                None,  # self-assessed met; the ICB has not assured it yet
            ),
            (
                "F-03",
                ConditionCategory.RESOURCES,
                "Manage the delegated budget within the agreed control total.",
                "Monthly finance report signed by the place finance lead.",
                today - dt.timedelta(days=20),
                [],
                None,
            ),
            (
                "F-03",
                ConditionCategory.REPORTING,
                "Report spend against the s.75 pooled budget to the HWBB twice a year.",
                "HWBB paper.",
                today + dt.timedelta(days=120),
                [AssessmentStatus.NOT_MET, AssessmentStatus.PARTLY_MET],
                AssessmentStatus.NOT_MET,  # the ICB is not yet assured
            ),
            (
                "F-04",
                ConditionCategory.QUALITY,
                "Keep a place quality and risk register reviewed at every partnership board.",
                "Risk register and minutes.",
                today - dt.timedelta(days=90),
                [AssessmentStatus.MET],
                AssessmentStatus.MET,
            ),
            (
                "F-04",
                ConditionCategory.PERFORMANCE,
                "Meet the NHS constitutional standards for community waiting times.",
                "Monthly performance pack.",
                today + dt.timedelta(days=30),
                [],
                None,
            ),
            (
                "F-02",
                ConditionCategory.INFORMATION_GOVERNANCE,
                "Hold a data-sharing agreement covering all partners.",
                "Signed agreement.",
                today - dt.timedelta(days=10),
                [],
                None,
            ),
        ]
        for code, category, requirement, evidence, due, assessments, assured in plan:
            target = tht_entries.get(code)
            if target is None:
                continue
            condition = services.condition_create(
                map_entry=target,
                category=category,
                requirement=requirement,
                evidence_expected=evidence,
                owner_body=tht,
                due_date=due,
            )
            # The place says how it is doing; the ICB then assures (or not) what it says.
            for kind, who, statuses in (
                (AssessmentKind.SELF, office, assessments),
                (AssessmentKind.ASSURED, lead, [assured] if assured else []),
            ):
                for status in statuses:
                    if who is None:
                        break
                    services.condition_assess(
                        condition=condition,
                        kind=kind,
                        status=status,
                        assessed_by=who,
                        note=""
                        if status == AssessmentStatus.MET
                        else "Evidence incomplete; resubmitting."
                        if kind == AssessmentKind.SELF
                        else "Not yet assured: the evidence does not cover every partner.",
                        evidence_link="https://www.towerhamletstogether.com/",
                    )
    for place in places:
        if place == tht:
            continue
        first = MapEntry.objects.filter(
            receiving_body=place, function=f["F-01"], status=EntryStatus.IN_FORCE
        ).first()
        if first is not None:
            services.condition_create(
                map_entry=first,
                category=ConditionCategory.RESOURCES,
                requirement="Manage the delegated budget within the agreed control total.",
                owner_body=place,
                due_date=today + dt.timedelta(days=75),
            )

    if board is not None and lead is not None:
        first = services.map_version_publish(
            system=system,
            label="v1.0",
            approved_by=board,
            meeting_date=dt.date(2022, 7, 1),
            minute_reference="ICB/2022/07/08",
            published_by=lead,
        )
        # Approved at the ICB's first meeting and published that day, not the day the
        # demo was loaded (which would put it beside the versions approved since).
        MapVersion.objects.filter(pk=first.pk).update(
            published_at=timezone.make_aware(dt.datetime(2022, 7, 1, 17))
        )
        # Live changes since v1.0: THT's budget grows, a new KF-05 delegation is
        # proposed, and one place's recommending role is withdrawn.
        if "F-03" in tht_entries:
            services.map_entry_supersede(
                entry=tht_entries["F-03"],
                delegated_budget=Decimal("131.75") * MILLION,
                notes=f"Budget uplift agreed for {year}.",
                created_by=lead,
            )
        if tht is not None:
            services.map_entry_create(
                function=f["KF-05"],
                level=Level.PLACE,
                receiving_body=tht,
                governance_form=_form(tht),
                effective_from=today + dt.timedelta(days=30),
                status=EntryStatus.PROPOSED,
                created_by=lead,
            )
        other = next((p for p in places if p != tht), None)
        if other is not None:
            withdrawn = MapEntry.objects.get(
                receiving_body=other, function=f["KF-03"], status=EntryStatus.IN_FORCE
            )
            services.map_entry_revoke(entry=withdrawn, note="Folded into F-04.")
    stdout.write(
        f"  {system.short_name} map: {len(f)} functions, "
        f"{MapEntry.objects.filter(function__system=system).count()} entries\n"
    )


@transaction.atomic
def _load_sel(system: IntegratedCareSystem, stdout: TextIO) -> None:
    if MapEntry.objects.filter(function__system=system).exists():
        return
    f = _catalogue(system, small=True)
    start = dt.date(2022, 7, 1)
    for code in ("R-01", "R-02"):
        services.map_entry_create(
            function=f[code],
            level=Level.RESERVED,
            effective_from=start,
            status=EntryStatus.IN_FORCE,
        )
    place = Body.objects.filter(system=system, kind=BodyKind.PLACE_PARTNERSHIP).first()
    if place is not None:
        entry = services.map_entry_create(
            function=f["F-01"],
            level=Level.PLACE,
            receiving_body=place,
            governance_form=_form(place),
            delegated_budget=Decimal("30") * MILLION,
            effective_from=start,
            status=EntryStatus.IN_FORCE,
        )
        services.condition_create(
            map_entry=entry,
            category=ConditionCategory.OUTCOMES,
            requirement="Report outcomes to the SEL ICB board each quarter.",
            owner_body=place,
            due_date=timezone.localdate() - dt.timedelta(days=5),
        )
    stdout.write(f"  {system.short_name} map: {len(f)} functions\n")


def load(*, stdout: TextIO) -> None:
    for slug, loader in (("nel", _load_nel), ("sel", _load_sel)):
        system = IntegratedCareSystem.objects.filter(slug=slug).first()
        if system is None:
            stdout.write(f"  no {slug} system: its map is skipped\n")
            continue
        loader(system, stdout)
    from .proposals import demo as proposals_demo

    proposals_demo.load(stdout=stdout)
