"""The foundation pages in a real browser: sign in, home, landscape, body; sign out.
axe-core finds no violations on each."""

from __future__ import annotations


def test_sign_in_find_the_landscape_open_a_body_sign_out(page_as, assert_accessible):
    page = page_as(None)
    page.goto("/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)

    page.fill("#id_username", "tht.board")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert page.locator(".nhsuk-error-summary").is_visible()
    assert_accessible(page)

    page.fill("#id_username", "tht.board")
    page.fill("#id_password", "demo-password")
    page.click("button[type=submit]")
    assert page.locator("h1").inner_text() == "Your governance portal"
    assert_accessible(page)

    page.get_by_role("link", name="NEL landscape").click()
    assert page.locator("h1").inner_text() == "The governance landscape"
    diagram = page.get_by_role(
        "img", name="North East London Integrated Care System: governance landscape"
    )
    assert diagram.is_visible()
    assert_accessible(page)

    page.locator("#maincontent").get_by_role(
        "link", name="Tower Hamlets Together", exact=True
    ).first.click()
    assert page.locator("h1").inner_text() == "Tower Hamlets Together"
    assert page.get_by_text("Tower Hamlets Health and Wellbeing Board").first.is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    assert "/accounts/login/" in page.url


def test_another_systems_page_is_not_found(page_as, assert_accessible):
    page = page_as("sel.governance")
    response = page.goto("/systems/nel/bodies/tht/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_accessible(page)
