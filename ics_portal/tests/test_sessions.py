"""Idle sign-out: a signed-in session is saved again once a minute, not on every read."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ics_portal import sessions

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(sessions, "now", lambda: int(now[0]))
    return now


def _session_writes(client: Client, path: str = "/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]]


def test_reads_within_a_minute_write_no_session(clock, settings, persona):
    settings.SESSION_SAVE_EVERY_REQUEST = False
    settings.SESSION_REFRESH_SECONDS = 60
    client = Client()
    client.force_login(persona("viewer"))
    _session_writes(client)  # the first read stamps the session
    clock[0] += settings.SESSION_REFRESH_SECONDS - 1
    assert _session_writes(client) == []


def test_a_read_a_minute_later_restarts_the_idle_clock(clock, settings, persona):
    settings.SESSION_SAVE_EVERY_REQUEST = False
    settings.SESSION_REFRESH_SECONDS = 60
    client = Client()
    client.force_login(persona("viewer"))
    _session_writes(client)
    clock[0] += settings.SESSION_REFRESH_SECONDS
    assert len(_session_writes(client)) == 1
    # Saved by this request, so the session lives SESSION_COOKIE_AGE from it.
    assert client.session[sessions.SAVED_AT] == int(clock[0])


def test_an_anonymous_read_makes_no_session(clock):
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    assert Session.objects.count() == 0


def test_signing_out_leaves_no_session_behind(clock, persona):
    client = Client()
    client.force_login(persona("viewer"))
    assert client.post("/accounts/logout/").status_code == 302
    assert Session.objects.count() == 0
