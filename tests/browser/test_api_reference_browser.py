"""The API reference is a portal page that passes axe; Swagger, kept to try calls on,
leads back to the portal."""

from __future__ import annotations


def test_the_api_reference_passes_axe_and_leads_to_swagger_and_back(page_as, assert_accessible):
    page = page_as("tht.office")
    page.goto("/")
    page.get_by_role("link", name="API", exact=True).click()
    assert page.locator("h1").inner_text() == "API reference"
    page.get_by_text("Parameters (", exact=False).first.click()  # open one set of details
    assert_accessible(page)

    page.get_by_role("link", name="interactive API explorer (Swagger)").click()
    assert page.url.endswith("/api/docs/")
    assert page.evaluate("document.documentElement.lang") == "en-GB"
    page.get_by_role("link", name="ICS governance portal").click()
    assert page.locator("h1").inner_text() == "Your governance portal"


def test_the_landscape_diagram_scrolls_in_its_own_box_and_says_so(page_as, assert_accessible):
    page = page_as("tht.office")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/systems/nel/")
    box = page.get_by_role("region", name="Diagram")
    hint = page.locator("#diagram-hint")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")
    assert hint.is_visible() and "scroll sideways" in hint.inner_text()
    # The keyboard reaches the box and scrolls it.
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Chromium scrolls by keyboard with an animation: wait for it rather than read the
    # position at once (CI once read 0 in the first frame).
    page.wait_for_function("el => el.scrollLeft > 0", arg=box.element_handle(), timeout=5000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert_accessible(page)
