"""The rows of a conditions table, built in Python.

The conditions dashboard lists every live condition of a system: at ten times the demo
that is hundreds of rows in two tables, and the template's per-row lookups, filters and
``{% url %}`` were most of the page's time. As with the matrix (``matrix.py``), the rows
are written here with the link reversed once; the table around them stays a template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from governance.models import Body
from ics_portal.links import url_pattern

from .models import AssessmentStatus, Condition

STATUS_TAGS: dict[str, str] = {
    AssessmentStatus.NOT_ASSESSED: "nhsuk-tag--grey",
    AssessmentStatus.MET: "nhsuk-tag--green",
    AssessmentStatus.PARTLY_MET: "nhsuk-tag--yellow",
    AssessmentStatus.NOT_MET: "nhsuk-tag--red",
}


def _day(value: dt.date | None) -> str:
    # "1 Jul 2026", as the date filter's "j M Y" and the rest of the portal write it.
    return f"{value:%-d %b %Y}" if value else "—"


def _short(body: Body) -> str:
    return escape(body.short_name or body.name)


def _row(condition: Condition, url: str, labels: dict[str, str], show_entry: bool) -> str:
    # f-strings with escape(): format_html per cell was most of the rows' own time.
    latest = getattr(condition, "latest_status", None) or ""
    cells = [
        escape(condition.get_category_display()),
        f'<a href="{url.format(condition.pk)}">{escape(condition.requirement)}</a>',
    ]
    if show_entry:
        entry = condition.map_entry
        receiving = f" → {_short(entry.receiving_body)}" if entry.receiving_body else ""
        cells.append(f'<span class="map-ref">{escape(entry.function.code)}</span>{receiving}')
    overdue = (
        ' <span class="map-overdue">Overdue</span>' if getattr(condition, "overdue", False) else ""
    )
    cells += [
        _short(condition.owner_body),
        f"{_day(condition.due_date)}{overdue}",
        f'<strong class="nhsuk-tag {STATUS_TAGS.get(latest, "")}">'
        f"{escape(labels.get(latest, ''))}</strong>",
        escape(labels.get(getattr(condition, "self_status", None) or "", "")),
    ]
    inner = "".join(f'<td class="nhsuk-table__cell">{cell}</td>' for cell in cells)
    return f'<tr class="nhsuk-table__row">{inner}</tr>'


def condition_rows(conditions: Iterable[Condition], *, show_entry: bool) -> SafeString:
    """The ``<tr>`` rows of a conditions table (or its one "No conditions." row)."""
    url = url_pattern("delegation:condition_detail")
    labels = dict(AssessmentStatus.choices)
    rows = [_row(condition, url, labels, show_entry) for condition in conditions]
    if not rows:
        return format_html(
            '<tr class="nhsuk-table__row"><td class="nhsuk-table__cell" colspan="{}">'
            "No conditions.</td></tr>",
            7 if show_entry else 6,
        )
    return mark_safe("\n".join(rows))  # every text in them went through escape()
