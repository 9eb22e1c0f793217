"""NHS financial-year quarters: the year runs April to March.

Q1 = April to June, Q2 = July to September, Q3 = October to December, Q4 = January
to March,
so 31 January 2022 falls in "Q4 2021/22". Board papers say "by end of Q3"; the
portal keeps a date and shows its quarter beside it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

# First month of each quarter.
_QUARTER_START_MONTH = {1: 4, 2: 7, 3: 10, 4: 1}

_PATTERN = re.compile(
    r"^\s*(?:(?:the\s+)?end\s+of\s+)?Q\s*([1-4])\s+(\d{4})\s*/\s*(\d{2}|\d{4})\s*$",
    re.IGNORECASE,
)


class QuarterError(ValueError):
    """The text is not a quarter the portal understands; the message says why."""


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter ``number`` of the financial year starting 1 April ``start_year``."""

    start_year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise QuarterError(f"A quarter is numbered 1 to 4, not {self.number}.")

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.financial_year}"

    @property
    def financial_year(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def first_day(self) -> dt.date:
        year = self.start_year + (1 if self.number == 4 else 0)
        return dt.date(year, _QUARTER_START_MONTH[self.number], 1)

    @property
    def last_day(self) -> dt.date:
        return self.next().first_day - dt.timedelta(days=1)

    def next(self) -> Quarter:
        if self.number == 4:
            return Quarter(self.start_year + 1, 1)
        return Quarter(self.start_year, self.number + 1)

    def __str__(self) -> str:
        return self.label


def quarter_of(day: dt.date) -> Quarter:
    """The quarter ``day`` falls in."""
    if day.month >= 4:
        return Quarter(day.year, (day.month - 4) // 3 + 1)
    return Quarter(day.year - 1, 4)


def quarters_apart(first: dt.date, last: dt.date) -> int:
    """How many quarters the one holding ``last`` comes after the one holding ``first``
    (negative when it comes before)."""
    a, b = quarter_of(first), quarter_of(last)
    return (b.start_year - a.start_year) * 4 + (b.number - a.number)


def add_quarters(day: dt.date, count: int) -> dt.date:
    """``day`` moved on ``count`` quarters of three months (back when negative).

    The last day of a month stays the last day of its month, so a quarter's end lands
    on a quarter's end: 31 March → 30 June, and 30 November → 28 or 29 February. Any
    other day keeps its number, or the month's last day when the month is shorter.
    """
    months = day.year * 12 + (day.month - 1) + 3 * count
    year, month = months // 12, months % 12 + 1
    last = calendar.monthrange(year, month)[1]
    month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return dt.date(year, month, last if month_end else min(day.day, last))


def quarter_label(day: dt.date | None) -> str:
    return quarter_of(day).label if day else ""


def parse_quarter(text: str) -> Quarter:
    """Read "Q3 2021/22", "end of Q3 2021/22" or "Q3 2021/2022".

    Raises ``QuarterError`` with a message a person can act on.
    """
    if not text or not text.strip():
        raise QuarterError("Enter a quarter, for example Q3 2021/22.")
    match = _PATTERN.match(text)
    if not match:
        raise QuarterError(
            f"“{text.strip()}” is not a quarter. Write it like Q3 2021/22 (Q1 is April to June)."
        )
    number, start, end = int(match[1]), int(match[2]), match[3]
    expected_end = start + 1
    ok = int(end) == (expected_end % 100 if len(end) == 2 else expected_end)
    if not ok:
        raise QuarterError(
            f"A financial year runs from one year into the next: {start}/"
            f"{expected_end % 100:02d}, not {start}/{end}."
        )
    return Quarter(start, number)


def quarter_end(text: str) -> dt.date:
    """The last day of the quarter named in ``text``: what "by end of Q3" means."""
    return parse_quarter(text).last_day


def quarters_between(first: dt.date, last: dt.date) -> list[Quarter]:
    """Every quarter from the one holding ``first`` to the one holding ``last``."""
    current, end = quarter_of(min(first, last)), quarter_of(max(first, last))
    found = [current]
    while current < end:
        current = current.next()
        found.append(current)
    return found
