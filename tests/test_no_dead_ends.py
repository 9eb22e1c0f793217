"""No dead ends: every link a page shows a person leads somewhere that person may go.

For each persona, a bounded crawl from the home page follows every link within the
portal; a link that answers 403 or 404 to the person it was shown to fails.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest

from tests.routes import PERSONAS

SKIP = re.compile(r"^/(accounts/logout|admin/|api/v1/|api/schema|static/|media/)")
# Enough to reach every kind of page from the navigation, the same shape only once.
MAX_PAGES = 40


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _shape(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/<id>", path)


@pytest.mark.parametrize("who", PERSONAS)
def test_every_link_shown_leads_somewhere_the_person_may_go(who, client_as):
    client = client_as(who)
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    seen_shapes: set[str] = set()
    dead: list[str] = []
    pages = 0
    while queue and pages < MAX_PAGES:
        path, source = queue.popleft()
        shape = _shape(path)
        if shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        response = client.get(path)
        pages += 1
        if response.status_code in (403, 404):
            dead.append(f"{path} ({response.status_code}), linked from {source}")
            continue
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or "text/html" not in content_type:
            continue
        parser = _Links()
        parser.feed(response.content.decode())
        for href in parser.links:
            url = urlparse(urldefrag(href)[0])
            if url.scheme or url.netloc or not url.path.startswith("/"):
                continue
            if SKIP.match(url.path) or re.search(r"export\.|\.(pdf|csv|xlsx)$", url.path):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            queue.append((target, path))
    assert pages > 5, "the crawl reached almost nothing"
    assert not dead, f"links {who} may not follow:\n" + "\n".join(dead)
