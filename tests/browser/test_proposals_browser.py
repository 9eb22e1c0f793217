"""A delegation proposal from draft to decision in a real browser: THT's programme
office drafts two items and submits; the governance lead opens review; a board member
finds it awaiting review, comments on an item and supports it with conditions; the lead
records the recommendation and approves it with a minute reference; the matrix shows the
new delegation and a new map version names the proposal. axe finds nothing on any page.

Needs /usr/bin/chromium and axe-core (``npm ci``); skipped without (see conftest.py).
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from tests.browser.axe import assert_accessible


def _choose(page, label: str, pattern: str, exact: bool = False) -> None:
    """Select the option whose text matches ``pattern`` in the select labelled ``label``."""
    select = page.get_by_label(label, exact=exact)
    value = select.locator("option", has_text=re.compile(pattern)).first.get_attribute("value")
    select.select_option(value)


def _fill_date(page, label: str, day: dt.date) -> None:
    """The NHS.UK date input: day, month and year boxes in a group named by its label."""
    group = page.get_by_role("group", name=label, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).first.click()


def _office_drafts_and_submits(office, today: dt.date):
    """THT's programme office drafts a delegation and a change, and submits them."""
    from delegation.models import Proposal

    office.goto("/proposals/nel/")
    assert_accessible(office)
    office.get_by_role("link", name="Draft a proposal").click()
    office.get_by_label("Title").fill("Clinical leadership and community services")
    assert_accessible(office)
    _click(office, "Save draft")

    # No JavaScript needed: the kind first, then the fields that kind uses.
    office.get_by_label("Delegate a function").check()
    assert_accessible(office)
    _click(office, "Continue")
    _choose(office, "Function", r"^PA-04 ")
    office.get_by_label("Where the decision sits").select_option("place")
    office.get_by_label("Form (optional)").select_option("committee")
    office.get_by_label("Decision right (optional)").select_option("decides")
    office.get_by_label("Delegated budget (£) (optional)").fill("1500000")
    _fill_date(office, "Effective from", today + dt.timedelta(days=7))
    assert_accessible(office)
    _click(office, "Add item")
    office.wait_for_url(re.compile(r"/proposal/\d+/"))
    proposal = Proposal.objects.get(title="Clinical leadership and community services")

    office.get_by_role("link", name="Add an item").click()
    office.get_by_label("Change an entry in force").check()
    _click(office, "Continue")
    _choose(office, "Tower Hamlets Together's entry", r"^F-04 ")
    office.get_by_label("Delegated budget (£) (optional)").fill("3000000")
    _click(office, "Add item")
    assert "Item 2: Change an entry in force" in office.content()
    assert_accessible(office)
    office.get_by_role("link", name="Submit to the ICB").click()
    assert_accessible(office)
    _click(office, "Submit to the ICB")
    office.wait_for_url(re.compile(rf"/proposal/{proposal.pk}/$"))
    assert "Submitted" in office.content()
    return proposal


def _lead_opens_review(lead, proposal, today: dt.date) -> None:
    lead.goto(f"/proposal/{proposal.pk}/")
    lead.get_by_role("link", name="Open the board's review").click()
    _fill_date(lead, "Review closes on", today + dt.timedelta(days=14))
    assert_accessible(lead)
    _click(lead, "Open the board's review")
    lead.wait_for_url(re.compile(rf"/proposal/{proposal.pk}/$"))


def _board_member_reviews(board, proposal) -> None:
    """Finds it awaiting review, comments on item 1, supports it with conditions; then
    it no longer awaits them."""
    board.goto("/")
    assert_accessible(board)
    board.get_by_role("link", name=re.compile(proposal.reference)).click()
    board.wait_for_url(re.compile(rf"/proposal/{proposal.pk}/$"))
    assert_accessible(board)
    board.get_by_label("Comment on item 1").fill("Who chairs the clinical leadership group?")
    _click(board, "Add comment on item 1")
    assert "Who chairs the clinical leadership group?" in board.content()
    board.get_by_role("link", name="Record my position").click()
    board.get_by_label("Support with conditions").check()
    board.get_by_label("Reason (optional)").fill("If the group reports to the board quarterly.")
    assert_accessible(board)
    _click(board, "Record my position")
    assert "1 of" in board.content() and "support with conditions" in board.content()
    board.goto("/")
    assert proposal.reference not in board.content()


def _lead_recommends_and_approves(lead, proposal, today: dt.date) -> None:
    lead.goto(f"/proposal/{proposal.pk}/")
    lead.get_by_role("link", name="Record the board's recommendation").click()
    lead.get_by_label("Approved", exact=True).check()
    assert_accessible(lead)
    _click(lead, "Record the board's recommendation")
    lead.goto("/")
    lead.get_by_role("link", name=re.compile(proposal.reference)).click()
    lead.get_by_role("link", name="Record the ICB's decision").click()
    lead.get_by_label("Approved", exact=True).check()
    _choose(lead, "Deciding body", "ICB")
    _fill_date(lead, "Meeting date", today)
    lead.get_by_label("Minute reference").fill("7.2")
    assert_accessible(lead)
    _click(lead, "Record the ICB's decision")
    lead.wait_for_url(re.compile(rf"/proposal/{proposal.pk}/$"))
    assert "Approved" in lead.content() and "minute 7.2" in lead.content()
    assert_accessible(lead)


def test_a_proposal_from_draft_to_approval(page_as):
    from delegation.models import EntryStatus, MapEntry, MapVersion

    today = timezone.localdate()
    proposal = _office_drafts_and_submits(page_as("tht.office"), today)
    lead = page_as("icb.governance")
    _lead_opens_review(lead, proposal, today)
    _board_member_reviews(page_as("tht.board"), proposal)
    _lead_recommends_and_approves(lead, proposal, today)

    version = MapVersion.objects.get(label__contains=proposal.reference)
    assert proposal.reference in version.note
    assert MapEntry.objects.filter(
        function__code="PA-04", receiving_body__slug="tht", status=EntryStatus.IN_FORCE
    ).exists()
    lead.goto("/maps/nel/")
    assert lead.get_by_role("link", name=re.compile(r"PA-04 .*Tower Hamlets")).count() >= 1
    lead.goto("/maps/nel/versions/")
    assert version.label in lead.content()


_CONTROLS = (
    "main a[href], main button, main textarea, main select, "
    "main input:not([type=hidden]), main summary"
)
# Radios of one group take the focus once (arrow keys move within it): one mark each.
_MARK = """(selector) => { const marks = new Set();
  document.querySelectorAll(selector).forEach((el, i) => {
    // Inside a closed <details> only its summary shows; Enter on it opens the rest.
    if (el.tagName !== 'SUMMARY' && el.closest('details:not([open])')) return;
    const mark = el.type === 'radio' ? 'radio:' + el.name : String(i);
    el.setAttribute('data-kb', mark); marks.add(mark); });
  return marks.size; }"""


def _reached_by_tab(page) -> tuple[set[str], int]:
    """Tab through the page; which of its controls took the focus."""
    total = page.evaluate(_MARK, _CONTROLS)
    seen: set[str] = set()
    for _ in range(total * 3 + 40):
        page.keyboard.press("Tab")
        mark = page.evaluate("() => document.activeElement?.getAttribute('data-kb')")
        if mark is not None:
            seen.add(mark)
        if len(seen) == total:
            break
    return seen, total


def test_the_review_pages_are_reachable_by_keyboard_alone(page_as):
    """Every control on the pages of the review reaches the focus with Tab: the links,
    the comment boxes and their buttons, the reply toggles, the position form."""
    from delegation.models import Proposal

    review = Proposal.objects.get(reference="THT-2026-03")
    board = page_as("tht.board")
    for url in (f"/proposal/{review.pk}/", f"/proposal/{review.pk}/position/"):
        board.goto(url)
        seen, total = _reached_by_tab(board)
        assert total and len(seen) == total, f"{url}: {total - len(seen)} controls not reached"
    lead = page_as("icb.governance")
    lead.goto(f"/proposal/{review.pk}/recommend/")
    seen, total = _reached_by_tab(lead)
    assert total and len(seen) == total


def test_a_reviewer_sees_the_proposal_on_the_matrix(page_as):
    """From the proposal page to the matrix with its cells marked in words; axe finds
    nothing there, at full width and on a phone, and every control reaches the focus."""
    from delegation.models import Proposal

    review = Proposal.objects.get(reference="THT-2026-03")
    board = page_as("tht.board")
    board.goto(f"/proposal/{review.pk}/")
    board.get_by_role("link", name=re.compile("what would change on the decision map")).click()
    board.wait_for_url(re.compile(r"/matrix/$"))
    table = board.get_by_role("region", name=re.compile("Decision map matrix"))
    assert table.get_by_text("Would add", exact=True).is_visible()
    assert table.get_by_text("Would change", exact=True).is_visible()
    assert_accessible(board)
    seen, total = _reached_by_tab(board)
    assert total and len(seen) == total
    board.set_viewport_size({"width": 375, "height": 800})
    assert_accessible(board)
    board.get_by_role("link", name="Show the whole map with these changes").click()
    board.wait_for_url(re.compile(r"rows=all"))
    assert_accessible(board)
