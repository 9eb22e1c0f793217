"""The NHS.UK stylesheet the portal serves makes no request to another origin."""

from __future__ import annotations

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from ics_portal.staticfiles import offline_css


def test_remote_font_faces_are_removed_and_local_ones_kept():
    css = (
        "a{color:red}"
        "@font-face{font-family:F;src:url(https://assets.nhs.uk/f.woff2) format('woff2')}"
        "@font-face{font-family:L;src:url(fonts/l.woff2)}"
        ".x{background:url(/assets/images/i.svg)}"
    )
    out = offline_css(css)
    assert "assets.nhs.uk" not in out
    assert "url(fonts/l.woff2)" in out
    assert "url(assets/images/i.svg)" in out
    assert out.startswith("a{color:red}")


def test_the_served_stylesheet_names_no_other_origin():
    path = finders.find("nhsuk/nhsuk-frontend.min.css")
    assert path, "nhsuk-frontend is not installed: run make install"
    path = path[0] if isinstance(path, list) else path
    css = Path(path).read_text(encoding="utf-8")
    assert "nhsuk-header" in css  # the real stylesheet, not an empty one
    remote = re.findall(r"url\(\s*['\"]?((?:https?:)?//[^)'\"]+)", css)
    assert not remote
    assert "url(/" not in css
