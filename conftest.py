"""Shared fixtures: the demo ICS and its named personas, loaded once per test run.

The demo is loaded into the test database once; each test then runs inside a
transaction that is rolled back. Live-server (transactional) tests flush the
database afterwards, so they load the demo again through ``demo_live``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

PERSONAS = (
    "icb.governance",
    "tht.office",
    "tht.board",
    "newham.office",
    "sel.governance",
    "viewer",
)


@pytest.fixture(autouse=True)
def celery_in_process(request):
    """Run tasks in-process unless a test is about the real worker.

    With REDIS_URL set the portal sends tasks to the broker; a test that triggers a
    task should not depend on a worker being up, except the worker tests themselves.
    """
    from ics_portal.celery import app

    eager = request.node.get_closest_marker("celery_worker") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def no_api_throttles(request, monkeypatch):
    """API rate limits count in the cache, which outlives each test; without this a
    suite that calls the API often as one persona would meet its own 429s. Tests of
    the throttles themselves are marked ``throttle``."""
    if request.node.get_closest_marker("throttle") is None:
        from rest_framework.views import APIView

        monkeypatch.setattr(APIView, "throttle_classes", [])


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Built papers go to a folder of the test run's own, never the developer's media/."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, media_root):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture
def persona(db) -> Callable[[str], object]:
    """``persona("tht.office")`` → that demo user."""
    users = get_user_model().objects

    def get(username: str):
        return users.get(username=username)

    return get


@pytest.fixture
def client_as(db, persona) -> Callable[[str | None], Client]:
    """``client_as("tht.board")`` → a browser-like client signed in as that persona;
    ``client_as(None)`` → an anonymous one."""

    def make(username: str | None) -> Client:
        client = Client()
        if username is not None:
            client.force_login(persona(username))
        return client

    return make


@pytest.fixture
def api_as(db, persona) -> Callable[[str | None], APIClient]:
    def make(username: str | None) -> APIClient:
        client = APIClient()
        if username is not None:
            client.force_authenticate(persona(username))
        return client

    return make


@pytest.fixture
def demo_live(transactional_db, live_server):
    """The demo in a live-server test, whose database is flushed after each test."""
    call_command("load_demo", verbosity=0)
    return live_server


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests on a transactional database (live-server and browser tests, real workers)
    run last: each flushes the database when it ends, which would take the demo loaded
    once for the whole session away from every ordinary test after it."""
    items.sort(key=lambda item: "transactional_db" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def page_cache_where_writes_commit(request, settings, monkeypatch):
    """Pages are kept under the data revision, which moves on when a write commits
    (ics_portal.page_cache). An ordinary test is one transaction that never commits,
    so its reads after its own writes would meet its earlier pages: the cache is off
    there. It stays on in live-server tests, whose writes commit as in production, and
    in tests marked ``page_cache``, which commit their writes themselves."""
    marked = request.node.get_closest_marker("page_cache") is not None
    if not marked and "transactional_db" not in request.fixturenames:
        settings.PAGE_CACHE_SECONDS = 0
        return
    # The revision goes back where production's never does: a test's transaction is
    # rolled back, a live-server test's database flushed. What one test kept under a
    # revision must not meet the next test at the same number: each test is a build of
    # its own, and the build is in every key.
    import uuid

    from ics_portal import conditional, revision

    build = uuid.uuid4().hex[:16]
    monkeypatch.setattr(conditional, "BUILD_ID", build)
    monkeypatch.setattr(revision, "BUILD_ID", build)
