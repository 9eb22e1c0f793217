import datetime as dt

import pytest

from ics_portal.quarters import (
    Quarter,
    QuarterError,
    add_quarters,
    parse_quarter,
    quarter_end,
    quarter_label,
    quarter_of,
    quarters_apart,
    quarters_between,
)


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2022, 1, 31), "Q4 2021/22"),
        (dt.date(2022, 3, 31), "Q4 2021/22"),
        (dt.date(2022, 4, 1), "Q1 2022/23"),
        (dt.date(2021, 6, 30), "Q1 2021/22"),
        (dt.date(2021, 7, 1), "Q2 2021/22"),
        (dt.date(2021, 12, 31), "Q3 2021/22"),
        (dt.date(2022, 1, 1), "Q4 2021/22"),
        (dt.date(2024, 2, 29), "Q4 2023/24"),
        (dt.date(1999, 12, 31), "Q3 1999/00"),
        (dt.date(2000, 1, 1), "Q4 1999/00"),
    ],
)
def test_date_to_quarter(day, label):
    assert quarter_label(day) == label


def test_first_and_last_days():
    q4 = parse_quarter("Q4 2023/24")
    assert (q4.first_day, q4.last_day) == (dt.date(2024, 1, 1), dt.date(2024, 3, 31))
    q3 = Quarter(2021, 3)
    assert (q3.first_day, q3.last_day) == (dt.date(2021, 10, 1), dt.date(2021, 12, 31))
    assert Quarter(2021, 1).last_day == dt.date(2021, 6, 30)


def test_every_day_of_a_quarter_maps_back_to_it():
    for number in (1, 2, 3, 4):
        quarter = Quarter(2023, number)
        assert quarter_of(quarter.first_day) == quarter
        assert quarter_of(quarter.last_day) == quarter
        assert quarter_of(quarter.last_day + dt.timedelta(days=1)) == quarter.next()


@pytest.mark.parametrize(
    "text",
    [
        "Q3 2021/22",
        "end of Q3 2021/22",
        "End of Q3 2021/2022",
        " q3 2021 / 22 ",
        "the end of Q3 2021/22",
    ],
)
def test_parse_forms(text):
    assert parse_quarter(text) == Quarter(2021, 3)
    assert quarter_end(text) == dt.date(2021, 12, 31)


def test_year_boundary_1999_2000():
    assert parse_quarter("Q4 1999/00").last_day == dt.date(2000, 3, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a quarter"),
        ("Q5 2021/22", "is not a quarter"),
        ("Q0 2021/22", "is not a quarter"),
        ("Q3 2021/23", "2021/22, not 2021/23"),
        ("Q3 2021/2023", "2021/22, not 2021/2023"),
        ("December 2021", "is not a quarter"),
    ],
)
def test_bad_input_messages(text, message):
    with pytest.raises(QuarterError, match=message):
        parse_quarter(text)


def test_quarters_between():
    labels = [q.label for q in quarters_between(dt.date(2021, 11, 1), dt.date(2022, 4, 2))]
    assert labels == ["Q3 2021/22", "Q4 2021/22", "Q1 2022/23"]


@pytest.mark.parametrize(
    ("first", "last", "apart"),
    [
        (dt.date(2021, 10, 1), dt.date(2021, 12, 31), 0),
        (dt.date(2021, 12, 31), dt.date(2022, 1, 1), 1),
        (dt.date(2021, 10, 1), dt.date(2026, 11, 23), 20),
        (dt.date(2022, 4, 1), dt.date(2022, 3, 31), -1),
    ],
)
def test_quarters_apart(first, last, apart):
    assert quarters_apart(first, last) == apart


@pytest.mark.parametrize(
    ("day", "count", "moved"),
    [
        (dt.date(2022, 3, 31), 1, dt.date(2022, 6, 30)),
        (dt.date(2022, 3, 31), 3, dt.date(2022, 12, 31)),
        (dt.date(2021, 11, 30), 1, dt.date(2022, 2, 28)),
        (dt.date(2023, 11, 30), 1, dt.date(2024, 2, 29)),
        (dt.date(2021, 9, 30), 2, dt.date(2022, 3, 31)),
        (dt.date(2021, 11, 29), 1, dt.date(2022, 2, 28)),  # no 29 February in 2022
        (dt.date(2021, 5, 1), 4, dt.date(2022, 5, 1)),
        (dt.date(2022, 6, 30), -2, dt.date(2021, 12, 31)),
    ],
)
def test_add_quarters_keeps_month_ends(day, count, moved):
    assert add_quarters(day, count) == moved
