import calendar
import datetime as dt
import io

import pytest
from django.utils import timezone

from ics_portal.quarters import quarter_of
from milestones import demo
from milestones.models import Milestone, MilestoneUpdate, Programme
from milestones.rag import Rag, rag_of

# Days at and around quarter and year ends, and a leap day.
DAYS = [
    dt.date(2026, 10, 1),
    dt.date(2026, 11, 30),
    dt.date(2026, 12, 31),
    dt.date(2027, 1, 1),
    dt.date(2027, 3, 31),
    dt.date(2027, 4, 1),
    dt.date(2028, 2, 29),
]
PAPER_DATES = [
    "2021-05-01",
    "2021-07-01",
    "2021-07-31",
    "2021-08-01",
    "2021-09-30",
    "2021-10-01",
    "2021-11-30",
    "2022-03-31",
    "2022-04-30",
    "Q2 2021/22",
    "Q3 2021/22",
    "Q4 2021/22",
]


def _month_end(day: dt.date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def _load_afresh(today: dt.date) -> list[Milestone]:
    """The demo loaded as on ``today``: renaming the session's demo programmes makes
    ``load`` build new ones, all inside the test's transaction."""
    names = [demo.ICS_PROGRAMME, demo.THT_PROGRAMME, demo.SEL_PROGRAMME]
    Programme.objects.filter(name__in=names).update(name="Earlier demo")
    demo.load(today=today)
    return list(
        Milestone.objects.filter(programme__name__in=names, owner_body__system__slug="nel")
        .select_related("owner_body")
        .order_by("due_date")
    )


def test_demo_is_idempotent(db):
    before = (Programme.objects.count(), Milestone.objects.count(), MilestoneUpdate.objects.count())
    out = io.StringIO()
    demo.load(stdout=out)
    assert "0 milestones added" in out.getvalue()
    after = (Programme.objects.count(), Milestone.objects.count(), MilestoneUpdate.objects.count())
    assert after == before


def test_demo_is_idempotent_in_a_later_year(db):
    before = (Programme.objects.count(), Milestone.objects.count(), MilestoneUpdate.objects.count())
    demo.load(today=timezone.localdate() + dt.timedelta(days=400))
    after = (Programme.objects.count(), Milestone.objects.count(), MilestoneUpdate.objects.count())
    assert after == before
    assert not any("20" in name for name in Programme.objects.values_list("name", flat=True))


def test_demo_finds_the_programme_an_earlier_demo_named_with_its_year(db):
    Programme.objects.filter(name=demo.ICS_PROGRAMME).update(name=f"{demo.ICS_PROGRAMME} 2021/22")
    before = Milestone.objects.count()
    demo.load()
    assert Milestone.objects.count() == before
    assert not Programme.objects.filter(name=demo.ICS_PROGRAMME).exists()


def test_demo_content(tht):
    ics = Programme.objects.get(name=demo.ICS_PROGRAMME)
    assert ics.system.slug == "nel" and ics.body is None
    assert Milestone.objects.get(title="ICB chair designate appointed").status == "complete"
    assert {m.owner_body.kind for m in ics.milestones.all()} == {"icb_board"}
    tht_ms = Milestone.objects.filter(programme__name=demo.THT_PROGRAMME)
    assert set(tht_ms.values_list("owner_body", flat=True)) == {tht.pk}
    assert tht_ms.get(lead_user__username="tht.board").title.startswith("Agree proposals")
    assert tht_ms.get(title__startswith="Develop the locality plan").lead_name
    statuses = set(Milestone.objects.values_list("status", flat=True))
    assert {"complete", "underway", "at_risk", "not_started"} <= statuses
    assert MilestoneUpdate.objects.exclude(note="").count() >= 4


def test_demo_links_milestones_to_the_decision_map(tht):
    explore = Milestone.objects.get(title__startswith="Explore options for delegation")
    assert explore.function.code == "F-01" and explore.function.system == tht.system
    assert explore.map_entry.receiving_body == tht
    constitution = Milestone.objects.get(title="Constitution approved by NHSE")
    assert constitution.function.code == "R-01"
    recruitment = Milestone.objects.get(title="Recruitment to ICB executive roles")
    assert recruitment.function.code == "R-04"


def test_demo_shows_every_rag_today(db):
    nel = Milestone.objects.filter(owner_body__system__slug="nel")
    assert {m.rag for m in nel} >= {Rag.COMPLETE, Rag.GREEN, Rag.AMBER, Rag.RED}
    assert Rag.RED in {m.rag for m in nel.filter(owner_body__slug="tht")}


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_demo_shows_every_rag_whatever_the_day(db, today):
    milestones = _load_afresh(today)
    rags = {m.title: rag_of(m.status, m.due_date, today=today) for m in milestones}
    assert set(rags.values()) >= {Rag.COMPLETE, Rag.GREEN, Rag.AMBER, Rag.RED}
    tht = [m for m in milestones if m.owner_body.slug == "tht"]
    assert Rag.RED in {rags[m.title] for m in tht}
    # The paper's quarter becomes today's: the workshop of November falls in it.
    workshop = next(m for m in tht if m.title == "Further THT workshop")
    assert quarter_of(workshop.due_date) == quarter_of(today)
    # Prose that names a month or a year follows the dates.
    form = next(m for m in tht if m.lead_user and m.lead_user.username == "tht.board")
    assert f"{demo.PaperDates(today).date('2022-04-01'):%B}" in form.title
    assert not any("2021" in m.description or "2022" in m.description for m in milestones)


@pytest.mark.parametrize("today", [dt.date(2026, 12, 31), dt.date(2027, 3, 20)], ids=str)
def test_tht_has_something_due_soon_late_in_a_quarter(db, today):
    """The morning digest then lists what is due soon, not only what is overdue."""
    tht = [m for m in _load_afresh(today) if m.owner_body.slug == "tht"]
    soon = [m for m in tht if m.is_open and today <= m.due_date <= today + dt.timedelta(days=14)]
    assert soon


@pytest.mark.parametrize("today", DAYS, ids=str)
@pytest.mark.parametrize("paper_date", PAPER_DATES)
def test_dates_move_by_whole_quarters_keeping_month_ends(today, paper_date):
    when = demo.PaperDates(today)
    was = demo.PaperDates(dt.date(2021, 11, 15)).date(paper_date)  # the paper's quarter
    now = when.date(paper_date)
    months = (now.year - was.year) * 12 + now.month - was.month
    assert months == 3 * when.shift
    assert _month_end(now) == _month_end(was)
    if not _month_end(was):
        assert now.day == was.day
    if was == quarter_of(was).last_day:
        assert now == quarter_of(now).last_day


@pytest.mark.parametrize(
    ("today", "shift", "paper_date", "expected"),
    [
        (dt.date(2021, 12, 31), 0, "2021-11-30", dt.date(2021, 11, 30)),
        (dt.date(2026, 10, 1), 20, "Q4 2021/22", dt.date(2027, 3, 31)),
        (dt.date(2027, 1, 1), 21, "2021-11-30", dt.date(2027, 2, 28)),
        (dt.date(2027, 1, 1), 21, "Q4 2021/22", dt.date(2027, 6, 30)),
        (dt.date(2027, 4, 1), 22, "2021-09-30", dt.date(2027, 3, 31)),
        (dt.date(2028, 2, 29), 25, "2021-11-30", dt.date(2028, 2, 29)),
        (dt.date(2028, 2, 29), 25, "2021-05-01", dt.date(2027, 8, 1)),
    ],
)
def test_dates_on_known_days(today, shift, paper_date, expected):
    when = demo.PaperDates(today)
    assert when.shift == shift and when.date(paper_date) == expected


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_the_ics_transition_ends_when_the_icb_was_established(db, today):
    """One timeline: the ICB (and the map's first version) date from 1 July 2022, so
    the transition that led to it is complete by then, whatever the day of loading."""
    from delegation.models import MapVersion
    from governance.models import Membership

    _load_afresh(today)
    ics = Milestone.objects.filter(programme__name=demo.ICS_PROGRAMME)
    established = dt.date(2022, 7, 1)
    assert ics.exists()
    assert all(m.status == "complete" and m.due_date <= established for m in ics)
    first = MapVersion.objects.filter(system__slug="nel").order_by("meeting_date").first()
    assert first.meeting_date == established
    icb_seats = Membership.objects.filter(organisation__name__contains="Integrated Care Board")
    assert min(icb_seats.values_list("start_date", flat=True)) == established
