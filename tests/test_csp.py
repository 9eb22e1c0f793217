"""A Content-Security-Policy on every response, and pages that need no exception to it:
no inline script, no inline style, no event-handler attributes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_route_coverage import TABLE

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def assert_strict_csp(response, *, inline_styles: bool = False) -> None:
    policy = response.get("Content-Security-Policy", "")
    directives = dict(
        ([*part.split(" ", 1), ""])[:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives.get("default-src") == "'self'", policy
    assert directives.get("script-src") == "'self'", policy
    styles = "'self' 'unsafe-inline'" if inline_styles else "'self'"
    assert directives.get("style-src") == styles, policy
    assert directives.get("frame-ancestors") == "'none'", policy
    assert "unsafe-eval" not in policy


def _pages(who: str):
    for row in TABLE:
        if row.method == "GET" and row.expect.get(who) == 200:
            yield pytest.param(row, id=row.id)


@pytest.mark.parametrize("who", ["icb.governance", "tht.office"])
def test_every_page_has_the_policy_and_nothing_inline(who, client_as):
    client = client_as(who)
    checked = 0
    for param in _pages(who):
        row = param.values[0]
        kwargs = row.kwargs() if callable(row.kwargs) else row.kwargs
        response = client.get(reverse(row.name, kwargs=kwargs))
        assert response.status_code == 200, row.id
        # Swagger UI sets style attributes from its script: its page alone allows them.
        assert_strict_csp(response, inline_styles=row.name == "api-docs")
        if response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), f"{row.id}: inline <script>"
            if row.name != "api-docs":
                assert not INLINE_STYLE.search(html), f"{row.id}: inline style"
            assert not HANDLER.search(html), f"{row.id}: event-handler attribute"
            checked += 1
    assert checked > 10


@pytest.mark.parametrize(
    "url", ["/no-such-page/", "/api/v1/", "/api/schema/", "/accounts/login/", "/static/portal.css"]
)
def test_errors_api_and_static_files_carry_the_policy_too(url):
    assert_strict_csp(Client().get(url))


def test_the_error_500_page_has_no_inline_style():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert not INLINE_STYLE.search(html) and not INLINE_SCRIPT.search(html)
