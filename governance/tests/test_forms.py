"""The NHS.UK date input: day, month and year boxes that round-trip."""

from __future__ import annotations

import datetime

import pytest
from django import forms

from governance.forms import NHSDateField


class _Form(forms.Form):
    due = NHSDateField(label="Due date")
    review = NHSDateField(label="Review by", required=False)


def _boxes(name: str, day: str, month: str, year: str) -> dict[str, str]:
    return {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}


def test_a_saved_date_is_shown_in_the_three_boxes_and_read_back():
    html = str(_Form(initial={"due": datetime.date(2026, 7, 1)})["due"])
    assert 'name="due_day" value="1"' in html
    assert 'name="due_month" value="7"' in html
    assert 'name="due_year" value="2026"' in html
    assert 'type="date"' not in html
    form = _Form(_boxes("due", "1", "7", "2026") | _boxes("review", "", "", ""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"due": datetime.date(2026, 7, 1), "review": None}


def test_leading_zeros_and_spaces_are_read():
    form = _Form(_boxes("due", " 01", "07 ", "2026"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == datetime.date(2026, 7, 1)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "Due date must be a real date."),
        ("1", "13", "2026", "Due date must be a real date."),
        ("1", "7", "26", "Due date must be a real date."),
        ("x", "7", "2026", "Due date must be a real date."),
        ("1", "", "2026", "Due date must include a month."),
        ("", "", "2026", "Due date must include a day and month."),
        ("", "", "", "Enter a date for due date."),
    ],
)
def test_a_date_that_is_not_real_or_whole_is_refused_clearly(day, month, year, message):
    form = _Form(_boxes("due", day, month, year))
    assert not form.is_valid()
    assert form.errors["due"] == [message]


def test_what_was_typed_is_shown_again_with_the_boxes_marked():
    form = _Form(_boxes("due", "31", "2", "2026"))
    form.is_valid()
    html = str(form["due"])
    assert 'value="31"' in html and 'value="2"' in html
    assert html.count("nhsuk-input--error") == 3


def test_an_iso_date_under_the_field_name_is_read():
    # Scripts and older tests post one ISO date, as the API takes it.
    form = _Form({"due": "2026-07-01"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due"] == datetime.date(2026, 7, 1)


def test_an_unchanged_date_has_not_changed():
    form = _Form(_boxes("due", "1", "7", "2026"), initial={"due": datetime.date(2026, 7, 1)})
    assert not form["due"].field.has_changed(datetime.date(2026, 7, 1), ["1", "7", "2026"])
    assert form.has_changed() is False or "due" not in form.changed_data
