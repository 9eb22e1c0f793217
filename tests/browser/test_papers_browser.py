"""Board papers in a real browser: tht.office starts a paper from the "HWBB update"
template, adds a recommendation, builds it, sees the progress bar finish and downloads
the PDF; axe-core finds no violations on each page. Page 1 of the PDF is rendered to
PNG and kept as a test artefact (artifacts/papers/, or $ARTIFACTS_DIR).

Needs /usr/bin/chromium (``make browser``) and axe-core (``npm ci``); skipped without.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings

from tests.browser.axe import assert_accessible

ARTIFACTS = Path(os.environ.get("ARTIFACTS_DIR") or Path(settings.BASE_DIR) / "artifacts")


def _page1_png(pdf: Path, target: Path) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        document[0].render(scale=1).to_pil().save(target)
    finally:
        document.close()


def test_office_writes_builds_and_downloads_a_paper(page_as, tmp_path):
    page = page_as("tht.office")
    page.goto("/papers/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a new paper").click()
    assert_accessible(page)
    page.get_by_label("Written by").select_option(label="Tower Hamlets Together")
    page.get_by_label("Start from the template").select_option(label="HWBB update")
    page.get_by_label("Meeting of").select_option(label="Tower Hamlets Health and Wellbeing Board")
    page.get_by_label("Meeting date").fill("2027-03-11")
    page.get_by_label("Report title").fill("Browser test update")
    page.get_by_role("button", name="Create the paper").click()
    page.wait_for_url(re.compile(r"/papers/\d+/$"))
    assert page.get_by_role("heading", name="Browser test update").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Action asked of the board").select_option(label="APPROVE")
    page.get_by_label("Recommendation").fill("the delegation of the community health budget.")
    assert_accessible(page)
    page.get_by_role("button", name="Save the recommendation").click()
    page.wait_for_url(re.compile(r"/papers/\d+/#recommendations$"))
    assert "APPROVE the delegation of the community health budget." in page.inner_text("main")

    page.get_by_role("button", name="Build PDF").click()
    page.wait_for_url(re.compile(r"#build$"))
    bar = page.locator("#build-progress")
    page.wait_for_function(
        "() => document.querySelector('#build-progress').value === 100", timeout=120_000
    )
    assert bar.get_attribute("value") == "100"
    assert "Built v1" in page.inner_text("#build")
    assert_accessible(page)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download v1 (PDF)").click()
    download = info.value
    assert re.fullmatch(
        r"2027-03-11 Tower Hamlets HWBB - Browser test update v1\.pdf", download.suggested_filename
    )
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    ARTIFACTS.joinpath("papers").mkdir(parents=True, exist_ok=True)
    png = ARTIFACTS / "papers" / "browser-test-page1.png"
    _page1_png(pdf, png)
    assert png.stat().st_size > 10_000


def test_public_page_signed_out(page_as, demo_live):
    from governance.models import IntegratedCareSystem
    from papers import services
    from papers.demo import EARLIER_TITLE

    lead = page_as("icb.governance")
    lead.goto("/papers/")
    lead.get_by_role("button", name="Switch the NEL public page on").click()
    lead.wait_for_url(re.compile(r"/papers/$"))
    assert services is not None and IntegratedCareSystem.objects.get(slug="nel").public_page.enabled

    public = page_as(None)
    public.goto("/public/nel/")
    assert EARLIER_TITLE in public.inner_text("main")
    assert "ICS update v1" not in public.inner_text("main").replace(EARLIER_TITLE, "")
    assert_accessible(public)
