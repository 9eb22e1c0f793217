"""Who is signing in is kept until the next write: a change to them shows at once."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ics_portal import revision

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

HOME = reverse("governance:home")
SYSTEMS = "/api/v1/systems/"


@pytest.fixture
def as_between_transactions(monkeypatch):
    """A request runs outside any transaction; a test runs inside one."""
    monkeypatch.setattr(revision, "in_transaction", lambda: False)


def _tables(queries: CaptureQueriesContext) -> list[str]:
    return [m.group(1) for q in queries for m in [re.search(r'FROM "(\w+)"', q["sql"])] if m]


def _committed(django_capture_on_commit_callbacks, write) -> None:
    """Run ``write`` as a service does, in a transaction: its revision moves on commit."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        write()


def test_the_user_is_read_once_a_write_and_the_revision_once_a_request(
    client_as, as_between_transactions
):
    client = client_as("icb.governance")
    assert client.get(HOME).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    read = _tables(queries)
    assert "auth_user" not in read
    assert read.count("governance_datarevision") == 1


def test_inside_a_transaction_the_user_is_read_afresh(client_as):
    client = client_as("icb.governance")
    client.get(HOME)
    with CaptureQueriesContext(connection) as queries:
        client.get(HOME)
    assert "auth_user" in _tables(queries)


def test_a_deactivated_person_is_signed_out_on_the_next_request(
    client_as, persona, as_between_transactions, django_capture_on_commit_callbacks
):
    client = client_as("icb.governance")
    assert client.get(HOME).status_code == 200
    user = persona("icb.governance")
    user.is_active = False
    _committed(django_capture_on_commit_callbacks, user.save)
    response = client.get(HOME)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_new_password_ends_the_other_sessions_on_the_next_request(
    client_as, persona, as_between_transactions, django_capture_on_commit_callbacks
):
    client = client_as("icb.governance")
    assert client.get(HOME).status_code == 200
    user = persona("icb.governance")
    user.set_password("a-new-long-passphrase")
    _committed(django_capture_on_commit_callbacks, user.save)
    response = client.get(HOME)
    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def test_a_write_to_someone_else_reads_the_user_afresh(
    client_as, persona, as_between_transactions, django_capture_on_commit_callbacks
):
    """Kept under the revision, not the row: any committed write moves it on."""
    client = client_as("icb.governance")
    client.get(HOME)
    other = persona("viewer")
    other.first_name = "Vera"
    _committed(django_capture_on_commit_callbacks, other.save)
    with CaptureQueriesContext(connection) as queries:
        client.get(HOME)
    assert "auth_user" in _tables(queries)


@pytest.fixture
def token_client(persona):
    token = Token.objects.create(user=persona("icb.governance"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return token, client


def test_an_api_call_reads_its_token_once_a_write(token_client, as_between_transactions):
    _token, client = token_client
    assert client.get(SYSTEMS).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SYSTEMS).status_code == 200
    read = _tables(queries)
    assert "authtoken_token" not in read and "auth_user" not in read
    assert read.count("governance_datarevision") == 1


class KeysSet:
    """The cache as ``revision`` uses it, noting the keys it sets."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    def get(self, key: str) -> object:
        return cache.get(key)

    def set(self, key: str, value: object, timeout: int) -> None:
        self.keys.append(key)
        cache.set(key, value, timeout)


@pytest.fixture
def keys_set(monkeypatch) -> KeysSet:
    spy = KeysSet()
    monkeypatch.setattr(revision, "cache", spy)
    return spy


def test_the_cache_never_holds_the_token_in_a_key(token_client, as_between_transactions, keys_set):
    token, client = token_client
    client.get(SYSTEMS)
    kept = [key for key in keys_set.keys if ":token:" in key]
    assert kept and not any(token.key in key for key in keys_set.keys)


def test_a_revoked_token_is_refused_on_the_next_call(
    token_client, as_between_transactions, django_capture_on_commit_callbacks
):
    token, client = token_client
    assert client.get(SYSTEMS).status_code == 200
    _committed(django_capture_on_commit_callbacks, token.delete)
    assert client.get(SYSTEMS).status_code == 401


def test_a_deactivated_persons_token_is_refused_on_the_next_call(
    token_client, as_between_transactions, django_capture_on_commit_callbacks
):
    token, client = token_client
    assert client.get(SYSTEMS).status_code == 200
    token.user.is_active = False
    _committed(django_capture_on_commit_callbacks, token.user.save)
    response = client.get(SYSTEMS)
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "User inactive or deleted."


def test_an_unknown_token_is_refused_and_never_kept(as_between_transactions, keys_set):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    for _ in range(2):
        response = client.get(SYSTEMS)
        assert response.status_code == 401
        assert response.json()["error"]["message"] == "Invalid token."
    assert not [key for key in keys_set.keys if ":token:" in key]
