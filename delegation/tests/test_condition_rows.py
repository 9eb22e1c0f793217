"""The conditions table's rows, built in Python: what the template used to print, with
every typed text escaped."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from delegation import selectors
from delegation.condition_rows import STATUS_TAGS, condition_rows

from . import helpers as h


def _listed(persona) -> list[Any]:
    # Any: the rows carry the selector's annotations (latest_status, overdue).
    return list(selectors.conditions_in(persona("icb.governance"), h.nel()))


def test_each_row_links_its_condition_and_says_its_entry_owner_due_date_and_statuses(persona):
    conditions = _listed(persona)
    html = condition_rows(conditions, show_entry=True)
    first = conditions[0]
    assert html.count('<tr class="nhsuk-table__row">') == len(conditions)
    assert f'href="{reverse("delegation:condition_detail", args=[first.pk])}"' in html
    assert f'<span class="map-ref">{first.map_entry.function.code}</span>' in html
    due = first.due_date
    assert due is not None
    assert f"{due.day} {due:%b} {due.year}" in html
    assert f"nhsuk-tag {STATUS_TAGS[first.latest_status]}" in html
    overdue = [c for c in conditions if c.overdue]
    assert html.count('<span class="map-overdue">Overdue</span>') == len(overdue)


def test_without_the_entry_column_a_row_has_six_cells(persona):
    conditions = _listed(persona)[:1]
    row = condition_rows(conditions, show_entry=False)
    assert row.count("<td") == 6 and "map-ref" not in row
    assert condition_rows(conditions, show_entry=True).count("<td") == 7


def test_nothing_to_list_says_so_across_every_column():
    assert 'colspan="7">No conditions.' in condition_rows([], show_entry=True)
    assert 'colspan="6">No conditions.' in condition_rows([], show_entry=False)


def test_typed_text_is_escaped_and_a_missing_due_date_is_a_dash(persona):
    condition = _listed(persona)[0]
    condition.requirement = '<script>alert("x")</script>'
    condition.due_date = None
    html = condition_rows([condition], show_entry=True)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<td class="nhsuk-table__cell">—' in html


def test_the_month_is_written_as_the_date_filter_writes_it(persona):
    from django.template.defaultfilters import date as date_filter

    condition = _listed(persona)[0]
    for month in range(1, 13):
        condition.due_date = dt.date(2027, month, 9)
        expected = date_filter(condition.due_date, "j M Y")
        assert f">{expected}" in condition_rows([condition], show_entry=False)
