"""Conditional GETs: a client that has the page or list already gets 304."""

import pytest
from django.urls import reverse

from delegation import services
from delegation.models import DecisionRight
from delegation.tests import helpers as h


def _again(client, url, response, **extra):
    return client.get(url, HTTP_IF_NONE_MATCH=response["ETag"], **extra)


def test_matrix_answers_304_until_the_map_changes(client_as):
    client = client_as("icb.governance")
    url = reverse("delegation:matrix", args=["nel"])
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"] and first["Last-Modified"]
    assert _again(client, url, first).status_code == 304
    # Another filter is another page.
    assert _again(client, url + "?status=proposed", first).status_code == 200
    entry = h.in_force("F-01", "tht")
    other = next(r for r in DecisionRight if r != entry.decision_right)
    services.map_entry_update(entry=entry, decision_right=other)
    changed = _again(client, url, first)
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_matrix_etag_differs_between_people(client_as):
    url = reverse("delegation:matrix", args=["nel"])
    lead = client_as("icb.governance").get(url)
    office = client_as("tht.office")
    assert _again(office, url, lead).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/map-entries/?system=nel",
        "/api/v1/milestones/",
        "/api/v1/bodies/",
        "/api/v1/conditions/",
    ],
)
def test_api_lists_answer_304(api_as, url):
    client = api_as("icb.governance")
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert _again(client, url, first).status_code == 304


def test_api_list_changes_its_etag_with_the_data(api_as):
    client = api_as("icb.governance")
    url = "/api/v1/map-entries/?system=nel"
    first = client.get(url)
    entry = h.in_force("F-01", "tht")
    services.map_entry_update(entry=entry, notes=entry.notes + " (checked)")
    assert _again(client, url, first).status_code == 200


@pytest.mark.parametrize(
    "name,args",
    [
        ("governance:body", ["nel", "tht"]),
        ("milestones:body", ["nel", "tht"]),
        ("delegation:body_delegations", ["nel", "tht"]),
    ],
)
def test_heavy_pages_answer_304_despite_their_csrf_token(client_as, name, args):
    client = client_as("tht.office")
    url = reverse(name, args=args)
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert b"csrfmiddlewaretoken" in first.content  # the sign-out form, masked afresh
    assert _again(client, url, first).status_code == 304


def test_errors_and_posts_carry_no_etag(client_as):
    client = client_as("viewer")
    response = client.get(reverse("delegation:matrix", args=["nel"]))
    assert response.status_code == 403
    assert not response.has_header("ETag")
