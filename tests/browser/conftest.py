"""Shared set-up for the browser tests: headless Debian Chromium launched by
pytest-playwright against the live test server, signed in as a demo persona, and axe-core for
accessibility. Skipped, saying why, where Chromium or axe-core is missing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.browser.axe import AXE
from tests.browser.axe import assert_accessible as _assert_accessible

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))

# Playwright's sync API runs an event loop in this thread; the ORM calls a test makes
# between browser steps are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"needs {CHROMIUM} (make browser)"))
            elif not AXE.is_file():
                item.add_marker(pytest.mark.skip(reason="needs axe-core (npm ci)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright launches Debian's Chromium, not a browser of its own download."""
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        # The machine's network is closed: without these Chromium keeps trying to reach
        # Google's services in the background.
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def page_as(browser, demo_live):
    """``page_as("tht.office")`` → a browser page signed in as that persona;
    ``page_as(None)`` → an anonymous one. Each is closed after the test, so no request
    of theirs outlives the live server."""
    contexts = []

    def make(username: str | None):
        # bypass_csp: the tests inject axe-core as an inline script, which the portal's
        # own policy rightly refuses; tests/test_csp.py checks the policy itself.
        if username is None:
            context = browser.new_context(base_url=demo_live.url, bypass_csp=True)
            contexts.append(context)
            return context.new_page()
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        context = browser.new_context(base_url=demo_live.url, bypass_csp=True)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": demo_live.url,
                }
            ]
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def assert_accessible():
    return _assert_accessible
