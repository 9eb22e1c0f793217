"""The decision map in a real browser: the governance lead opens the matrix, filters it
and opens a cell; THT's programme office records a condition assessment. axe-core finds
no violations on each page.

Needs /usr/bin/chromium and axe-core (``npm ci``); skipped without (see conftest.py).
"""

from __future__ import annotations

import re

from tests.browser.axe import assert_accessible


def test_lead_opens_filters_and_follows_a_cell(page_as):
    page = page_as("icb.governance")
    page.goto("/maps/nel/")
    assert page.get_by_role("heading", name="NEL functions and decision map").is_visible()
    assert_accessible(page)

    page.get_by_label("Body kind").select_option("place_partnership")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"body_kind=place_partnership"))
    headers = page.locator("table.map-matrix thead th").all_inner_texts()
    assert any("THT" in h or "Tower Hamlets" in h for h in headers)
    assert not any("Provider collaborative" in h for h in headers)
    assert_accessible(page)

    page.get_by_role(
        "link", name=re.compile(r"(^|\s)F-03 Delegated to a place-based partnership: Tower Hamlets")
    ).click()
    page.wait_for_url(re.compile(r"/map-entries/\d+/"))
    assert page.get_by_role(
        "heading", name="F-03 Contracting and financial management"
    ).is_visible()
    assert "Conditions" in page.content()
    assert_accessible(page)


def test_office_records_an_assessment(page_as):
    from delegation.models import Condition, ConditionAssessment

    condition = Condition.objects.filter(
        owner_body__slug="tht", assessments__isnull=True, map_entry__status="in_force"
    ).first()
    page = page_as("tht.office")
    page.goto(f"/conditions/{condition.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Record an assessment").click()
    assert_accessible(page)

    # Not met without a note: refused, with the NHS.UK error summary, nothing saved.
    page.get_by_label("Not met").check()
    page.get_by_role("button", name="Record assessment").click()
    assert page.get_by_role("alert").is_visible()
    assert "Say what is missing" in page.content()
    assert_accessible(page)
    assert not ConditionAssessment.objects.filter(condition=condition).exists()

    page.get_by_label("Partly met").check()
    page.get_by_label("Note", exact=True).fill("Finance report signed; HWBB paper next month.")
    page.get_by_label("Evidence link (optional)").fill("https://www.towerhamletstogether.com/")
    page.get_by_role("button", name="Record assessment").click()
    page.wait_for_url(re.compile(rf"/conditions/{condition.pk}/$"))
    assert "Partly met" in page.locator("table").inner_text()
    assert_accessible(page)
    assert ConditionAssessment.objects.filter(condition=condition, status="partly_met").exists()
