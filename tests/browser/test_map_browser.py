"""The decision map in a real browser: the governance lead opens the matrix, filters it
and opens a cell; THT's programme office records a condition assessment. axe-core finds
no violations on each page.

Needs /usr/bin/chromium and axe-core (``npm ci``); skipped without (see conftest.py).
"""

from __future__ import annotations

import re

from delegation.tests.helpers import map_csv
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


def test_office_self_assesses_and_the_icb_assures(page_as):
    from delegation.models import Condition, ConditionAssessment

    condition = Condition.objects.filter(
        owner_body__slug="tht", assessments__isnull=True, map_entry__status="in_force"
    ).first()
    page = page_as("tht.office")
    page.goto(f"/conditions/{condition.pk}/")
    assert_accessible(page)
    assert page.get_by_role("link", name="Record ICB assurance").count() == 0
    page.get_by_role("link", name="Record a self-assessment").click()
    assert_accessible(page)

    # Not met without a note: refused, with the NHS.UK error summary, nothing saved.
    page.get_by_label("Not met").check()
    page.get_by_role("button", name="Record self-assessment").click()
    assert page.get_by_role("alert").is_visible()
    assert "Say what is missing" in page.content()
    assert_accessible(page)
    assert not ConditionAssessment.objects.filter(condition=condition).exists()

    page.get_by_label("Partly met").check()
    page.get_by_label("Note", exact=True).fill("Finance report signed; HWBB paper next month.")
    page.get_by_label("Evidence link (optional)").fill("https://www.towerhamletstogether.com/")
    page.get_by_role("button", name="Record self-assessment").click()
    page.wait_for_url(re.compile(rf"/conditions/{condition.pk}/$"))
    assert "Partly met" in page.locator("table").inner_text()
    assert_accessible(page)
    assert ConditionAssessment.objects.filter(
        condition=condition, kind="self", status="partly_met"
    ).exists()

    lead = page_as("icb.governance")
    lead.goto(f"/conditions/{condition.pk}/")
    lead.get_by_role("link", name="Record ICB assurance").click()
    assert_accessible(lead)
    lead.get_by_label("Met", exact=True).check()
    lead.get_by_role("button", name="Record assurance").click()
    lead.wait_for_url(re.compile(rf"/conditions/{condition.pk}/$"))
    summary = lead.locator("dl").inner_text()
    assert re.search(r"ICB assurance\s+Met", summary)
    assert re.search(r"Self-assessment\s+Partly met", summary)
    assert_accessible(lead)


def test_a_large_matrix_keeps_its_headers_in_view(page_as):
    """78 functions by 33 bodies: the header row and the function column stay put while
    the matrix scrolls, and only the matrix scrolls sideways, not the page."""
    from django.contrib.auth import get_user_model

    from bench.make_big_system import make_big_system

    lead = get_user_model().objects.get(username="icb.governance")
    big = make_big_system(scale=3, lead=lead)
    page = page_as("icb.governance")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/maps/{big.slug}/")
    scroller = page.locator(".map-scroll")
    scroller.scroll_into_view_if_needed()
    box = scroller.bounding_box()
    scroller.evaluate("el => { el.scrollLeft = 2000; el.scrollTop = 2000; }")
    corner = page.locator("table.map-matrix thead th.map-fn").bounding_box()
    assert abs(corner["y"] - box["y"]) < 2 and abs(corner["x"] - box["x"]) < 2
    last_function = page.locator("table.map-matrix tbody th.map-fn").last.bounding_box()
    assert abs(last_function["x"] - box["x"]) < 2  # the function names stay on the left
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] == widths[1], widths
    assert_accessible(page)


def test_lead_checks_and_imports_a_spreadsheet(page_as):
    content = map_csv(
        {
            "reference": "KF-07/tht",
            "delegated to body": "Tower Hamlets Together",
            "form": "Committee of the ICB",
            "budget": "250000",
            "effective from": "2026-04-01",
            "status": "In force",
        }
    )

    page = page_as("icb.governance")
    page.goto("/maps/nel/import/")
    assert_accessible(page)
    page.get_by_label("Spreadsheet").set_input_files(
        {"name": "map.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Check file").click()
    page.wait_for_url(re.compile(r"/maps/nel/import/[0-9a-f]{32}/$"))
    assert page.get_by_role("cell", name="KF-07/tht").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Import 1 row").click()
    page.get_by_role("heading", name="Imported").wait_for()
    assert "1 created" in page.content()
    assert_accessible(page)


def test_the_job_page_follows_an_import_run_by_a_worker(page_as):
    """With a Celery worker the import runs elsewhere: the page shows its progress and
    turns into the result when it is done."""
    from django.contrib.auth import get_user_model

    from delegation import imports
    from delegation.tests import helpers as h
    from governance.models import IntegratedCareSystem

    token = h.staged_import()
    lead = get_user_model().objects.get(username="icb.governance")
    job = imports.job_get(token, user=lead, system=IntegratedCareSystem.objects.get(slug="nel"))
    assert imports.start(job)  # queued, as if a worker had not picked it up yet

    page = page_as("icb.governance")
    page.goto(f"/maps/nel/import/{token}/")
    assert page.locator("progress").is_visible()
    assert_accessible(page)

    imports.run(job.pk)  # the "worker"
    page.get_by_role("heading", name="Imported").wait_for(timeout=10_000)
    assert "1 created" in page.content()
