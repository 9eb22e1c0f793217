"""Saving a filled edit form unchanged in a real browser changes nothing.

The test client cannot show what a browser drops before it posts (a ``type="date"``
value that is not ISO was silently discarded); Chromium can. The same filled objects as
the round-trip table (tests/edit_forms.py).
"""

from __future__ import annotations

from delegation.tests.edit_forms import _entry
from milestones.tests.edit_forms import _filled
from tests.edit_forms import snapshot


def _save_unchanged(page, url: str, button: str) -> None:
    page.goto(url)
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    assert page.locator(".nhsuk-error-summary").count() == 0, page.content()[:3000]
    assert page.url.rstrip("/").endswith(url.rstrip("/").removesuffix("/edit")), page.url


def test_milestone_saved_unchanged_keeps_every_field(page_as):
    milestone = _filled(by_quarter=False)
    before = snapshot(milestone)
    page = page_as("tht.office")
    page.goto(f"/milestones/{milestone.pk}/edit/")
    # The dates are shown in the three boxes a person reads and types.
    start = page.get_by_role("group", name="Start date (optional)")
    assert start.get_by_label("Day").input_value() == "1"
    assert start.get_by_label("Month").input_value() == "7"
    assert start.get_by_label("Year").input_value() == "2026"
    _save_unchanged(page, f"/milestones/{milestone.pk}/edit/", "Save changes")
    assert snapshot(milestone) == before


def test_milestone_due_by_quarter_saved_unchanged_keeps_every_field(page_as):
    milestone = _filled(by_quarter=True)
    before = snapshot(milestone)
    page = page_as("tht.office")
    _save_unchanged(page, f"/milestones/{milestone.pk}/edit/", "Save changes")
    assert snapshot(milestone) == before


def test_map_entry_corrected_unchanged_keeps_every_field(page_as):
    entry = _entry()
    before = snapshot(entry)
    page = page_as("icb.governance")
    page.goto(f"/map-entries/{entry.pk}/edit/")
    review = page.get_by_role("group", name="Review by (optional)")
    assert review.get_by_label("Year").input_value() == "2027"
    _save_unchanged(page, f"/map-entries/{entry.pk}/edit/", "Save entry")
    assert snapshot(entry) == before
