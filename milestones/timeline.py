"""Layout of a Gantt-style timeline by NHS quarter: pure functions, no Django.

Board papers reuse this: give it plain items and a date, get back positions in SVG
user units; any template (HTML page or PDF) draws the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from ics_portal.quarters import Quarter, quarters_between

RAG_FILL = {
    "red": "#d5281b",
    "amber": "#ffb81c",
    "green": "#007f3b",
    "complete": "#005eb8",
    "cancelled": "#768692",
}
# Bars carry a pattern as well as a colour, so RAG never relies on colour alone.
RAG_PATTERN = {
    "red": "solid",
    "amber": "striped",
    "green": "solid",
    "complete": "solid",
    "cancelled": "dashed",
}


@dataclass(frozen=True)
class Item:
    title: str
    start: dt.date | None
    due: dt.date
    rag: str
    rag_label: str
    status_label: str = ""
    url: str = ""


@dataclass(frozen=True)
class Column:
    quarter: Quarter
    x: float
    width: float

    @property
    def label(self) -> str:
        return f"Q{self.quarter.number}"

    @property
    def year_label(self) -> str:
        return self.quarter.financial_year


@dataclass(frozen=True)
class Bar:
    item: Item
    x: float
    width: float
    y: float
    height: float
    fill: str
    is_milestone: bool  # no start date: drawn as a diamond at the due date

    @property
    def label_x(self) -> float:
        return self.x + self.width + 6

    @property
    def mid_y(self) -> float:
        return self.y + self.height / 2

    @property
    def diamond_points(self) -> str:
        cx, cy, r = self.x + self.width, self.mid_y, self.height / 2
        return f"{cx},{cy - r} {cx + r},{cy} {cx},{cy + r} {cx - r},{cy}"


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    label_width: float
    header_height: float
    columns: list[Column]
    bars: list[Bar]
    today_x: float | None
    today: dt.date
    # "after" or "before" when today is off the chart; "" when the line is drawn.
    today_side: str
    row_height: float
    rows_top: float = field(default=0)


def _x_of(day: dt.date, first: dt.date, last: dt.date, left: float, span: float) -> float:
    total = (last - first).days + 1
    return left + span * ((day - first).days / total)


def _quarters(items: Sequence[Item], today: dt.date, near_quarters: int) -> list[Quarter]:
    """The quarters covering every item, and today when it is near them."""
    dates = [d for item in items for d in (item.start, item.due) if d] or [today]
    quarters = quarters_between(min(dates), max(dates))
    # Today joins the chart when it is near the work; years away, the chart would be
    # mostly empty, so it says "today is after (or before) this" at the edge instead.
    reach = quarters_between(quarters[0].first_day, today) if today > max(dates) else []
    back = quarters_between(today, quarters[-1].last_day) if today < min(dates) else []
    if len(reach) - len(quarters) <= near_quarters and len(back) - len(quarters) <= near_quarters:
        quarters = quarters_between(min(min(dates), today), max(max(dates), today))
    return quarters


def _bar(
    item: Item, first: dt.date, last: dt.date, left: float, span: float, *, y: float, h: float
) -> Bar:
    """An item's bar in a row at ``y`` of height ``h`` (a diamond when it has no start)."""
    start = item.start or item.due
    x0 = _x_of(start, first, last, left, span)
    x1 = _x_of(item.due + dt.timedelta(days=1), first, last, left, span)
    return Bar(
        item=item,
        x=x0,
        width=max(x1 - x0, 4),
        y=y + 6,
        height=h - 12,
        fill=RAG_FILL.get(item.rag, "#768692"),
        is_milestone=item.start is None,
    )


def layout(
    items: Sequence[Item],
    *,
    today: dt.date,
    width: float = 960,
    label_width: float = 330,
    row_height: float = 28,
    header_height: float = 44,
    min_quarter_width: float = 52,
    near_quarters: int = 4,
    right_margin: float = 90,
    footer_height: float = 22,
) -> Layout:
    """Quarter columns covering every item (and today), one row per item."""
    quarters = _quarters(items, today, near_quarters)
    first, last = quarters[0].first_day, quarters[-1].last_day
    width = max(width, label_width + right_margin + len(quarters) * min_quarter_width)
    # Room on the right for the RAG label of a bar that ends in the last quarter.
    chart_left, span = label_width, width - label_width - right_margin
    columns = [
        Column(
            quarter=q,
            x=_x_of(q.first_day, first, last, chart_left, span),
            width=_x_of(q.last_day + dt.timedelta(days=1), first, last, chart_left, span)
            - _x_of(q.first_day, first, last, chart_left, span),
        )
        for q in quarters
    ]
    bars = [
        _bar(item, first, last, chart_left, span, y=header_height + row * row_height, h=row_height)
        for row, item in enumerate(items)
    ]
    today_x = _x_of(today, first, last, chart_left, span) if first <= today <= last else None
    today_side = "" if today_x is not None else ("after" if today > last else "before")
    return Layout(
        width=width,
        height=header_height + max(len(items), 1) * row_height + footer_height,
        label_width=label_width,
        header_height=header_height,
        columns=columns,
        bars=bars,
        today_x=today_x,
        today=today,
        today_side=today_side,
        row_height=row_height,
        rows_top=header_height,
    )
