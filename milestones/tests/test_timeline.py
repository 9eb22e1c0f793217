import datetime as dt

from milestones.timeline import Item, layout


def item(title, start, due, rag="green"):
    return Item(title=title, start=start, due=due, rag=rag, rag_label=rag.title())


def test_columns_are_quarters_and_bars_span_start_to_due():
    chart = layout(
        [
            item("A", dt.date(2021, 4, 1), dt.date(2021, 9, 30)),
            item("B", None, dt.date(2022, 3, 31), "red"),
        ],
        today=dt.date(2021, 11, 15),
    )
    assert [c.quarter.label for c in chart.columns] == [
        "Q1 2021/22",
        "Q2 2021/22",
        "Q3 2021/22",
        "Q4 2021/22",
    ]
    a, b = chart.bars
    q1, q2, q3 = chart.columns[:3]
    assert abs(a.x - q1.x) < 0.01 and abs(a.x + a.width - (q2.x + q2.width)) < 0.01
    assert b.is_milestone and not a.is_milestone
    assert b.fill == "#d5281b" and b.y > a.y
    assert q3.x < chart.today_x < q3.x + q3.width
    assert chart.today_side == ""


def test_today_near_the_work_joins_the_chart():
    chart = layout([item("A", None, dt.date(2021, 5, 1))], today=dt.date(2022, 2, 1))
    assert chart.columns[-1].quarter.label == "Q4 2021/22" and chart.today_x is not None


def test_today_years_away_is_noted_not_drawn():
    chart = layout([item("A", None, dt.date(2021, 5, 1))], today=dt.date(2026, 11, 23))
    assert [c.quarter.label for c in chart.columns] == ["Q1 2021/22"]
    assert chart.today_x is None and chart.today_side == "after"
    before = layout([item("A", None, dt.date(2030, 5, 1))], today=dt.date(2021, 1, 1))
    assert before.today_side == "before"


def test_empty_programme():
    chart = layout([], today=dt.date(2022, 1, 1))
    assert len(chart.columns) == 1 and chart.bars == []


def test_timeline_page_draws_bars_today_line_and_rag_labels(client_as, make, tht_programme):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    today = timezone.localdate()
    make("Running now", start_date=today - dt.timedelta(days=20), status="at_risk")
    page = client_as("tht.board").get(reverse("milestones:timeline", args=[tht_programme.pk]))
    assert page.status_code == 200
    svg = page.text.split('<div class="ms-timeline"', 1)[1].split("</svg>", 1)[0]
    assert f"Today {today:%-d %b %Y}" in svg and 'stroke-dasharray="4 3"' in svg
    assert "url(#ms-stripes)" in svg  # amber: a pattern as well as a colour
    assert ">Amber</text>" in svg and ">Red</text>" in svg and ">Complete</text>" in svg
    assert 'role="img"' in page.text and '<title id="timeline-title">' in svg
    # The text alternative lists every milestone the chart draws.
    table = page.text.split("The timeline as a table", 1)[1]
    assert table.count("<tr>") == tht_programme.milestones.count() + 1
