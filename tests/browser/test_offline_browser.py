"""On a closed network no page asks another origin for anything, and no request fails.

nhsuk-frontend's CSS asked assets.nhs.uk for the Frutiger font four times on every page;
ics_portal/staticfiles.py serves it without the remote font-face.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

PAGES = [
    "/",
    "/systems/nel/",
    "/maps/nel/",
    "/maps/nel/entries/",
    "/milestones/",
    "/api/docs/",
]


@pytest.mark.parametrize("persona", ["icb.governance", "viewer"])
def test_no_request_leaves_the_origin_and_none_fails(page_as, demo_live, persona):
    page = page_as(persona)
    origin = urlparse(demo_live.url).netloc
    elsewhere: list[str] = []
    failed: list[str] = []

    def seen(request) -> None:
        url = urlparse(request.url)
        if url.scheme in {"http", "https", "ws", "wss"} and url.netloc != origin:
            elsewhere.append(request.url)

    page.on("request", seen)
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    # The viewer may not read the live map: those pages answer 403 on purpose.
    failed = [f for f in failed if not (persona == "viewer" and f.startswith("403 "))]
    assert not elsewhere, f"requests to other origins: {sorted(set(elsewhere))}"
    assert not failed, f"failed requests: {sorted(set(failed))}"
