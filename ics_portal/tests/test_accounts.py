"""Sign-in lockout, API token expiry and revocation, throttles, idle sessions."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.test_api_conventions import assert_error_shape

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PASSWORD = "demo-password"


def _fail_login(client: Client, username: str, times: int) -> object:
    response = None
    for _ in range(times):
        response = client.post(reverse("login"), {"username": username, "password": "wrong"})
    return response


def test_wrong_passwords_on_the_login_form_lock_the_account_with_a_clear_page(settings):
    client = Client()
    assert _fail_login(client, "tht.office", settings.AXES_FAILURE_LIMIT - 1).status_code == 200
    locked = _fail_login(client, "tht.office", 1)
    assert locked.status_code == 429
    assert "Signing in is paused" in locked.text and "governance lead" in locked.text
    # Even the right password is refused while locked.
    right = client.post(reverse("login"), {"username": "tht.office", "password": PASSWORD})
    assert right.status_code == 429


def test_the_lockout_is_per_account_and_per_address(settings):
    _fail_login(Client(REMOTE_ADDR="10.0.0.1"), "tht.office", settings.AXES_FAILURE_LIMIT)
    # The same account from another address is locked too…
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert (
        other.post(reverse("login"), {"username": "tht.office", "password": PASSWORD}).status_code
        == 429
    )
    # …and one address trying many accounts is locked for all of them.
    spray = Client(REMOTE_ADDR="10.0.0.3")
    for n in range(settings.AXES_FAILURE_LIMIT):
        spray.post(reverse("login"), {"username": f"nobody{n}", "password": "x"})
    assert (
        spray.post(reverse("login"), {"username": "viewer", "password": PASSWORD}).status_code
        == 429
    )


def test_the_token_endpoint_counts_failures_and_locks_out_in_json(settings):
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        bad = client.post(TOKEN_URL, {"username": "viewer", "password": "no"}, format="json")
        assert_error_shape(bad, 400)
    locked = client.post(TOKEN_URL, {"username": "viewer", "password": "no"}, format="json")
    error = assert_error_shape(locked, 429, "locked_out")
    assert "governance lead" in error["message"] and locked["Retry-After"]


def test_the_admin_login_is_locked_out_too(settings):
    client = Client()
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "viewer", "password": "no"})
    assert response.status_code == 429


def test_a_governance_lead_unlocks_people_of_their_system_only(settings, client_as):
    _fail_login(Client(), "tht.office", settings.AXES_FAILURE_LIMIT)
    assert AccessAttempt.objects.filter(username="tht.office").exists()
    page = client_as("sel.governance").get(reverse("lockouts"))
    assert "tht.office" not in page.text
    refused = client_as("sel.governance").post(reverse("lockouts"), {"username": "tht.office"})
    assert refused.status_code == 403

    lead = client_as("icb.governance")
    assert "Unlock tht.office" in lead.get(reverse("lockouts")).text
    assert lead.post(reverse("lockouts"), {"username": "tht.office"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="tht.office").exists()
    signed_in = Client().post(reverse("login"), {"username": "tht.office", "password": PASSWORD})
    assert signed_in.status_code == 302


# --- tokens -----------------------------------------------------------------------------


def _token(username: str = "viewer") -> str:
    response = APIClient().post(
        TOKEN_URL, {"username": username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["expires"]
    return response.json()["token"]


def _get(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/systems/")


def test_an_expired_token_is_refused_and_a_new_one_issued(settings):
    key = _token()
    assert _get(key).status_code == 200
    Token.objects.filter(key=key).update(
        created=dt.datetime.now(dt.UTC) - dt.timedelta(days=settings.API_TOKEN_DAYS, seconds=1)
    )
    error = assert_error_shape(_get(key), 401)
    assert "expired" in error["message"]
    fresh = _token()
    assert fresh != key and _get(fresh).status_code == 200


def test_a_token_is_revoked_by_delete_and_stops_working():
    key = _token()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.delete(TOKEN_URL).status_code == 204
    assert_error_shape(_get(key), 401)


def test_a_token_is_revoked_when_the_password_changes(persona):
    key = _token()
    user = persona("viewer")
    user.set_password("a-new-long-password-1")
    user.save()
    assert not Token.objects.filter(key=key).exists()
    assert_error_shape(_get(key), 401)


def test_the_token_page_creates_shows_and_revokes(client_as, persona):
    client = client_as("viewer")
    assert "You have no API token" in client.get(reverse("api-token-page")).text
    made = client.post(reverse("api-token-page"), {"action": "new"})
    key = Token.objects.get(user=persona("viewer")).key
    assert key in made.text
    assert key not in client.get(reverse("api-token-page")).text  # shown once
    client.post(reverse("api-token-page"), {"action": "revoke"})
    assert not Token.objects.filter(user=persona("viewer")).exists()


# --- throttles and sessions -------------------------------------------------------------


@pytest.mark.throttle
def test_api_calls_are_throttled_with_a_429_in_the_json_shape(persona, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": None})
    client = APIClient()
    client.force_authenticate(persona("viewer"))
    # Only this key: with REDIS_URL the cache is shared, and clear() would empty Redis.
    cache.delete(f"throttle_user_{persona('viewer').pk}")
    assert [client.get("/api/v1/systems/").status_code for _ in range(3)] == [200, 200, 200]
    throttled = client.get("/api/v1/systems/")
    assert_error_shape(throttled, 429, "throttled")
    assert throttled["Retry-After"]


def test_production_sessions_end_when_idle(monkeypatch):
    import importlib

    from ics_portal import settings as project_settings

    monkeypatch.setenv("DJANGO_ENV", "production")
    monkeypatch.setenv("DEBUG", "")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "portal.example.org")
    monkeypatch.setenv("PORTAL_BASE_URL", "https://portal.example.org")
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "20")
    try:
        production = importlib.reload(project_settings)
        assert production.SESSION_COOKIE_AGE == 20 * 60
        # The clock restarts through ics_portal.sessions, not a write per request.
        assert getattr(production, "SESSION_SAVE_EVERY_REQUEST", False) is False
        assert "ics_portal.sessions.IdleSessionMiddleware" in production.MIDDLEWARE
        assert production.SESSION_REFRESH_SECONDS == 60
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
