"""Heavy pages kept per person and data revision, and never shown past a write."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from delegation import services
from delegation.models import DecisionRight
from delegation.tests import helpers as h
from ics_portal import page_cache, revision

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

MATRIX = reverse("delegation:matrix", args=["nel"])


@pytest.fixture
def as_between_transactions(monkeypatch):
    """A request runs outside any transaction; a test runs inside one. Where the kept
    scope is the point, requests are served as if outside it."""
    monkeypatch.setattr(revision, "in_transaction", lambda: False)


def _hit(response: HttpResponse) -> bool:
    return response.get(page_cache.HIT_HEADER) == "hit"


def test_a_second_read_is_the_kept_page_with_no_data_queries(client_as):
    client = client_as("icb.governance")
    first = client.get(MATRIX)
    assert not _hit(first)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(MATRIX)
    assert _hit(second) and second.content == first.content
    # The session (unless Redis holds it), the user and the revision: nothing else.
    read = [m.group(1) for q in queries for m in [re.search(r'FROM "(\w+)"', q["sql"])] if m]
    assert len(read) == len(queries)
    assert set(read) <= {"django_session", "auth_user", "governance_datarevision"}
    assert "governance_datarevision" in read


def test_an_edit_shows_on_the_next_request(client_as, django_capture_on_commit_callbacks):
    client = client_as("icb.governance")
    entry = h.in_force("F-01", "tht")
    client.get(MATRIX)
    new_right = (
        DecisionRight.INFORMED
        if entry.decision_right != DecisionRight.INFORMED
        else DecisionRight.CONSULTED
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.map_entry_update(entry=entry, decision_right=new_right)
    after = client.get(MATRIX)
    assert not _hit(after)
    cell = reverse("delegation:entry_detail", args=[entry.pk])
    html = after.content.decode()
    assert new_right.label in html[html.index(cell) : html.index("</a>", html.index(cell))]


def test_each_person_gets_their_own_page(client_as):
    """The viewer reads the same address after the lead has it kept: no hit, their own."""
    url = reverse("governance:landscape", args=["nel"])
    lead = client_as("icb.governance").get(url)
    viewer = client_as("tht.board").get(url)
    assert not _hit(viewer) and viewer.content != lead.content


def test_a_hard_reload_builds_the_page_afresh(client_as):
    client = client_as("icb.governance")
    client.get(MATRIX)
    assert not _hit(client.get(MATRIX, headers={"Cache-Control": "no-cache"}))
    assert _hit(client.get(MATRIX))


def test_a_waiting_message_is_shown_once_on_a_fresh_page(client_as, rf):
    client = client_as("icb.governance")
    client.get(MATRIX)
    storage, carrier = CookieStorage(rf.get("/")), HttpResponse()
    storage.add(constants.SUCCESS, "Entry saved.")
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    shown = client.get(MATRIX)
    assert not _hit(shown) and "Entry saved." in shown.content.decode()
    again = client.get(MATRIX)
    assert "Entry saved." not in again.content.decode()


def test_what_the_session_holds_is_part_of_the_key(client_as):
    """Input kept after a conflict lives in the session: a page showing it is another page."""
    client = client_as("icb.governance")
    client.get(MATRIX)
    session = client.session
    session["kept"] = {"title": "typed before the conflict"}
    session.save()
    assert not _hit(client.get(MATRIX))


def test_a_new_day_is_a_new_page(client_as, monkeypatch):
    """What is due or overdue moves with the date, not with a write."""
    import datetime as dt

    client = client_as("icb.governance")
    client.get(MATRIX)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: tomorrow)
    assert not _hit(client.get(MATRIX))


def test_an_api_list_is_kept_but_asked_for_its_token_each_time(persona):
    token = Token.objects.create(user=persona("icb.governance"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = "/api/v1/map-entries/?system=nel"
    first = client.get(url)
    second = client.get(url)
    assert _hit(second) and second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    token.delete()
    assert client.get(url).status_code == 401


def test_a_page_answered_404_is_not_kept(client_as):
    client = client_as("tht.office")
    url = reverse("delegation:matrix", args=["no-such-system"])
    assert client.get(url).status_code == 404
    assert not _hit(client.get(url))


def test_a_page_over_the_size_limit_is_not_kept(client_as, settings):
    settings.PAGE_CACHE_MAX_BYTES = 1000
    client = client_as("icb.governance")
    assert len(client.get(MATRIX).content) > 1000
    assert not _hit(client.get(MATRIX))


def test_off_when_the_setting_is_nought(client_as, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client = client_as("icb.governance")
    client.get(MATRIX)
    assert not _hit(client.get(MATRIX))


def test_a_page_built_afresh_reads_no_grants_until_a_write(client_as, as_between_transactions):
    """The person's scope is kept under the revision too: a fresh build of the page
    reads the map, not the guardian tables or the menu's systems again."""
    client = client_as("icb.governance")
    client.get(MATRIX)
    with CaptureQueriesContext(connection) as queries:
        client.get(MATRIX, headers={"Cache-Control": "no-cache"})
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "objectpermission" not in tables and "delegation_" in tables


def test_a_role_withdrawn_shows_on_the_next_request(
    client_as, persona, django_capture_on_commit_callbacks, as_between_transactions
):
    from governance import services as governance_services
    from governance.models import RoleAssignment

    client = client_as("tht.board")
    url = reverse("governance:landscape", args=["nel"])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        for assignment in RoleAssignment.objects.filter(
            user=persona("tht.board"), revoked_at__isnull=True
        ):
            governance_services.role_revoke(
                assignment=assignment, revoked_by=persona("icb.governance")
            )
    assert client.get(url).status_code == 404
