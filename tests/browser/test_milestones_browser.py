"""Milestones in a real browser: filter, bulk update, the log; read-only for a board
member; axe-core finds no violations on each page.

Needs /usr/bin/chromium (``make browser``) and axe-core (``npm ci``); skipped without.
"""

from __future__ import annotations

import re

from tests.browser.axe import assert_accessible


def _programme_url() -> str:
    from milestones.models import Programme

    programme = Programme.objects.get(body__system__slug="nel", body__slug="tht")
    return f"/milestones/programmes/{programme.pk}/"


TO_COMPLETE = (
    "Agree proposals for form and governance for April and beyond",
    "Explore options for delegation, including commissioning activity",
    "Develop the locality plan with primary care, PCNs and the voluntary sector",
)


def test_office_filters_bulk_updates_and_reads_the_log(page_as):
    page = page_as("tht.office")
    page.goto(_programme_url())
    assert_accessible(page)

    page.get_by_label("RAG").select_option("red")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"rag=red"))
    rows = page.locator("tbody tr")
    assert rows.count() == 4  # the three below and the maturity sign-off
    assert_accessible(page)

    for title in TO_COMPLETE:
        page.get_by_label(f"Select {title}").check()
    page.get_by_label("Set status to").select_option("complete")
    page.get_by_label("Note for the update log").fill("Signed off at the THT board")
    page.get_by_role("button", name="Update selected").click()
    page.get_by_text("Updated 3 milestones.").wait_for()
    assert page.locator("tbody tr").count() == 1  # still filtered to red: only one left
    assert_accessible(page)

    page.goto(_programme_url())
    page.get_by_role("link", name=TO_COMPLETE[1]).click()
    log = page.locator("table.ms-log")
    assert "Signed off at the THT board" in log.inner_text()
    assert "Bulk update" in log.inner_text()
    assert_accessible(page)


def test_office_bulk_update_refusal_names_the_failure(page_as):
    page = page_as("tht.office")
    page.goto(_programme_url())
    page.get_by_label("Select Maturity sign-off of the recommended form by NEL ICS").check()
    page.get_by_label(f"Select {TO_COMPLETE[1]}").check()
    page.get_by_label("Set status to").select_option("complete")
    page.get_by_role("button", name="Update selected").click()
    page.get_by_text("None of the 2 milestones were changed.").wait_for()
    assert "“Maturity sign-off of the recommended form by NEL ICS”: " in page.content()
    assert_accessible(page)


def test_inline_update_with_keyboard(page_as):
    page = page_as("tht.office")
    page.goto(_programme_url())
    progress = page.get_by_label(f"Progress of {TO_COMPLETE[2]} (%)")
    progress.focus()
    progress.fill("65")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    row = page.locator("tr", has=page.get_by_role("link", name=TO_COMPLETE[2]))
    row.get_by_text("Saved.").wait_for()
    assert "65%" in row.inner_text()
    assert_accessible(page)


def test_board_member_reads_but_updates_only_what_they_lead(page_as, demo_live):
    page = page_as("tht.board")
    page.goto(_programme_url())
    assert page.locator('input[name="ids"]').count() == 1
    assert page.get_by_label(f"Select {TO_COMPLETE[0]}").count() == 1
    assert page.get_by_label(f"Status of {TO_COMPLETE[1]}").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name=TO_COMPLETE[1]).click()
    assert page.get_by_role("heading", name="Update log").count() == 1
    assert page.get_by_role("link", name="Edit this milestone").count() == 0
    assert_accessible(page)

    response = page.goto(page.url + "edit/")
    assert response.status == 403

    page.goto(_programme_url())
    page.get_by_role("link", name="Timeline").first.click()
    assert page.locator("main svg[role=img]").count() == 1
    assert_accessible(page)
