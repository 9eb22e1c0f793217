"""At 375 px wide no page scrolls sideways: wide tables scroll inside their own box."""

from __future__ import annotations


def _paths() -> list[str]:
    from delegation.tests import helpers as h
    from milestones.models import Milestone, Programme

    programme = Programme.objects.get(body__system__slug="nel", body__slug="tht")
    milestone = Milestone.objects.filter(programme=programme).first()
    entry = h.in_force("F-01", "tht")
    return [
        f"/milestones/programmes/{programme.pk}/",
        f"/milestones/programmes/{programme.pk}/timeline/",
        f"/milestones/{milestone.pk}/",
        f"/milestones/{milestone.pk}/edit/",
        f"/map-entries/{entry.pk}/",
        f"/map-entries/{entry.pk}/edit/",
        f"/conditions/{h.tht_condition().pk}/",
        "/maps/nel/conditions/",
        "/maps/nel/entries/",
        f"/map-versions/{h.v1().pk}/",
        "/maps/nel/bodies/tht/",
        "/",
        "/systems/nel/",
        "/api/reference/",
    ]


def test_no_page_scrolls_sideways_at_phone_width(page_as):
    page = page_as("icb.governance")
    page.set_viewport_size({"width": 375, "height": 800})
    wide = []
    for path in _paths():
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            wide.append(f"{path}: {width}px")
    assert not wide, "pages wider than the screen:\n" + "\n".join(wide)
