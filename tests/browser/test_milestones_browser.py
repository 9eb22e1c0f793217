"""Milestones in a real browser: filter, bulk update, the log; read-only for a board
member; axe-core finds no violations on each page.

Needs /usr/bin/chromium (``make browser``) and axe-core (``npm ci``); skipped without.
"""

from __future__ import annotations

import re

from django.utils import timezone

from ics_portal.quarters import quarter_label
from milestones.demo import PaperDates
from tests.browser.axe import assert_accessible

# The demo moves the paper's dates on to the current quarter (milestones/demo.py).
_WHEN = PaperDates(timezone.localdate())
NEXT_QUARTER = quarter_label(_WHEN.date("Q4 2021/22"))
LATE = "Continue engagement in the discussion on provider collaboratives"


def _programme_url() -> str:
    from milestones.models import Programme

    programme = Programme.objects.get(body__system__slug="nel", body__slug="tht")
    return f"/milestones/programmes/{programme.pk}/"


# THT's three milestones due next quarter.
TO_COMPLETE = (
    f"Agree proposals for form and governance for {_WHEN.month('2022-04-01')} and beyond",
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
    assert rows.count() == 1  # due at the end of last quarter, whatever the day
    assert LATE in rows.first.inner_text()
    assert_accessible(page)

    page.get_by_label("RAG").select_option("")
    page.get_by_label("Due in quarter").fill(NEXT_QUARTER)
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"quarter="))
    assert rows.count() == 3  # the three below
    for title in TO_COMPLETE:
        page.get_by_label(f"Select {title}").check()
    page.get_by_label("Set status to").select_option("complete")
    page.get_by_label("Note for the update log").fill("Signed off at the THT board")
    page.get_by_role("button", name="Update selected").click()
    page.get_by_text("Updated 3 milestones.").wait_for()
    # Still filtered to next quarter: the same three rows, now complete.
    assert rows.count() == 3
    assert page.locator("tbody .ms-rag--complete").count() == 3
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
    # The row was replaced, but the keyboard user is still on its Save button, and the
    # page's live region says what happened.
    focused = page.evaluate("document.activeElement.id")
    assert focused.startswith("save-"), focused
    assert "Saved “" in page.locator("#ms-live").inner_text()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.name") == "status"
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


def _someone_else_sets(title: str, progress: int) -> None:
    from django.contrib.auth import get_user_model

    from milestones import services
    from milestones.models import Milestone

    milestone = Milestone.objects.get(title=title)
    services.milestone_update(
        milestone=milestone,
        by=get_user_model().objects.get(username="icb.governance"),
        version=milestone.version,
        progress=progress,
        note="Changed by the ICB meanwhile",
    )


def test_concurrent_update_is_shown_and_nothing_is_lost(page_as):
    page = page_as("tht.office")
    page.goto(_programme_url())
    page.get_by_role("link", name=TO_COMPLETE[2]).click()
    page.get_by_label("Status").select_option("delayed")
    page.get_by_label("Progress (%)").fill("15")
    page.get_by_label("Note").fill("Slipped a month")
    _someone_else_sets(TO_COMPLETE[2], 70)
    page.get_by_role("button", name="Save update").click()

    page.get_by_role("heading", name="Your update was not saved").wait_for()
    assert "Changed by the ICB meanwhile" in page.content()
    assert page.get_by_label("Status").input_value() == "delayed"
    assert page.get_by_label("Progress (%)").input_value() == "15"
    assert page.get_by_label("Note").input_value() == "Slipped a month"
    assert_accessible(page)

    page.get_by_role("button", name="Save my update over that change").click()
    page.get_by_text(f"Updated “{TO_COMPLETE[2]}”.").wait_for()
    log = page.locator("table.ms-log").inner_text()
    assert "Slipped a month" in log and "Changed by the ICB meanwhile" in log


def test_inline_and_bulk_update_without_javascript(browser, page_as, demo_live):
    from django.conf import settings

    signed_in = page_as("tht.office").context.cookies()
    context = browser.new_context(base_url=demo_live.url, java_script_enabled=False)
    context.add_cookies([c for c in signed_in if c["name"] == settings.SESSION_COOKIE_NAME])
    try:
        page = context.new_page()
        page.goto(_programme_url())
        page.get_by_label(f"Progress of {TO_COMPLETE[1]} (%)").fill("55")
        page.get_by_role("button", name=f"Save {TO_COMPLETE[1]}").click()
        page.get_by_text(f"Updated “{TO_COMPLETE[1]}”.").wait_for()
        row = page.locator("tr", has=page.get_by_role("link", name=TO_COMPLETE[1]))
        assert "55%" in row.inner_text()

        # A stale inline update without JavaScript: a page with both changes.
        _someone_else_sets(TO_COMPLETE[2], 71)
        page.get_by_label(f"Progress of {TO_COMPLETE[2]} (%)").fill("20")
        page.get_by_role("button", name=f"Save {TO_COMPLETE[2]}").click()
        page.get_by_role("heading", name="Your update was not saved").wait_for()
        assert page.get_by_label("Progress (%)").input_value() == "20"
        page.get_by_role("link", name="Keep their change and go back").click()
        row = page.locator("tr", has=page.get_by_role("link", name=TO_COMPLETE[2]))
        assert "71%" in row.inner_text()

        for title in TO_COMPLETE[1:]:
            page.get_by_label(f"Select {title}").check()
        page.get_by_label("Set progress to (%)").fill("80")
        page.get_by_label("Note for the update log").fill("No script needed")
        page.get_by_role("button", name="Update selected").click()
        page.get_by_text("Updated 2 milestones.").wait_for()
    finally:
        context.close()


def test_every_other_milestones_page_is_accessible(page_as):
    page = page_as("tht.office")
    page.goto("/milestones/")
    assert_accessible(page)
    page.get_by_role("link", name="Tower Hamlets Together", exact=True).click()
    page.get_by_role("heading", name="Tower Hamlets Together: milestones").wait_for()
    assert_accessible(page)

    page.goto(_programme_url())
    page.get_by_role("link", name="Add a milestone").click()
    assert_accessible(page)
    page.get_by_role("button", name="Add milestone").click()  # empty: the error summary
    page.get_by_role("heading", name="There is a problem").wait_for()
    assert_accessible(page)

    page.goto(_programme_url())
    page.get_by_role("link", name=TO_COMPLETE[1]).click()
    page.get_by_role("link", name="Edit this milestone").click()
    assert_accessible(page)
    page.get_by_label("Or due by the end of a quarter").fill("Q3 2022/23")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Saved “").wait_for()
    assert "End of Q3 2022/23" in page.content()

    page.goto(_programme_url())
    page.get_by_role("link", name="Import from a spreadsheet").click()
    assert_accessible(page)


def test_office_checks_then_imports_a_spreadsheet(page_as):
    content = (
        b"title,owner_body,status,due_date\nImported in a browser,tht,not_started,2026-03-31\n"
    )
    page = page_as("tht.office")
    page.goto(_programme_url() + "import/")
    assert_accessible(page)
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(
        {"name": "plan.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url(re.compile(r"/import/[0-9a-f]{32}/$"))
    assert "Nothing has changed yet" in page.content()
    assert_accessible(page)

    page.get_by_role("button", name="Import these changes").click()
    page.get_by_role("heading", name="Imported").wait_for()
    assert "1 added, 0 updated, 0 unchanged" in page.content()
    assert_accessible(page)
